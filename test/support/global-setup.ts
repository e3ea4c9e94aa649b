/**
 * Starts the servers the tests share: an S3-compatible server (s3rver) on 127.0.0.1. Its endpoint
 * reaches the test files through the environment (jest workers inherit it).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

declare global {
  var __S3_SERVER_PID__: number | undefined;
}

export default async function globalSetup(): Promise<void> {
  const directory = mkdtempSync(path.join(tmpdir(), 'movalytics-s3-'));
  const child = spawn(process.execPath, ['--openssl-legacy-provider', path.join(__dirname, 's3-server-process.js'), directory], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const [line] = (await Promise.race([
    once(lines, 'line'),
    once(child, 'exit').then(() => {
      throw new Error('s3rver exited before listening');
    }),
  ])) as [string];
  const { port } = JSON.parse(line) as { port: number };
  globalThis.__S3_SERVER_PID__ = child.pid;
  process.env.MOVALYTICS_TEST_S3_ENDPOINT = `http://127.0.0.1:${port}`;
  process.env.MOVALYTICS_TEST_S3_DIR = directory;
  process.env.MOVALYTICS_TEST_S3_BUCKET = 'movalytics-test';
}
