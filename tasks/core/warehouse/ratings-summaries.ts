/**
 * The summaries a ratings load writes beside the ratings (tasks/load/ratings-summary.ts:
 * ratings_by_movie, ratings_users_by_genre) and how a reader knows it may use them: the most
 * recent load recorded their fingerprint, and the ratings and movie_genres give it again
 * (sql/ratings-summary/verified.sql): the ratings without a scan while the trigger the load made
 * (PGlite, PostgreSQL) counted no write since, else by one scan. The quality check and the report
 * read them instead of aggregating the ratings; a reader that may not (a load without summaries,
 * Redshift's, or tables changed since) aggregates the ratings as before.
 */
import { quoteText, type WarehouseNames } from './identifiers';
import { numberColumn } from './rows';
import { sqlStatement, type SqlFragments } from './sql-files';
import type { Warehouse } from './warehouse';

export type SummariesVerdict = {
  /** The ratings give the load's fingerprint: ratings_by_movie and its one row per user and movie hold. */
  ratings: boolean;
  /** movie_genres does too: ratings_users_by_genre holds. */
  genres: boolean;
  /** No statement wrote the ratings since the load (its trigger counted none): the ratings were not scanned. */
  unwritten: boolean;
};

const NONE: SummariesVerdict = { ratings: false, genres: false, unwritten: false };

/**
 * The names sql/load/ratings/summary/count-writes.sql and sql/ratings-summary/unwritten.sql take:
 * the counting function's, and load_stats' and the ratings' as text (for the trigger's argument
 * and to_regclass).
 */
export function ratingsWritesFragments(names: WarehouseNames): SqlFragments {
  return {
    count_writes_function: names.table('count_ratings_writes'),
    load_stats_name: quoteText(names.tableName('load_stats')),
    ratings_name: quoteText(names.table('ratings')),
  };
}

/** The verifying statement (one row: row_count, ratings_match, genres_match, ratings_unwritten). */
export const verifiedSummariesStatement = (names: WarehouseNames): string =>
  sqlStatement('ratings-summary/verified', names, { ratings_unwritten: sqlStatement('ratings-summary/unwritten', names, ratingsWritesFragments(names)) });

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
  return { ratings: numberColumn(row, 'ratings_match') === 1, genres: numberColumn(row, 'genres_match') === 1, unwritten: numberColumn(row, 'ratings_unwritten') === 1 };
}
