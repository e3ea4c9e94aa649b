/**
 * Load the run's raw ratings (raw/movies/<run_id>/ratings.csv: userId,movieId,rating,timestamp)
 * into the model, checked, mapped to loaded movies and de-duplicated on the way (ratings-reader.ts).
 *
 *   links and movies must be loaded (they map MovieLens ids to TMDB movies): read the map
 *   → stream the raw object through the reader: rejects (line, reason, text) to
 *     rejects/ratings/<run_id>/, typed rows to the warehouse
 *       PGlite, PostgreSQL: ONE transaction — lock the model, TRUNCATE it, binary COPY (FREEZE)
 *         straight into it
 *       Redshift: rows to staged/ratings/<run_id>/ (gzip CSV parts), one COPY from S3 into
 *         staging, then ONE transaction replacing the whole ratings table with staging
 *   → above --max-reject-ratio: fail (65) and roll back, the model untouched
 *   → coverage recorded in load_stats in the same transaction.
 *
 * Snapshot semantics, as for every dataset: the ratings table holds this run's ratings and no
 * others afterwards (a rating an earlier run or attempt loaded and this file lacks is gone).
 *
 * Duplicates are resolved while streaming, one user at a time, because MovieLens groups each
 * user's ratings. A file that does not is rolled back where a user comes back and read again into
 * staging, and the warehouse resolves its duplicates (insert-model-deduplicated.sql).
 *
 * Why not COPY the raw file and check it in SQL (the ELT route)? Measured at full scale on
 * PostgreSQL: typing, counting and mapping 26M rows in SQL took 16× a plain `\copy` of the file
 * (BENCHMARKS.md); parsing while streaming costs less than the COPY it feeds.
 */
import { DataError, UsageError } from '../core/errors';
import type { ByteRange } from '../core/lake/lake';
import type { Shard } from '../core/shard';
import { totalOf } from '../core/transform-manifests';
import { layout, RAW_SOURCE } from '../core/lake/layout';
import { Progress } from '../core/progress';
import { rejectRatioError } from '../core/reject-ratio';
import { bodyAfterHeader } from '../core/warehouse/csv-body';
import { ratingsWritesFragments } from '../core/warehouse/ratings-summaries';
import { numberColumn } from '../core/warehouse/rows';
import { sqlScript, sqlStatement, type SqlFragments } from '../core/warehouse/sql-files';
import type { RowBatch } from '../core/warehouse/typed-rows';
import { sqlTimestamp, type SqlParams, type StreamingSession } from '../core/warehouse/warehouse';
import { RejectsWriter } from '../core/lake/rejects-writer';
import type { LoadDeps } from './deps';
import { NotGroupedError, RATING_COLUMNS, RatingsReader, type RatingRejectReason, type RatingsCounts } from './ratings-reader';
import { GENRE_USER_COLUMNS, MOVIE_TOTAL_COLUMNS, parseMovieGenres, summaryBatches, type MovieGenres, type RatingsSummaryJson } from './ratings-summary';
import { emptyModelFile, lockStatement, statsFragments, statsParams } from './load-sql';
import { stageRatings, STAGED_RATINGS_HEADER } from './ratings-staged';
import { notSortedError } from './user-boundaries';

export const RATINGS_DATASET = 'ratings';
/** The header of the raw MovieLens file. */
export const RAW_RATINGS_HEADER = ['userId', 'movieId', 'rating', 'timestamp'] as const;

/**
 * The ratings ledger (DESIGN.md section 5): every line of the file in exactly one bucket, by the
 * first rule that applies (rejected, unmapped, not loaded, superseded, analysed); the five sum to
 * ratings_total.
 */
export type RatingsCoverage = {
  ratings_total: number;
  ratings_rejected: number;
  ratings_unmapped: number;
  ratings_not_loaded: number;
  ratings_superseded: number;
  ratings_analysed: number;
  /** The same as ratings_rejected, under the name every dataset's load result uses. */
  rejected: number;
  rejected_by_reason: Record<RatingRejectReason, number>;
};

export type RatingsLoadResult = RatingsCoverage & {
  dataset: typeof RATINGS_DATASET;
  object: string;
  rejects_object: string | null;
  /** The ratings the model held before: the load replaced them all. */
  rows_replaced: number;
  /** The model held no ratings before this load. */
  first_load: boolean;
  seconds: number;
};

