/**
 * One `run` of a run id at a time. Its steps write and replace the run's lake objects
 * (raw/…/<run_id>/, staged/…/<run_id>/), so a second run of the same id started seconds later
 * replaced the first one's staged parts under its load ("no staged movies for this run", exit 65).
 * The lease lives in the lake, beside what it guards, not beside the warehouse: runs of different
 * ids share a warehouse rightly, and a PostgreSQL or Redshift warehouse has no folder to put it in.
 * It is the embedded warehouse's lease (directory-lock.ts; on S3, s3-lease.ts): renewed while the
 * run lives, taken over once not renewed for RUN_LEASE_MS (a killed run), right across PID
 * namespaces and hosts.
 *
 * Held, it also makes the run's unfinished objects stale whatever their age: their writers were
 * steps of an earlier run of this id, killed mid-object, since no other run of it can be under way.
 */
import type { Lake } from '../core/lake/lake';
import { removeStaleWrites } from '../core/lake/stale-writes';
import type { Logger } from '../core/log';
import type { DirectoryLock } from '../core/warehouse/directory-lock';

/** Short: a killed run holds the next one back this long. The heartbeat renews it every 2 s. */
const RUN_LEASE_MS = 10_000;

/** Takes the run id's lease, or throws TransientError (exit 75) saying the run id is busy. */
export async function holdRunLease(lake: Lake, runId: string, logger: Logger): Promise<DirectoryLock> {
  const lease = await lake.lease(`runs/${runId}`, {
    // A lease must go unrenewed for a whole lease before it counts as a killed run's.
    timeoutMs: RUN_LEASE_MS * 1.5,
    leaseMs: RUN_LEASE_MS,
    logger,
    name: `run id "${runId}"`,
  });
  await removeStaleWrites(lake, runId, logger, new Date());
  return lease;
}
