/**
 * `movalytics load ratings --shards N`: the commit of a sharded ratings load (ratings-shard.ts).
 *
 *   the N shard manifests: all present, of the raw object as it is now (size, version), their byte and user
 *   ranges contiguous — else a DataError naming the shard to rerun
 *   → the shards' rejects merged into rejects/ratings/<run_id>/rejects.csv.gz, renumbered to the
 *     file's physical lines (each shard counted its lines from its first)
 *   → the reject ratio checked on the sums
 *   → ONE transaction: LOCK load_stats, ratings (the loads' global order, lock-replaced.sql);
 *     DROP the old model, RENAME the run's next table into its place (no row is visited); the
 *     ledger and the summaries of the rows (ratings-summary.ts) summed over the shards and
 *     recorded as the unsharded load records them.
 *
 * Afterwards the warehouse holds what one unsharded `load ratings` of the run leaves.
 */
import { parse } from 'fast-csv';
import { createGunzip } from 'node:zlib';
import { DataError } from '../core/errors';
import { getJson } from '../core/lake/lake';
import { layout } from '../core/lake/layout';
import { RejectsWriter } from '../core/lake/rejects-writer';
import { MAX_SHARDS, shardLabel, WHOLE, type Shard } from '../core/shard';
import { quoteIdentifier } from '../core/warehouse/identifiers';
import { numberColumn } from '../core/warehouse/rows';
import { sqlStatement } from '../core/warehouse/sql-files';
import type { StreamingSession } from '../core/warehouse/warehouse';
import type { LoadDeps } from './deps';
import { lockStatement } from './load-sql';
import { zeroRatingsCounts, type RatingsCounts } from './ratings-reader';
import { summedSummaries, type RatingsSummaryJson } from './ratings-summary';
import { RATINGS_DATASET, RatingsRun, type RatingsLoadResult } from './ratings';
import { nextTable, shardManifestKey, streamingOf, type RatingsShardManifest } from './ratings-shard';

export async function commitRatingsShards(deps: LoadDeps, maxRejectRatio: number, count: number): Promise<RatingsLoadResult> {
  const startedAt = Date.now();
  const run = new RatingsRun(deps, maxRejectRatio);
  const key = await run.rawObject();
  const raw = await deps.lake.head(key);
  // Before asking for a streaming warehouse: on Redshift the one shard is always the plain load.
  const loadedWhole = count === 1 ? await loadedAsOne(deps) : undefined;
  if (loadedWhole) return loadedWhole;
  const streaming = streamingOf(deps);
  const manifests = await shardManifests(deps, count, { size: raw?.size ?? 0, version: raw?.version });
  const counts = summed(manifests);
  const summary = summaryOf(deps, manifests);
  const fragments = { next: nextTable(deps, count), model_name: quoteIdentifier(deps.names.tableName(RATINGS_DATASET)), model: deps.names.table(RATINGS_DATASET) };
  const statement = (file: string): string => sqlStatement(file, deps.names, fragments);
  const checkNextPresent = async (target: Pick<StreamingSession, 'query'>): Promise<void> => {
    const present = numberColumn((await target.query(statement('load/ratings/shards/next-present'), { next_table: fragments.next }))[0], 'present');
    if (present === 0) throw rerunAll(deps, count, 'no next ratings table holds their rows (committed already, or never loaded)');
  };
  await checkNextPresent(deps.warehouse);
  const rejectsObject = await mergeRejects(deps, manifests);
  const rejected = run.checkRejectRatio(key, counts, rejectsObject);
  const coverage = run.coverage(counts, counts.ratings_analysed, rejected);
  const replaced = await run.timed('model swapped for the shards\' table', () => streaming.inTransaction(async (session) => {
    await session.execute(lockStatement(deps.names, [RATINGS_DATASET]));
    // Again under the lock: a concurrent commit of the same shards may have taken it meanwhile.
    await checkNextPresent(session);
    const before = numberColumn((await session.query(statement('load/ratings/shards/count-replaced')))[0], 'model_rows');
    await session.execute(statement('load/ratings/shards/drop-model'));
    await session.execute(statement('load/ratings/shards/rename-next'));
    const params = run.statsParams(coverage);
    await session.execute(run.statement('load/delete-stats'), params);
    await session.execute(run.statement('load/ratings/record-stats'), params);
    await run.replaceSummaries(session, summary, params);
    return before;
  }));
  await dropOtherNextTables(deps, count);
  for (const manifest of manifests) if (manifest.rejects_object) await deps.lake.delete(manifest.rejects_object);
  deps.logger.info('loaded ratings from shards', { shards: count, ...coverage, rows_replaced: replaced });
  return {
    dataset: RATINGS_DATASET,
    object: key,
    rejects_object: rejectsObject,
    ...coverage,
    rows_replaced: replaced,
    first_load: replaced === 0,
    seconds: Math.round((Date.now() - startedAt) / 10) / 100,
  };
}

/**
 * One shard that ran as the plain load (the step graph runs a single shard as `load ratings`,
 * which writes the model itself): nothing is left to commit, and its result stands. Only when no
 * shard 1/1 was loaded into a next table, which is then committed as usual.
 */
