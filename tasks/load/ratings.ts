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
  seconds: number;
};

export async function loadRatings(deps: LoadDeps, maxRejectRatio: number): Promise<RatingsLoadResult> {
  const startedAt = Date.now();
  const run = new RatingsRun(deps);
  await run.checkDependencies();
  const key = await run.rawObject();
  await run.dropStaging();
  try {
    await run.copyRaw(key);
    const counts = await run.typeAndCount();
    const rejectsObject = counts.rejected > 0 ? await run.writeRejects() : null;
    if (counts.ratings_total > 0 && counts.rejected / counts.ratings_total > maxRejectRatio) {
      throw new DataError(
        `${counts.rejected} of ${counts.ratings_total} ratings rejected (${formatRatio(counts.rejected / counts.ratings_total)}), above --max-reject-ratio ${maxRejectRatio}; the warehouse is unchanged`,
        { object: deps.lake.urlOf(key), ...prefixed(counts.rejected_by_reason), ...(rejectsObject ? { rejects: rejectsObject } : {}) },
      );
    }
    const analysed = await run.mapToMovies();
    const coverage: RatingsCoverage = {
      ratings_total: counts.ratings_total,
      ratings_analysed: analysed,
      ratings_unmapped: counts.ratings_unmapped,
      ratings_duplicates: counts.ratings_mapped - analysed,
      rejected: counts.rejected,
      rejected_by_reason: counts.rejected_by_reason,
    };
    const { replaced } = await run.replaceModel(coverage);
    deps.logger.info('loaded ratings', { ...coverage, rows_replaced: replaced });
    return {
      dataset: RATINGS_DATASET,
      object: key,
      rejects_object: rejectsObject,
      ...coverage,
      rows_replaced: replaced,
      seconds: Math.round((Date.now() - startedAt) / 10) / 100,
    };
  } finally {
    await run.dropStaging().catch((error: unknown) =>
      deps.logger.warn('could not drop the ratings staging tables; the next load of this run drops them', { error: String(error) }),
    );
  }
}

interface CheckedCounts {
  ratings_total: number;
  ratings_unmapped: number;
  ratings_mapped: number;
  rejected: number;
  rejected_by_reason: RatingsCoverage['rejected_by_reason'];
}

/** The steps of one ratings load, each on the run's own staging objects. */
class RatingsRun {
  private readonly fragments: SqlFragments;

  constructor(private readonly deps: LoadDeps) {
    const { names, runId } = deps;
    this.fragments = {
      raw_staging: names.staging(RATINGS_DATASET, runId, 'raw'),
      typed: names.staging(RATINGS_DATASET, runId, 'typed'),
      checked: names.staging(RATINGS_DATASET, runId, 'checked'),
      staging: names.staging(RATINGS_DATASET, runId),
      model: names.table(RATINGS_DATASET),
    };
  }

  async checkDependencies(): Promise<void> {
    const present = await this.one('load/ratings/check-dependencies');
    const missing = [
      numberColumn(present, 'links_present') === 0 ? 'links' : '',
      numberColumn(present, 'movies_present') === 0 ? 'movies' : '',
    ].filter(Boolean);
    if (missing.length > 0) {
      throw new UsageError(
        `the ratings load maps MovieLens ids to TMDB movies through links and movies, but ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} empty: run "movalytics load ${missing.join(' ')}" first`,
      );
    }
  }

  async rawObject(): Promise<string> {
    const key = layout.raw(RAW_SOURCE.movies, this.deps.runId, 'ratings.csv');
    if (!(await this.deps.lake.head(key))) {
      throw new DataError('no raw ratings for this run: run "movalytics extract-movies" first', { object: this.deps.lake.urlOf(key) });
    }
    return key;
  }

  async dropStaging(): Promise<void> {
    for (const drop of sqlScript('load/ratings/drop-staging', this.deps.names, this.fragments)) await this.deps.warehouse.execute(drop);
  }

  async copyRaw(key: string): Promise<void> {
    await this.execute('load/ratings/create-raw-staging');
    const progress = new Progress(this.deps.logger, 'copy ratings');
    const copied = await this.deps.warehouse.loadFromLake({
      lake: this.deps.lake,
      keys: [key],
      table: this.fragments.raw_staging as string,
      columns: RAW_RATINGS_COLUMNS.map(quoteIdentifier),
      header: RAW_RATINGS_HEADER,
      gzip: false,
      onBytes: (bytes) => progress.add(0, bytes),
    });
    progress.add(copied);
    progress.done();
  }