export async function loadRatings(deps: LoadDeps, maxRejectRatio: number): Promise<RatingsLoadResult> {
  const startedAt = Date.now();
  const run = new RatingsRun(deps, maxRejectRatio);
  await run.checkDependencies();
  const key = await run.rawObject();
  const links = await run.links();
  const outcome = await run.withStaging(() => {
    const attempt = (grouped: boolean): Promise<Outcome> => {
      const read: ReadRatings = (consume) => run.read(key, links, grouped, consume);
      return deps.warehouse.streaming
        ? deps.warehouse.streaming.inTransaction((session) => run.streamInto(session, read, grouped))
        : run.throughTheLake(read, grouped);
    };
    return groupedFirst(attempt, deps);
  });
  deps.logger.info('loaded ratings', { ...outcome.coverage, rows_replaced: outcome.replaced, first_load: outcome.firstLoad });
  return {
    dataset: RATINGS_DATASET,
    object: key,
    rejects_object: outcome.rejectsObject,
    ...outcome.coverage,
    rows_replaced: outcome.replaced,
    first_load: outcome.firstLoad,
    seconds: Math.round((Date.now() - startedAt) / 10) / 100,
  };
}

/**
 * MovieLens files come grouped by user, and duplicates are resolved while streaming. A file that
 * is not (rolled back at the line where a user comes back) is read again, and the warehouse
 * resolves its duplicates: slower, same result.
 */
async function groupedFirst(attempt: (grouped: boolean) => Promise<Outcome>, deps: LoadDeps): Promise<Outcome> {
  try {
    return await attempt(true);
  } catch (error) {
    if (!(error instanceof NotGroupedError)) throw error;
    deps.logger.warn(`${error.message}: reading it again, with duplicates resolved in the warehouse`, { line: error.line, user: error.user });
    return attempt(false);
  }
}

interface Outcome {
  coverage: RatingsCoverage;
  rejectsObject: string | null;
  replaced: number;
  firstLoad: boolean;
}

/** The whole raw file read once: the typed rows go to `consume`; the counts and rejects come back. */
type ReadRatings = <T>(consume: (batches: AsyncIterable<RowBatch>) => Promise<T>) => Promise<Read<T>>;

export interface Read<T> {
  consumed: T;
  counts: RatingsCounts;
  rejectsObject: string | null;
  /** The rejects that count against --max-reject-ratio (checked when the file has been read). */
  rejected: number;
  /** The rows handed over, summarised (when the links named the movies' genres). */
  summary: RatingsSummaryJson | undefined;
}

/** The links a rating maps through: MovieLens id → loaded TMDB movie, and every linked MovieLens id. */
export interface RatingLinks {
  movieOf: ReadonlyMap<number, number>;
  linked: ReadonlySet<number>;
  /** The rows of movie_genres: given to a grouped read, the rows it hands over are summarised too. */
  movieGenres?: MovieGenres;
}

/** One shard's share of the raw file (ratings-shard.ts): its bytes, and a rejects object of its own. */
export interface ShareOfFile {
  range: ByteRange;
  /** Its rejects go to an object of its own (layout.rejectsShard). */
  shard: Shard;
}

/** The steps of one ratings load, on the run's own staging table. */
export class RatingsRun {
  private readonly fragments: SqlFragments;

  constructor(
    private readonly deps: LoadDeps,
    private readonly maxRejectRatio: number,
  ) {
    this.fragments = { staging: deps.names.staging(RATINGS_DATASET, deps.runId), model: deps.names.table(RATINGS_DATASET), ...statsFragments([false]) };
  }

