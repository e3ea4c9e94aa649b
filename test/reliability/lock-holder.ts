/**
 * A process that takes the embedded warehouse's lock and keeps it with its main thread blocked, as
 * PGlite blocks it for a whole statement: `node lock-holder.js <data directory> <lease ms>`.
 * Prints `held <pid>` once it holds the lock. Bundled and run by lock-namespaces.test.ts.
 */
import { lockDirectory } from '../../tasks/core/warehouse/directory-lock';

async function main(): Promise<void> {
  const [directory, lease] = process.argv.slice(2);
  if (directory === undefined || lease === undefined) throw new Error('usage: lock-holder <data directory> <lease ms>');
  await lockDirectory(directory, { timeoutMs: 0, leaseMs: Number(lease) });
  process.stdout.write(`held ${process.pid}\n`, () => {
    // Blocked for good: only the heartbeat's worker thread still runs.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  });
}

void main();
