/**
 * The lease holder's heartbeat: a worker thread touches the lock file every `renewMs` while it
 * still names the holder's token. A worker, because PGlite keeps the main thread busy for a whole
 * statement (minutes for the model build): a timer there would stop renewing the lease meanwhile.
 * Its code is inline so that the esbuild bundle of a task image carries it without another file.
 */
import { Worker } from 'node:worker_threads';

export interface Heartbeat {
  stop(): Promise<void>;
}

const HEARTBEAT_SOURCE = `
const { readFileSync, utimesSync } = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const { lockFile, token, renewMs } = workerData;
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
    parentPort.postMessage('lost');
    return;
  }
  const now = new Date();
  try { utimesSync(lockFile, now, now); } catch { /* gone between the read and the touch: the next beat says so */ }
}, renewMs);
`;

/**
 * Starts renewing the lease on `lockFile`, resolved once the worker runs (its start takes 50-150 ms);
 * `onLost` runs if the file stops naming `token`.
 */
export async function startHeartbeat(lockFile: string, token: string, renewMs: number, onLost: () => void): Promise<Heartbeat> {
  const worker = new Worker(HEARTBEAT_SOURCE, { eval: true, workerData: { lockFile, token, renewMs } });
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
    stop: async () => {
      await worker.terminate();
    },
  };
}
