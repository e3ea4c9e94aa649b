/**
 * The lease holder's heartbeat: a worker thread touches the lock file every `renewMs` while it
 * still names the holder's token. A worker, because PGlite keeps the main thread busy for a whole
 * statement (minutes for the model build): a timer there would stop renewing the lease meanwhile.
 * Its code is inline so that the esbuild bundle of a task image carries it without another file.
 */
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

export interface Heartbeat {
  /**
   * Whether the lock file stopped naming the holder: the worker's flag, else the file read here and
   * now. The flag alone left a window: a holder thawed from SIGSTOP resumes its main thread and the
   * worker together, and could run one more statement before the worker's next beat raised it.
   */
  lost(): boolean;
  stop(): Promise<void>;
}

const HEARTBEAT_SOURCE = `
const { readFileSync, utimesSync } = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const { lockFile, token, renewMs, lostFlag } = workerData;
function stillOurs() {
  try {
    const text = readFileSync(lockFile, 'utf8');
    return JSON.parse(text).token === token;
  } catch {
    return false;
  }
}
const timer = setInterval(() => {
  if (!stillOurs()) {
    clearInterval(timer);
    Atomics.store(lostFlag, 0, 1);
    parentPort.postMessage('lost');
    return;
  }
  const now = new Date();
  try { utimesSync(lockFile, now, now); } catch { /* gone between the read and the touch: the next beat says so */ }
}, renewMs);
`;

/**
 * Starts renewing the lease on `lockFile`, resolved once the worker runs (its start takes 50-150 ms);
 * `onLost` runs if the file stops naming `token`. The worker also raises a flag in shared memory,
 * which `lost()` reads at once: the message waits for the main thread's event loop, and a holder
 * checking before each statement must not run one more after its lock was taken.
 */
export async function startHeartbeat(lockFile: string, token: string, renewMs: number, onLost: () => void): Promise<Heartbeat> {
  const lostFlag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(HEARTBEAT_SOURCE, { eval: true, workerData: { lockFile, token, renewMs, lostFlag } });
  await new Promise<void>((resolve, reject) => {
    worker.once('online', resolve);
    worker.once('error', reject);
  });
  worker.on('message', (message) => {
    if (message === 'lost') onLost();
  });
  // A holder that ends without releasing (an uncaught error) must still exit: the lease then lapses.
  worker.unref();
  return {
    lost: () => {
      if (Atomics.load(lostFlag, 0) === 1) return true;
      if (namesToken(lockFile, token)) return false;
      Atomics.store(lostFlag, 0, 1);
      return true;
    },
    stop: async () => {
      await worker.terminate();
    },
  };
}

/** The main thread's own reading of the lock file, as the worker's `stillOurs` reads it. */
function namesToken(lockFile: string, token: string): boolean {
  try {
    return (JSON.parse(readFileSync(lockFile, 'utf8')) as { token?: unknown }).token === token;
  } catch {
    return false;
  }
}