async function loadedAsOne(deps: LoadDeps): Promise<RatingsLoadResult | undefined> {
  const whole = layout.manifest(`load-${RATINGS_DATASET}`, deps.runId);
  if ((await deps.lake.head(shardManifestKey(deps.runId, WHOLE))) || !(await deps.lake.head(whole))) return undefined;
  deps.logger.info('the ratings of the run were loaded whole, as one shard: nothing to commit', { manifest: deps.lake.urlOf(whole) });
  // The manifest holds the result under the task's own fields, which the caller writes again.
  return getJson<RatingsLoadResult>(deps.lake, whole);
}

/** The N manifests, checked: present, of this raw object, ranges that follow each other. */
async function shardManifests(deps: LoadDeps, count: number, raw: { size: number; version: string | undefined }): Promise<RatingsShardManifest[]> {
  const { size } = raw;
  const manifests: RatingsShardManifest[] = [];
  for (let index = 1; index <= count; index++) {
    const shard: Shard = { index, count };
    const manifestKey = shardManifestKey(deps.runId, shard);
    if (!(await deps.lake.head(manifestKey))) throw rerun(deps, shard, 'has not been loaded (no shard manifest)');
    const manifest = await getJson<RatingsShardManifest>(deps.lake, manifestKey);
    if (manifest.object_size !== size) throw rerun(deps, shard, `read another raw file (${manifest.object_size} bytes, now ${size})`);
    if (manifest.object_version !== undefined && manifest.object_version !== raw.version) {
      throw rerun(deps, shard, 'read another raw file (the same size, written again since the shard read it)');
    }
    const previous = manifests.at(-1);
    const follows = previous
      ? manifest.range.start === previous.range.end && manifest.range.firstUser === previous.range.nextUser
      : manifest.range.firstUser === null;
    if (!follows || (index === count && (manifest.range.end !== size || manifest.range.nextUser !== null))) {
      throw rerun(deps, shard, 'does not continue where the shard before it ends');
    }
    manifests.push(manifest);
  }
  return manifests;
}

const rerun = (deps: LoadDeps, shard: Shard, why: string): DataError =>
  new DataError(`ratings shard ${shardLabel(shard)} ${why}: run "movalytics load ratings --shard ${shardLabel(shard)}", then commit again`, {
    run_id: deps.runId,
    manifest: deps.lake.urlOf(shardManifestKey(deps.runId, shard)),
  });

const rerunAll = (deps: LoadDeps, count: number, why: string): DataError =>
  new DataError(`nothing to commit for ${count} ratings shards: ${why}; run "movalytics load ratings --shard I/${count}" for every I, then commit again`, { run_id: deps.runId });

/** The shards' summaries as one; none (readers aggregate the ratings) when a shard wrote none or they disagree on the genres. */
function summaryOf(deps: LoadDeps, manifests: readonly RatingsShardManifest[]): RatingsSummaryJson | undefined {
  const parts = manifests.flatMap((manifest) => (manifest.summary ? [manifest.summary] : []));
  const summary = parts.length === manifests.length ? summedSummaries(parts) : undefined;
  if (!summary) deps.logger.warn('the ratings shards left no summaries that add up (a shard without one, or movie_genres changed between shards): the quality check and the report will aggregate the ratings');
  return summary;
}

function summed(manifests: readonly RatingsShardManifest[]): RatingsCounts {
  const total = zeroRatingsCounts();
  for (const { counts } of manifests) {
    total.ratings_total += counts.ratings_total;
    total.ratings_unmapped += counts.ratings_unmapped;
    total.ratings_not_loaded += counts.ratings_not_loaded;
    total.ratings_mapped += counts.ratings_mapped;
    total.ratings_analysed += counts.ratings_analysed;
    for (const reason of Object.keys(total.rejected_by_reason) as Array<keyof RatingsCounts['rejected_by_reason']>) {
      total.rejected_by_reason[reason] += counts.rejected_by_reason[reason];
    }
  }
  return total;
}

/**
 * The shards' rejects as the unsharded load writes them: one object, each line numbered as in the
 * file (the header is line 1, then each shard's lines after the lines of the shards before it).
 * Rejects are few (at most --max-reject-ratio of the lines): reading them again costs little.
 */
async function mergeRejects(deps: LoadDeps, manifests: readonly RatingsShardManifest[]): Promise<string | null> {
  const writer = new RejectsWriter(deps.lake, RATINGS_DATASET, deps.runId);
  await deps.lake.delete(writer.key);
  let linesBefore = 1;
  try {
    for (const manifest of manifests) {
      if (manifest.rejects_object) {
        const rows = (await deps.lake.get(manifest.rejects_object)).pipe(createGunzip()).pipe(parse<RejectRow, RejectRow>({ headers: true }));
        for await (const row of rows as AsyncIterable<RejectRow>) {
          const message = row.reason;
          await writer.write(linesBefore + Number(row.line), { code: message.slice(0, message.indexOf(':')), message }, row.record);
        }
      }
      linesBefore += manifest.lines;
    }
  } catch (error) {
    await writer.abort(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
  return writer.close();
}

interface RejectRow {
  line: string;
  reason: string;
  record: string;
}

/** Next tables of this run for other shard counts (an abandoned attempt): dropped, best effort. */
async function dropOtherNextTables(deps: LoadDeps, count: number): Promise<void> {
  for (let other = 1; other <= MAX_SHARDS; other++) {
    if (other === count) continue;
    await deps.warehouse
      .execute(sqlStatement('load/ratings/shards/drop-next', deps.names, { next: nextTable(deps, other) }))
      .catch((error: unknown) => deps.logger.warn('could not drop a next ratings table of another shard count', { shards: other, error: String(error) }));
  }
}
