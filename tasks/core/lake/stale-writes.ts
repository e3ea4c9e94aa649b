/**
 * What killed writers of a run left in the lake: `.partial` files (file lake) and incomplete
 * multipart uploads (S3, which bills their parts until aborted). Every step removes its run's on
 * start, so steps run alone (Airflow) clean up too, not only `run` under its lease. Without the
 * lease a run's writer may be live in another process (a parallel step), so only leftovers idle
 * for STALE_WRITE_MS count: no step writes one object for that long.
 */
import type { Logger } from '../log';
import { isKeyOfRun } from './layout';
import type { Lake } from './lake';

export const STALE_WRITE_MS = 6 * 60 * 60 * 1000;

/**
 * Removes the run's unfinished objects last written before `before`. A lake that cannot list them
 * (no ListMultipartUploads permission, a server without it) is warned about, never a failure.
 */
export async function removeStaleWrites(lake: Lake, runId: string, logger: Logger, before = new Date(Date.now() - STALE_WRITE_MS)): Promise<void> {
  try {
    const removed = await lake.removeUnfinished((key) => isKeyOfRun(key, runId), before);
    if (removed.length > 0) logger.info('removed the unfinished objects of killed steps of this run id', { objects: removed.length });
  } catch (error) {
    logger.warn('could not look for unfinished objects of killed steps', { error: error instanceof Error ? error.message : String(error) });
  }
}