  async typeAndCount(): Promise<CheckedCounts> {
    await this.execute('load/ratings/create-typed');
    await this.timed('values typed', () => this.execute('load/ratings/insert-typed'));
    await this.execute('load/ratings/create-checked-view');
    const counts = await this.timed('counted', () => this.one('load/ratings/count-checked'));
    const byReason = {
      unparsable: numberColumn(counts, 'rejected_unparsable'),
      out_of_range: numberColumn(counts, 'rejected_out_of_range'),
      not_half_step: numberColumn(counts, 'rejected_not_half_step'),
    };
    return {
      ratings_total: numberColumn(counts, 'ratings_total'),
      ratings_unmapped: numberColumn(counts, 'ratings_unmapped'),
      ratings_mapped: numberColumn(counts, 'ratings_mapped'),
      rejected: byReason.unparsable + byReason.out_of_range + byReason.not_half_step,
      rejected_by_reason: byReason,
    };
  }

  /** The rejected ratings (at most the sample the SQL selects) as gzip CSV under rejects/ratings/<run_id>/. */
  async writeRejects(): Promise<string> {
    const rows = await this.deps.warehouse.query(this.statement('load/ratings/select-rejects'));
    const lines = function* (): Generator<string> {
      yield 'user_id,movielens_id,rating,rated_at_epoch,reason\n';
      for (const row of rows) {
        yield `${[row.user_id, row.movielens_id, row.rating, row.rated_at_epoch, row.reject_reason].map(csvField).join(',')}\n`;
      }
    };
    const key = layout.rejects(RATINGS_DATASET, this.deps.runId);
    await this.deps.lake.put(key, Readable.from(lines()).pipe(createGzip()));
    this.deps.logger.warn(`rejected ratings written to ${this.deps.lake.urlOf(key)}`, { rows: rows.length });
    return key;
  }

  /** Valid ratings mapped to loaded movies, one per user and movie; returns how many. */
  async mapToMovies(): Promise<number> {
    await this.execute('load/ratings/create-staging');
    await this.timed('mapped to movies, one per user and movie', () => this.execute('load/ratings/insert-staging'));
    return numberColumn(await this.one('load/ratings/count-staging'), 'ratings_analysed');
  }

  /** ONE transaction: the matching ratings replaced (no DELETE on a first load), coverage recorded. */
  async replaceModel(coverage: RatingsCoverage): Promise<{ replaced: number }> {
    const statements = [
      this.statement('load/lock-model'),
      this.statement('load/ratings/delete-replaced'),
      this.statement('load/ratings/insert-model'),
      this.statement('load/delete-stats'),
      this.statement('load/ratings/record-stats'),
    ];
    const params = {
      dataset: RATINGS_DATASET,
      run_id: this.deps.runId,
      recorded_at: sqlTimestamp(this.deps.now()),
      ratings_total: coverage.ratings_total,
      ratings_analysed: coverage.ratings_analysed,
      ratings_unmapped: coverage.ratings_unmapped,
      ratings_duplicates: coverage.ratings_duplicates,
      ...prefixed(coverage.rejected_by_reason),
    };
    const affected = await this.timed('model replaced', () => this.deps.warehouse.transaction(statements, params));
    return { replaced: affected[1] ?? 0 };
  }

  private statement(file: string): string {
    return sqlStatement(file, this.deps.names, this.fragments);
  }

  private async execute(file: string): Promise<number> {
    return this.deps.warehouse.execute(this.statement(file));
  }

  private async one(file: string): Promise<Row | undefined> {
    return (await this.deps.warehouse.query(this.statement(file)))[0];
  }

  /** Long SQL steps (minutes at full scale) say how long they took. */
  private async timed<T>(step: string, work: () => Promise<T>): Promise<T> {
    const started = Date.now();
    const result = await work();
    this.deps.logger.info(`ratings: ${step}`, { seconds: Math.round((Date.now() - started) / 100) / 10 });
    return result;
  }
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
