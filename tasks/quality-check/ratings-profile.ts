/**
 * The ratings measured for the six checks that read them (sql/quality/ratings-profile.sql), from
 * the most recent load's summaries when they are verified (without a scan while nothing wrote the
 * ratings since the load, else by one scan), else by aggregating the ratings.
 * Both ways fail the same checks on the same tables: a row added, doubled, dropped or changed
 * after the load no longer gives the load's fingerprint, and the ratings are then aggregated.
 */
import { summariesRecorded, verifiedSummariesStatement } from '../core/warehouse/ratings-summaries';
import { sqlStatement } from '../core/warehouse/sql-files';
import type { Row } from '../core/warehouse/warehouse';
import type { CheckDeps } from './evaluate';

/** How the ratings were measured, for the quality manifest. */
export type RatingsMeasuredFrom = 'load_summaries' | 'ratings';

export async function measureRatings(deps: CheckDeps): Promise<{ rows: Row[]; from: RatingsMeasuredFrom }> {
  const { names, warehouse } = deps;
  const profile = (file: string, fragments: Record<string, string> = {}): Promise<Row[]> =>
    warehouse.query(sqlStatement('quality/ratings-profile', names, { ratings_profile: sqlStatement(file, names, fragments) }), { run_id: deps.runId });
  if (await summariesRecorded(warehouse, names)) {
    const rows = await profile('quality/ratings-profile-from-load', { verified: verifiedSummariesStatement(names) });
    if (rows.length > 0) return { rows, from: 'load_summaries' };
  }
  return { rows: await profile('quality/ratings-profile-scanned'), from: 'ratings' };
}
