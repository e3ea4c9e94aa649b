/**
 * One `run` of a run id at a time. Its steps write and replace the run's lake objects
 * (raw/…/<run_id>/, staged/…/<run_id>/), so a second run of the same id started seconds later
 * replaced the first one's staged parts under its load ("no staged movies for this run", exit 65).
 * The lease lives in the lake, beside what it guards, not beside the warehouse: runs of different
 * ids share a warehouse rightly, and a PostgreSQL or Redshift warehouse has no folder to put it in.
 * It is the embedded warehouse's lease (directory-lock.ts): renewed by a worker thread, taken over
 * once not renewed for RUN_LEASE_MS (a killed run), right across PID namespaces and hosts.
 *
 * Held, it also makes the run's `.partial` files stale: their writers were steps of an earlier run
 * of this id, killed mid-object, since no other run of it can be under way.
 *
 * A file lake only: S3 has no object a writer can create only if absent that this code could
 * renew (conditional writes are not in every S3-compatible server), so `run` on S3 goes unguarded.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { FileLake } from '../core/lake/file-lake';
import { isKeyOfRun } from '../core/lake/layout';
import type { Lake } from '../core/lake/lake';
import type { Logger } from '../core/log';
import { lockDirectory, type DirectoryLock } from '../core/warehouse/directory-lock';

/** Short: a killed run holds the next one back this long. The heartbeat renews it every 2 s. */
const RUN_LEASE_MS = 10_000;

/** Takes the run id's lease, or throws TransientError (exit 75) saying the run id is busy. */
export async function holdRunLease(lake: Lake, runId: string, logger: Logger): Promise<DirectoryLock> {
  if (!(lake instanceof FileLake)) return { release: async () => undefined };
  const guarded = lake.localPath(`runs/${runId}`);
  await mkdir(path.dirname(guarded), { recursive: true });
  const lease = await lockDirectory(guarded, {
    // A lease must go unrenewed for a whole lease before it counts as a killed run's.
    timeoutMs: RUN_LEASE_MS * 1.5,
    leaseMs: RUN_LEASE_MS,
    logger,
    name: `run id "${runId}"`,
  });
  const removed = await lake.removePartials((key) => isKeyOfRun(key, runId));
  if (removed.length > 0) logger.info('removed the unfinished objects of killed steps of this run id', { objects: removed.length });
  return lease;
}
