/**
 * The summaries a ratings load writes beside the ratings (tasks/load/ratings-summary.ts:
 * ratings_by_movie, ratings_users_by_genre) and how a reader knows it may use them: the most
 * recent load recorded their fingerprint, and one scan of the ratings and movie_genres gives it
 * again (sql/ratings-summary/verified.sql). The quality check and the report read them instead of
 * aggregating the ratings; a reader that may not (a load without summaries, Redshift's, or tables
 * changed since) aggregates the ratings as before.
 */
import type { WarehouseNames } from './identifiers';
import { numberColumn } from './rows';
import { sqlStatement } from './sql-files';
import type { Warehouse } from './warehouse';

export type SummariesVerdict = {
  /** The ratings give the load's fingerprint: ratings_by_movie and its one row per user and movie hold. */
  ratings: boolean;
  /** movie_genres does too: ratings_users_by_genre holds. */
  genres: boolean;
};

const NONE: SummariesVerdict = { ratings: false, genres: false };

/** The verifying statement (one row: row_count, ratings_match, genres_match). */
export const verifiedSummariesStatement = (names: WarehouseNames): string => sqlStatement('ratings-summary/verified', names);

/** Whether the most recent ratings load recorded summaries; only then is a scan to verify them worth it. */
export async function summariesRecorded(warehouse: Pick<Warehouse, 'query'>, names: WarehouseNames): Promise<boolean> {
  const [row] = await warehouse.query(sqlStatement('ratings-summary/recorded', names));
  return row !== undefined && numberColumn(row, 'recorded') > 0;
}

/** Which of the most recent ratings load's summaries still describe the tables. */
export async function verifySummaries(warehouse: Pick<Warehouse, 'query'>, names: WarehouseNames): Promise<SummariesVerdict> {
  if (!(await summariesRecorded(warehouse, names))) return NONE;
  const [row] = await warehouse.query(verifiedSummariesStatement(names));
  if (!row) return NONE;
  return { ratings: numberColumn(row, 'ratings_match') === 1, genres: numberColumn(row, 'genres_match') === 1 };
}
