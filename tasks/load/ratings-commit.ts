/**
 * `movalytics load ratings --shards N`: the commit of a sharded ratings load (ratings-shard.ts).
 *
 *   the N shard manifests: all present, of the raw object as it is now (size, version), their byte and user
 *   ranges contiguous, their rows where this warehouse takes them from — else a DataError naming
 *   the shard to rerun
 *   → the shards' rejects merged into rejects/ratings/<run_id>/rejects.csv.gz, renumbered to the
 *     file's physical lines (each shard counted its lines from its first)
 *   → the reject ratio checked on the sums
 *   → PGlite, PostgreSQL: ONE transaction: LOCK load_stats, ratings (the loads' global order,
 *     lock-replaced.sql); DROP the old model, RENAME the run's next table into its place (no row
 *     is visited); the ledger and the summaries of the rows (ratings-summary.ts) summed over the
 *     shards and recorded as the unsharded load records them
 *     Redshift: every shard's staged parts COPYed into staging with ONE manifest, then ONE
 *     transaction replacing the whole ratings table and its ledger, as the unsharded load does.
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
import { sqlStatement, type SqlFragments } from '../core/warehouse/sql-files';
import type { StreamingSession, StreamingWarehouse } from '../core/warehouse/warehouse';
import type { LoadDeps } from './deps';
import { lockStatement } from './load-sql';
import { zeroRatingsCounts, type RatingsCounts } from './ratings-reader';
import { summedSummaries, type RatingsSummaryJson } from './ratings-summary';
import { RATINGS_DATASET, RatingsRun, type RatingsCoverage, type RatingsLoadResult } from './ratings';
import { nextTable, shardManifestKey, type RatingsShardManifest } from './ratings-shard';

export async function commitRatingsShards(deps: LoadDeps, maxRejectRatio: number, count: number): Promise<RatingsLoadResult> {
  const startedAt = Date.now();
  const run = new RatingsRun(deps, maxRejectRatio);
  const key = await run.rawObject();
  const raw = await deps.lake.head(key);
  const loadedWhole = count === 1 ? await loadedAsOne(deps) : undefined;
  if (loadedWhole) return loadedWhole;
  const manifests = await shardManifests(deps, count, { size: raw?.size ?? 0, version: raw?.version });
  const counts = summed(manifests);
  const commit = deps.warehouse.streaming ? new NextTableSwap(deps, deps.warehouse.streaming, run, count) : new StagedPartsCopy(deps, run);
  await commit.checkShards(manifests);
  const rejectsObject = await mergeRejects(deps, manifests);
  const rejected = run.checkRejectRatio(key, counts, rejectsObject);
  const { coverage, replaced } = await commit.replaceModel(manifests, counts, rejected);
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

/** How the shards' rows take the model's place, on one kind of warehouse. */
interface ShardsCommit {
  /** Before anything is written: the shards' rows are where this commit takes them from, else a DataError naming what to rerun. */
  checkShards(manifests: readonly RatingsShardManifest[]): Promise<void>;
  /** ONE transaction replacing the model and its ledger (and summaries) with the shards' rows. */
  replaceModel(manifests: readonly RatingsShardManifest[], counts: RatingsCounts, rejected: number): Promise<{ coverage: RatingsCoverage; replaced: number }>;
}

/** PGlite, PostgreSQL: the run's next table, filled by the shards, renamed into the model's place (no row is visited). */
class NextTableSwap implements ShardsCommit {
  private readonly next: string;
  private readonly fragments: SqlFragments;

  constructor(
    private readonly deps: LoadDeps,
    private readonly streaming: StreamingWarehouse,
    private readonly run: RatingsRun,
    private readonly count: number,
  ) {
    this.next = nextTable(deps, count);
    this.fragments = { next: this.next, model_name: quoteIdentifier(deps.names.tableName(RATINGS_DATASET)), model: deps.names.table(RATINGS_DATASET) };
  }

  async checkShards(manifests: readonly RatingsShardManifest[]): Promise<void> {
    const staged = manifests.find((manifest) => manifest.staged_objects !== undefined);
    if (staged) throw rerun(this.deps, staged.shard, `was staged in the lake for Redshift, not loaded into ${this.deps.warehouse.description}`);
    await this.checkNextPresent(this.deps.warehouse);
  }

  async replaceModel(manifests: readonly RatingsShardManifest[], counts: RatingsCounts, rejected: number): Promise<{ coverage: RatingsCoverage; replaced: number }> {
    const summary = summaryOf(this.deps, manifests);
    const coverage = this.run.coverage(counts, counts.ratings_analysed, rejected);
    const replaced = await this.run.timed("model swapped for the shards' table", () =>
      this.streaming.inTransaction(async (session) => {
        await session.execute(lockStatement(this.deps.names, [RATINGS_DATASET]));
        // Again under the lock: a concurrent commit of the same shards may have taken it meanwhile.
        await this.checkNextPresent(session);
        const before = numberColumn((await session.query(this.statement('load/ratings/shards/count-replaced')))[0], 'model_rows');
        await session.execute(this.statement('load/ratings/shards/drop-model'));
        await session.execute(this.statement('load/ratings/shards/rename-next'));
        const params = this.run.statsParams(coverage);
        await session.execute(this.run.statement('load/delete-stats'), params);
        await session.execute(this.run.statement('load/ratings/record-stats'), params);
        await this.run.replaceSummaries(session, summary, params);
        return before;
      }),
    );
    await dropOtherNextTables(this.deps, this.count);
    return { coverage, replaced };
  }

  private statement(file: string): string {
    return sqlStatement(file, this.deps.names, this.fragments);
  }

  private async checkNextPresent(target: Pick<StreamingSession, 'query'>): Promise<void> {
    const present = numberColumn((await target.query(this.statement('load/ratings/shards/next-present'), { next_table: this.next }))[0], 'present');
    if (present === 0) throw rerunAll(this.deps, this.count, 'no next ratings table holds their rows (committed already, or never loaded)');
  }
}

/**
 * Redshift: every shard's staged parts COPYed into staging with one manifest (spread over the
 * cluster's slices), then the model replaced as the unsharded load replaces it, then the parts
 * removed. A commit that failed before its transaction ended finds them all and runs again.
 */
class StagedPartsCopy implements ShardsCommit {
  constructor(
    private readonly deps: LoadDeps,
    private readonly run: RatingsRun,
  ) {}

  async checkShards(manifests: readonly RatingsShardManifest[]): Promise<void> {
    for (const manifest of manifests) {
      if (!manifest.staged_objects) throw rerun(this.deps, manifest.shard, `was loaded into a next table, not staged in the lake for ${this.deps.warehouse.description}`);
      for (const key of manifest.staged_objects) {
        if (!(await this.deps.lake.head(key))) throw rerun(this.deps, manifest.shard, `staged ${this.deps.lake.urlOf(key)}, which is gone (committed already, or removed)`);
      }
    }
  }

  async replaceModel(manifests: readonly RatingsShardManifest[], counts: RatingsCounts, rejected: number): Promise<{ coverage: RatingsCoverage; replaced: number }> {
    const keys = manifests.flatMap((manifest) => manifest.staged_objects ?? []);
    // Each shard read its users grouped and ascending, and no user spans two shards: no duplicate is left.
    const replaced = await this.run.withStaging(() => this.run.fromStagedParts(keys, counts, rejected, true));
    // Their rows are the model's now (as the next table becomes the model elsewhere): a second commit asks for the shards again.
    for (const key of keys) await this.deps.lake.delete(key);
    return replaced;
  }
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
