/**
 * Load the run's ratings the ELT way (DESIGN.md §2): no transform, the warehouse does the work.
 *
 *   links and movies must be loaded (they map MovieLens ids to TMDB movies)
 *     → COPY raw/movies/<run_id>/ratings.csv (userId,movieId,rating,timestamp; CRLF) as text
 *       into the run's raw staging table
 *     → type the values in SQL (a value that is not a plain number becomes NULL); a view gives
 *       each rating its reject reason (unparsable, out_of_range, not_half_step)
 *     → count where every rating goes; write the rejected ones (raw values + reason) to
 *       rejects/ratings/<run_id>/; fail with 65 above --max-reject-ratio, model untouched
 *     → map through links to loaded movies, one rating per user and movie (latest, then greatest)
 *     → ONE transaction: replace the matching ratings, record coverage in load_stats
 *     → drop the run's staging objects.
 *
 * Rejects carry their raw values instead of a line number: COPY does not keep line order, and a
 * rating line is identified by its user, movie and timestamp.
 */
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { DataError, UsageError } from '../core/errors';
import { layout, RAW_SOURCE } from '../core/lake/layout';
import { Progress } from '../core/progress';
import { RAW_RATINGS_COLUMNS } from '../core/staged';
import { quoteIdentifier } from '../core/warehouse/identifiers';
import { numberColumn } from '../core/warehouse/rows';
import { sqlScript, sqlStatement, type SqlFragments } from '../core/warehouse/sql-files';
import { sqlTimestamp, type Row } from '../core/warehouse/warehouse';
import type { LoadDeps } from './deps';

export const RATINGS_DATASET = 'ratings';
/** The header of the raw MovieLens file. */
export const RAW_RATINGS_HEADER = ['userId', 'movieId', 'rating', 'timestamp'] as const;
export const REJECT_REASONS = ['unparsable', 'out_of_range', 'not_half_step'] as const;

export type RatingsCoverage = {
  ratings_total: number;
  ratings_analysed: number;
  ratings_unmapped: number;
  ratings_duplicates: number;
  rejected: number;
  rejected_by_reason: Record<(typeof REJECT_REASONS)[number], number>;
};

export type RatingsLoadResult = RatingsCoverage & {
  dataset: typeof RATINGS_DATASET;
  object: string;
  rejects_object: string | null;
  rows_replaced: number;
  first_load: boolean;
  seconds: number;
};

