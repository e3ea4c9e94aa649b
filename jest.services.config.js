/**
 * The real-services suite (`npm run test:services`, after `source scripts/services/setup.sh`):
 * tests in test/services/ run against MinIO, PostgreSQL, Airflow 3 and Chromium as installed by
 * scripts/services/. No globalSetup: the services are already running; each test fails with a clear
 * message when one is missing. Runs serially: the tests share the services and the 2 cores.
 */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test/services'],
  testMatch: ['**/*.test.ts'],
  testTimeout: 600000,
  maxWorkers: 1,
  transform: { '^.+\\.ts$': 'ts-jest' },
};