  async checkDependencies(): Promise<void> {
    const present = (await this.deps.warehouse.query(this.statement('load/ratings/check-dependencies')))[0];
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

  /**
   * What every rating maps through, and, where the rows stream into the warehouse (which writes
   * the summaries; not through the lake), the rows of movie_genres to summarise them against.
   */
  async links(): Promise<RatingLinks> {
    const movieOf = await this.movieMap();
    const linked = await this.linkedIds();
    return this.deps.warehouse.streaming ? { movieOf, linked, movieGenres: await this.movieGenres() } : { movieOf, linked };
  }

  /** MovieLens id → TMDB id, for the links whose movie is loaded. */
  private async movieMap(): Promise<Map<number, number>> {
    const rows = await this.deps.warehouse.query(this.statement('load/ratings/select-movie-map'));
    return new Map(rows.map((row) => [numberColumn(row, 'movielens_id'), numberColumn(row, 'tmdb_id')]));
  }

  /** The (movie, genre) pairs of movie_genres, for the users per genre the load summarises. */
  private async movieGenres(): Promise<MovieGenres> {
    const [row] = await this.deps.warehouse.query(this.statement('load/ratings/summary/select-movie-genres'));
    return parseMovieGenres(String(row?.pairs_text ?? ''), row ? numberColumn(row, 'pairs') : 0);
  }

  /** The MovieLens ids links maps to a TMDB id, loaded or not: a rating of any other is unmapped. */
  private async linkedIds(): Promise<Set<number>> {
    const rows = await this.deps.warehouse.query(this.statement('load/ratings/select-linked-ids'));
    return new Set(rows.map((row) => numberColumn(row, 'movielens_id')));
  }

  /** `work` on the run's staging table: dropped before (what a killed attempt left) and after, whatever `work` does. */
  async withStaging<T>(work: () => Promise<T>): Promise<T> {
    const drop = (): Promise<number> => this.deps.warehouse.execute(this.statement('load/drop-staging'));
    await drop();
    try {
      return await work();
    } finally {
      await drop().catch((error: unknown) =>
        this.deps.logger.warn('could not drop the ratings staging table; the next load of this run drops it', { error: String(error) }),
      );
    }
  }

  /**
   * PGlite, PostgreSQL: everything inside the session's one transaction. The model is emptied
   * (TRUNCATE, transactional here) and takes the rows straight from COPY; a file not grouped by
   * user goes through staging, where SQL keeps one rating per user and movie.
   */
  async streamInto(session: StreamingSession, read: ReadRatings, grouped: boolean): Promise<Outcome> {
    await session.execute(this.statement('load/lock-model'));
    const replaced = numberColumn((await session.query(this.statement('load/count-model')))[0], 'model_rows');
    await session.execute(this.statement(emptyModelFile(this.deps.warehouse.kind)));
    if (!grouped) await session.execute(this.statement('load/ratings/create-staging'));
    const table = (grouped ? this.fragments.model : this.fragments.staging) as string;
    const { counts, rejectsObject, rejected, summary } = await this.timed(grouped ? 'copied into the emptied model' : 'copied into staging', () =>
      // Either table was created or emptied just above, in this transaction: its rows go in frozen.
      read((batches) => session.copyRows({ table, columns: RATING_COLUMNS, batches, freeze: true })),
    );
    const analysed = grouped ? counts.ratings_analysed : await this.countStagedPairs(session);
    if (!grouped) await this.timed('model filled from staging', () => session.execute(this.statement('load/ratings/insert-model-deduplicated')));
    const coverage = this.coverage(counts, analysed, rejected);
    const params = this.statsParams(coverage);
    await session.execute(this.statement('load/lock-stats'));
    await session.execute(this.statement('load/delete-stats'), params);
    await session.execute(this.statement('load/ratings/record-stats'), params);
    await this.replaceSummaries(session, summary, params);
    return { coverage, rejectsObject, replaced, firstLoad: replaced === 0 };
  }

  /**
   * The summaries of the ratings just written (ratings-summary.ts) in place of the last load's, and
   * their fingerprint beside the ledger (after record-stats, in its transaction), then the trigger
   * that counts every later write of the ratings (count-writes.sql) and a count of 0 for this load:
   * while it stays 0, readers trust the fingerprint without scanning. Without a summary (a file
   * not grouped by user) the tables are emptied and nothing is recorded: readers then aggregate
   * the ratings.
   */
  async replaceSummaries(session: StreamingSession, summary: RatingsSummaryJson | undefined, params: SqlParams): Promise<void> {
    await session.execute(this.statement('load/ratings/summary/empty-by-movie'));
    await session.execute(this.statement('load/ratings/summary/empty-users-by-genre'));
    if (!summary) return;
    const batches = summaryBatches(summary);
    await session.copyRows({ table: this.deps.names.table('ratings_by_movie'), columns: MOVIE_TOTAL_COLUMNS, batches: once(batches.movies) });
    await session.copyRows({ table: this.deps.names.table('ratings_users_by_genre'), columns: GENRE_USER_COLUMNS, batches: once(batches.genres) });
    await session.execute(this.statement('load/ratings/summary/record-fingerprint'), { ...params, ...summary.fingerprint });
    // From here on every statement that writes the ratings is counted: readers skip the scan while none has.
    const fragments = ratingsWritesFragments(this.deps.names);
    for (const statement of sqlScript('load/ratings/summary/count-writes', this.deps.names, fragments)) await session.execute(statement);
    await session.execute(sqlStatement('load/ratings/summary/record-unwritten', this.deps.names, fragments), params);
  }

  /** Redshift: the rows reach it through the lake as staged parts (fromStagedParts). */
  async throughTheLake(read: ReadRatings, grouped: boolean): Promise<Outcome> {
    const { consumed: staged, counts, rejectsObject, rejected } = await this.timed('staged in the lake', () =>
      read((batches) => stageRatings(this.deps.lake, RATINGS_DATASET, this.deps.runId, batches)),
    );
    return { ...(await this.fromStagedParts(staged, counts, rejected, grouped)), rejectsObject };
  }

  /**
   * Redshift: the staged parts (of one load, or of every shard) COPYed into staging at once (one
   * COPY manifest spreads them over the cluster's slices), then ONE transaction replaces the whole
   * ratings table (DELETE, then INSERT from staging) and records the ledger. Runs in withStaging.
   */
  async fromStagedParts(keys: readonly string[], counts: RatingsCounts, rejected: number, grouped: boolean): Promise<Omit<Outcome, 'rejectsObject'>> {
    await this.deps.warehouse.execute(this.statement('load/ratings/create-staging'));
    await this.timed('copied into staging', () =>
      this.deps.warehouse.loadFromLake({
        lake: this.deps.lake,
        keys,
        table: this.fragments.staging as string,
        columns: RATING_COLUMNS.map((column) => column.name),
        header: STAGED_RATINGS_HEADER,
        gzip: true,
      }),
    );
    const analysed = grouped ? counts.ratings_analysed : await this.countStagedPairs(this.deps.warehouse);
    const coverage = this.coverage(counts, analysed, rejected);
    const insert = grouped ? 'load/ratings/insert-model' : 'load/ratings/insert-model-deduplicated';
    const statements = [
      lockStatement(this.deps.names, [RATINGS_DATASET]),
      ...[emptyModelFile(this.deps.warehouse.kind), insert, 'load/delete-stats', 'load/ratings/record-stats'].map((file) => this.statement(file)),
    ];
    const affected = await this.timed('model replaced', () => this.deps.warehouse.transaction(statements, this.statsParams(coverage)));
    const replaced = affected[1] ?? 0;
    return { coverage, replaced, firstLoad: replaced === 0 };
  }

  /** Reads the raw object through a RatingsReader into `consume`; rejects written as they come. */
  async read<T>(
    key: string,
    links: RatingLinks,
    grouped: boolean,
    consume: (batches: AsyncIterable<RowBatch>) => Promise<T>,
    share?: ShareOfFile,
  ): Promise<Read<T>> {
    const rejects = new RejectsWriter(this.deps.lake, RATINGS_DATASET, this.deps.runId, share?.shard);
    // An earlier attempt's rejects go: a file without rejects leaves none.
    await this.deps.lake.delete(rejects.key);
    const reader = new RatingsReader({
      object: this.deps.lake.urlOf(key),
      movieOf: links.movieOf,
      linked: links.linked,
      grouped,
      // Only a grouped read hands over the model's rows, which a summary describes.
      ...(grouped && links.movieGenres ? { summarise: links.movieGenres } : {}),
      ...(share ? { firstLine: 0, ascendingUsers: { notSorted: (detail: string) => notSortedError(this.deps.lake.urlOf(key), detail) } } : {}),
      futureFrom: startOfNextUtcDay(this.deps.now()),
      onReject: (line, reason, detail, record) => rejects.write(line, { code: reason, message: `${reason}: ${detail}` }, record),
    });
    const progress = new Progress(this.deps.logger, 'ratings');
    let consumed: T;
    try {
      const body = share ? this.range(key, share.range, progress) : this.body(key, progress);
      consumed = await consume(counted(reader.batches(body), progress));
    } catch (error) {
      await rejects.abort(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
    progress.done();
    const rejectsObject = await rejects.close();
    if (rejectsObject) this.deps.logger.warn(`rejected ratings written to ${this.deps.lake.urlOf(rejectsObject)}`, { rows: rejects.total });
    // Before anything reaches the model (the caller's transaction rolls back a streamed COPY).
    // A shard's share is checked with the others', when they are committed together.
    const rejected = share ? totalOf(reader.counts.rejected_by_reason) : this.checkRejectRatio(key, reader.counts, rejectsObject);
    return { consumed, counts: reader.counts, rejectsObject, rejected, summary: reader.summary?.toJson() };
  }

  /** The raw object after its (checked) header, counted for progress. */
  private async *body(key: string, progress: Progress): AsyncGenerator<Buffer> {
    for await (const chunk of bodyAfterHeader(await this.deps.lake.get(key), RAW_RATINGS_HEADER, this.deps.lake.urlOf(key))) {
      progress.add(0, chunk.length);
      yield chunk;
    }
  }

  /** A shard's bytes of the raw object (its header was checked when the shard's range was found). */
  private async *range(key: string, range: ByteRange, progress: Progress): AsyncGenerator<Buffer> {
    for await (const chunk of await this.deps.lake.get(key, range)) {
      progress.add(0, (chunk as Buffer).length);
      yield chunk as Buffer;
    }
  }

  private async countStagedPairs(target: Pick<StreamingSession, 'query'>): Promise<number> {
    return numberColumn((await target.query(this.statement('load/ratings/count-staged-pairs')))[0], 'ratings_analysed');
  }

  /** The coverage of a file read whole. */
  coverage(counts: RatingsCounts, analysed: number, rejected: number): RatingsCoverage {
    return {
      ratings_total: counts.ratings_total,
      ratings_rejected: rejected,
      ratings_unmapped: counts.ratings_unmapped,
      ratings_not_loaded: counts.ratings_not_loaded,
      ratings_superseded: counts.ratings_mapped - analysed,
      ratings_analysed: analysed,
      rejected,
      rejected_by_reason: { ...counts.rejected_by_reason },
    };
  }

  /** How many were rejected; a DataError when that is above --max-reject-ratio. */
  checkRejectRatio(key: string, counts: Pick<RatingsCounts, 'ratings_total' | 'rejected_by_reason'>, rejectsObject: string | null): number {
    const rejected = totalOf(counts.rejected_by_reason);
    const error = rejectRatioError({ rejected, total: counts.ratings_total, noun: 'ratings', outcome: 'the warehouse is unchanged' }, this.maxRejectRatio, {
      object: this.deps.lake.urlOf(key),
      ...prefixed(counts.rejected_by_reason),
      ...(rejectsObject ? { rejects: this.deps.lake.urlOf(rejectsObject) } : {}),
    });
    if (error) throw error;
    return rejected;
  }

  statsParams(coverage: RatingsCoverage): SqlParams {
    return {
      dataset: RATINGS_DATASET,
      ...statsParams([{ dataset: RATINGS_DATASET }]),
      run_id: this.deps.runId,
      recorded_at: sqlTimestamp(this.deps.now()),
      ratings_total: coverage.ratings_total,
      ratings_rejected: coverage.ratings_rejected,
      ratings_unmapped: coverage.ratings_unmapped,
      ratings_not_loaded: coverage.ratings_not_loaded,
      ratings_superseded: coverage.ratings_superseded,
      ratings_analysed: coverage.ratings_analysed,
      ...prefixed(coverage.rejected_by_reason),
    };
  }

  statement(file: string): string {
    return sqlStatement(file, this.deps.names, this.fragments);
  }

  /** Long steps (seconds to minutes at full scale) say how long they took. */
  async timed<T>(step: string, work: () => Promise<T>): Promise<T> {
    const started = Date.now();
    const result = await work();
    this.deps.logger.info(`ratings: ${step}`, { seconds: Math.round((Date.now() - started) / 100) / 10 });
    return result;
  }
}

/** Epoch seconds of the next midnight UTC: a rating dated from then on is in the future. */
function startOfNextUtcDay(now: Date): number {
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1) / 1000;
}

function prefixed(byReason: RatingsCoverage['rejected_by_reason']): Record<string, number> {
  return Object.fromEntries(Object.entries(byReason).map(([reason, count]) => [`rejected_${reason}`, count]));
}

/** The batches passed through, each counted once its consumer has taken it (and asks for the next). */
async function* counted(batches: AsyncIterable<RowBatch>, progress: Progress): AsyncGenerator<RowBatch> {
  for await (const batch of batches) {
    yield batch;
    progress.add(batch.rows);
  }
}

/** One batch, as the async iterable a COPY takes. */
async function* once(batch: RowBatch): AsyncGenerator<RowBatch> {
  yield batch;
}