export async function loadRatings(deps: LoadDeps, maxRejectRatio: number): Promise<RatingsLoadResult> {
  const { warehouse, names, lake, logger, runId } = deps;
  const startedAt = Date.now();
  const fragments: SqlFragments = {
    raw_staging: names.staging(RATINGS_DATASET, runId, 'raw'),
    typed: names.staging(RATINGS_DATASET, runId, 'typed'),
    checked: names.staging(RATINGS_DATASET, runId, 'checked'),
    staging: names.staging(RATINGS_DATASET, runId),
    model: names.table(RATINGS_DATASET),
  };
  const statement = (file: string) => sqlStatement(file, names, fragments);
  const one = async (file: string): Promise<Row | undefined> => (await warehouse.query(statement(file)))[0];
  /** Long SQL steps (minutes at full scale) say how long they took. */
  const timed = async <T>(step: string, work: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    const result = await work();
    logger.info(`ratings: ${step}`, { seconds: Math.round((Date.now() - started) / 100) / 10 });
    return result;
  };

  const dependencies = await one('load/ratings/check-dependencies');
  checkDependencies(numberColumn(dependencies, 'links_present'), numberColumn(dependencies, 'movies_present'));
  const key = layout.raw(RAW_SOURCE.movies, runId, 'ratings.csv');
  if (!(await lake.head(key))) {
    throw new DataError('no raw ratings for this run: run "movalytics extract-movies" first', { object: lake.urlOf(key) });
  }

  const dropStaging = async () => {
    for (const drop of sqlScript('load/ratings/drop-staging', names, fragments)) await warehouse.execute(drop);
  };
  await dropStaging();
  try {
    await warehouse.execute(statement('load/ratings/create-raw-staging'));
    const progress = new Progress(logger, 'copy ratings');
    const copied = await warehouse.loadFromLake({
      lake,
      keys: [key],
      table: fragments.raw_staging as string,
      columns: RAW_RATINGS_COLUMNS.map(quoteIdentifier),
      header: RAW_RATINGS_HEADER,
      gzip: false,
      onBytes: (bytes) => progress.add(0, bytes),
    });
    progress.add(copied);
    progress.done();
    await warehouse.execute(statement('load/ratings/create-typed'));
    await timed('values typed', () => warehouse.execute(statement('load/ratings/insert-typed')));
    await warehouse.execute(statement('load/ratings/create-checked-view'));

    const checked = await timed('counted', () => one('load/ratings/count-checked'));
    const rejectedByReason = {
      unparsable: numberColumn(checked, 'rejected_unparsable'),
      out_of_range: numberColumn(checked, 'rejected_out_of_range'),
      not_half_step: numberColumn(checked, 'rejected_not_half_step'),
    };
    const total = numberColumn(checked, 'ratings_total');
    const rejected = Object.values(rejectedByReason).reduce((sum, count) => sum + count, 0);
    const rejectsObject = rejected > 0 ? await writeRejects(deps, statement('load/ratings/select-rejects')) : null;
    if (total > 0 && rejected / total > maxRejectRatio) {
      throw new DataError(
        `${rejected} of ${total} ratings rejected (${formatRatio(rejected / total)}), above --max-reject-ratio ${maxRejectRatio}; the warehouse is unchanged`,
        { object: lake.urlOf(key), ...prefixed(rejectedByReason), ...(rejectsObject ? { rejects: rejectsObject } : {}) },
      );
    }

    await warehouse.execute(statement('load/ratings/create-staging'));
    await timed('mapped to movies, one per user and movie', () => warehouse.execute(statement('load/ratings/insert-staging')));
    const analysed = numberColumn(await one('load/ratings/count-staging'), 'ratings_analysed');
    const coverage: RatingsCoverage = {
      ratings_total: total,
      ratings_analysed: analysed,
      ratings_unmapped: numberColumn(checked, 'ratings_unmapped'),
      ratings_duplicates: numberColumn(checked, 'ratings_mapped') - analysed,
      rejected,
      rejected_by_reason: rejectedByReason,
    };

    const firstLoad = numberColumn(await one('load/model-has-rows'), 'row_count') === 0;
    const affected = await timed('model replaced', () => warehouse.transaction(
      [
        statement('load/lock-model'),
        ...(firstLoad ? [] : [statement('load/ratings/delete-replaced')]),
        statement('load/ratings/insert-model'),
        statement('load/delete-stats'),
        statement('load/ratings/record-stats'),
      ],
      {
        dataset: RATINGS_DATASET,
        run_id: runId,
        recorded_at: sqlTimestamp(deps.now()),
        ratings_total: coverage.ratings_total,
        ratings_analysed: coverage.ratings_analysed,
        ratings_unmapped: coverage.ratings_unmapped,
        ratings_duplicates: coverage.ratings_duplicates,
        ...prefixed(rejectedByReason),
      },
    ));
    const result: RatingsLoadResult = {
      dataset: RATINGS_DATASET,
      object: key,
      rejects_object: rejectsObject,
      ...coverage,
      rows_replaced: firstLoad ? 0 : (affected[1] ?? 0),
      first_load: firstLoad,
      seconds: Math.round((Date.now() - startedAt) / 10) / 100,
    };
    logger.info('loaded ratings', { ...coverage, rows_replaced: result.rows_replaced });
    return result;
  } finally {
    await dropStaging().catch((error: unknown) =>
      logger.warn('could not drop the ratings staging tables; the next load of this run drops them', { error: String(error) }),
    );
  }
}

function checkDependencies(linksPresent: number, moviesPresent: number): void {
  const missing = [linksPresent === 0 ? 'links' : '', moviesPresent === 0 ? 'movies' : ''].filter(Boolean);
  if (missing.length > 0) {
    throw new UsageError(
      `the ratings load maps MovieLens ids to TMDB movies through links and movies, but ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} empty: run "movalytics load ${missing.join(' ')}" first`,
    );
  }
}

/** The rejected ratings (at most the sample the SQL selects) as gzip CSV under rejects/ratings/<run_id>/. */
async function writeRejects(deps: LoadDeps, selectRejects: string): Promise<string> {
  const rows = await deps.warehouse.query(selectRejects);
  const lines = function* (): Generator<string> {
    yield 'user_id,movielens_id,rating,rated_at_epoch,reason\n';
    for (const row of rows) {
      yield `${[row.user_id, row.movielens_id, row.rating, row.rated_at_epoch, row.reject_reason].map(csvField).join(',')}\n`;
    }
  };
  const key = layout.rejects(RATINGS_DATASET, deps.runId);
  await deps.lake.put(key, Readable.from(lines()).pipe(createGzip()));
  deps.logger.warn(`rejected ratings written to ${deps.lake.urlOf(key)}`, { rows: rows.length });
  return key;
}

function csvField(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function prefixed(byReason: RatingsCoverage['rejected_by_reason']): Record<string, number> {
  return Object.fromEntries(Object.entries(byReason).map(([reason, count]) => [`rejected_${reason}`, count]));
}

function formatRatio(ratio: number): string {
  return `${(ratio * 100).toFixed(3)}%`;
}
