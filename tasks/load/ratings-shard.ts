/**
 * `movalytics load ratings --shard I/N`: one shard of a sharded ratings load.
 *
 *   the shard's byte range, cut at user boundaries (user-boundaries.ts), read by a ranged GET
 *   → PGlite, PostgreSQL: the run's next ratings table, created LIKE the model once (under an
 *     advisory lock, in a short transaction of its own, so concurrent shards never race on its
 *     CREATE); then ONE transaction: DELETE the shard's users [first user, next shard's first
 *     user) from it (what an earlier attempt left), COPY the shard's checked rows
 *     Redshift: the shard's checked rows staged in the lake as staged/ratings/<run_id>/part-IIofNN-*
 *     (its earlier parts removed first; the warehouse is not touched)
 *   → rejects to rejects/ratings/<run_id>/rejects-IIofNN.csv.gz, line numbers counted from the
 *     shard's first line (the commit renumbers them: a shard does not know how many lines precede it)
 *   → its counts, ranges, staged parts and the summary of its rows (ratings-summary.ts) to
 *     manifests/load_ratings/<run_id>/shard-I-of-N.json, written once its rows are committed or
 *     stored (removed first, so a failed attempt leaves none).
 *
 * The model is untouched: `load ratings --shards N` (ratings-commit.ts) swaps the next table in,
 * or on Redshift COPYs every shard's parts with one manifest. The next table is named by the run
 * and the shard count: shards of different counts never write one table, and the rows of a user
 * range are the same whichever shard wrote them.
 */
import { putJson } from '../core/lake/lake';
import { layout } from '../core/lake/layout';
import { shardLabel, type Shard } from '../core/shard';
import { quoteText } from '../core/warehouse/identifiers';
import { sqlStatement } from '../core/warehouse/sql-files';
import type { RowBatch } from '../core/warehouse/typed-rows';
import type { StreamingWarehouse } from '../core/warehouse/warehouse';
import type { LoadDeps } from './deps';
import { RATING_COLUMNS, type RatingsCounts } from './ratings-reader';
import type { RatingsSummaryJson } from './ratings-summary';
import { RATINGS_DATASET, RAW_RATINGS_HEADER, RatingsRun, type Read } from './ratings';
import { stageRatings } from './ratings-staged';
import { shardRange, type ShardRange } from './user-boundaries';

/** The task name of the shard manifests' folder. */
export const SHARD_TASK = 'load_ratings';

/** What a shard did, for the commit to check and sum. */
export type RatingsShardManifest = {
  task: typeof SHARD_TASK;
  run_id: string;
  shard: { index: number; count: number };
  object: string;
  /** The raw object's size when the shard read it: the commit refuses shards of another file. */
  object_size: number;
  /**
   * The raw object's version (LakeObject.version) when the shard started: the commit refuses a shard
   * whose file was written again since, even at the same size (absent from older manifests).
   */
  object_version?: string;
  range: ShardRange;
  counts: RatingsCounts;
  /** Physical lines of the shard (its share of ratings_total): how the commit numbers rejects. */
  lines: number;
  rejects_object: string | null;
  /** Redshift: the shard's rows as staged parts, which the commit COPYs with the other shards'. */
  staged_objects?: string[];
  /** The shard's rows summarised (ratings-summary.ts), summed over the shards by the commit (absent from older manifests). */
  summary?: RatingsSummaryJson;
  seconds: number;
};

/** The run's next ratings table for `count` shards. */
export const nextTable = (deps: Pick<LoadDeps, 'names' | 'runId'>, count: number): string => deps.names.staging(`ratings_next${count}`, deps.runId);

export const shardManifestKey = (runId: string, shard: Shard): string => layout.shardManifest(SHARD_TASK, runId, shard);

export async function loadRatingsShard(deps: LoadDeps, shard: Shard): Promise<RatingsShardManifest> {
  const startedAt = Date.now();
  // The reject ratio is checked on the sums, by the commit.
  const run = new RatingsRun(deps, 1);
  await run.checkDependencies();
  const key = await run.rawObject();
  const manifestKey = shardManifestKey(deps.runId, shard);
  await deps.lake.delete(manifestKey);
  const raw = await deps.lake.head(key);
  const size = raw?.size ?? 0;
  const range = await shardRange(deps.lake, key, size, shard, RAW_RATINGS_HEADER);
  deps.logger.info(`ratings shard ${shardLabel(shard)}`, { ...range });
  const links = await run.links();
  const readShare: ReadShare = (consume) => run.read(key, links, true, consume, { range, shard });
  const read = deps.warehouse.streaming
    ? await intoNextTable(deps, deps.warehouse.streaming, run, shard, range, readShare)
    : await run.timed(`shard ${shardLabel(shard)} staged in the lake`, () => readShare((batches) => stageRatings(deps.lake, RATINGS_DATASET, deps.runId, batches, { shard })));
  const manifest: RatingsShardManifest = {
    task: SHARD_TASK,
    run_id: deps.runId,
    shard,
    object: key,
    object_size: size,
    ...(raw ? { object_version: raw.version } : {}),
    range,
    counts: read.counts,
    lines: read.counts.ratings_total,
    rejects_object: read.rejectsObject,
    ...(read.consumed ? { staged_objects: read.consumed } : {}),
    ...(read.summary ? { summary: read.summary } : {}),
    seconds: Math.round((Date.now() - startedAt) / 10) / 100,
  };
  await putJson(deps.lake, manifestKey, manifest);
  deps.logger.info(`loaded ratings shard ${shardLabel(shard)}: commit with "movalytics load ratings --shards ${shard.count}" once every shard is loaded`, { ...read.counts });
  return manifest;
}

/** The shard's share of the raw file read once, its rows handed to `consume`: staged parts' keys come back, or nothing. */
type ReadShare = (consume: (batches: AsyncIterable<RowBatch>) => Promise<string[] | undefined>) => Promise<Read<string[] | undefined>>;

/**
 * PGlite, PostgreSQL: the shard's rows COPYed into the run's next table (created once, for all
 * shards), in place of the rows of its users an earlier attempt left there.
 */
async function intoNextTable(deps: LoadDeps, streaming: StreamingWarehouse, run: RatingsRun, shard: Shard, range: ShardRange, readShare: ReadShare): Promise<Read<string[] | undefined>> {
  const fragments = { next: nextTable(deps, shard.count) };
  const statement = (file: string): string => sqlStatement(file, deps.names, fragments);
  await streaming.inTransaction(async (session) => {
    await session.query(statement('load/ratings/shards/lock-next'), { next_table: fragments.next });
    await session.execute(statement('load/ratings/shards/create-next'));
    const comment = (await session.query(statement('load/ratings/shards/model-comment'), { model_table: deps.names.table(RATINGS_DATASET) }))[0]?.comment;
    if (typeof comment === 'string') await session.execute(sqlStatement('load/ratings/shards/comment-next', deps.names, { ...fragments, comment: quoteText(comment) }));
  });
  return streaming.inTransaction(async (session) => {
    await session.execute(statement('load/ratings/shards/delete-next-range'), { first_user: range.firstUser, next_user: range.nextUser });
    return run.timed(`shard ${shardLabel(shard)} copied into the next table`, () =>
      readShare(async (batches) => {
        await session.copyRows({ table: fragments.next, columns: RATING_COLUMNS, batches });
        return undefined;
      }),
    );
  });
}
