/** Tests run the TypeScript sources directly; servers they need are started by globalSetup. */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // test/services/ needs PostgreSQL, MinIO, Airflow and Chromium: `npm run test:services` runs it.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/services/'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60000,
  transform: { '^.+\\.ts$': 'ts-jest' },
};
