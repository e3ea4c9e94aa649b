/**
 * `movalytics load <dataset…>`: switch the warehouse model to the staged data of one run.
 *
 *   the contract datasets named (movies, genres, …, cpi; see tasks/core/staged.ts):
 *     staged/<dataset>/<run_id>/ → each dataset's staging table (COPY) → ONE transaction for all
 *     of them replacing each model table whole with its staging rows (staged-dataset.ts)
 *   then, if named, ratings: raw/movies/<run_id>/ratings.csv read once, checked, mapped and
 *     de-duplicated as it streams → ONE transaction of its own replacing the whole ratings table
 *     (ratings.ts; on Redshift through gzip parts in the lake); needs links and movies loaded
 *   each dataset's counts → manifests/load-<dataset>/<run_id>.json and the task result.
 *
 * Snapshot semantics: every run carries the whole dataset, so after a load each model table it
 * wrote holds exactly what this run gives, whatever earlier runs (or an earlier, faulty attempt
 * of this run) left there. A rerun of the run leaves identical tables. A load killed or failing
 * half-way leaves every model table as it was: the contract datasets switch together, then the
 * ratings. Staging tables are named by run id, so concurrent runs with different run ids never
 * share one.
 */
import { UsageError } from '../core/errors';
import { putJson } from '../core/lake/lake';
import { layout } from '../core/lake/layout';
import type { TaskOutput } from '../core/result';
import { STAGED_DATASETS, stagedDataset } from '../core/staged';
import { transformManifests } from '../core/transform-manifests';
import type { LoadDeps } from './deps';
import type { Shard } from '../core/shard';
import { loadRatings, RATINGS_DATASET, type RatingsLoadResult } from './ratings';
import { commitRatingsShards } from './ratings-commit';
import { loadRatingsShard, shardManifestKey } from './ratings-shard';
import { loadStagedDatasets, type DatasetLoadResult } from './staged-dataset';

export const TASK = 'load';
export const LOADABLE_DATASETS: readonly string[] = [...STAGED_DATASETS.map((dataset) => dataset.name), RATINGS_DATASET];

export interface LoadRequest {
  datasets: readonly string[];
  /** Ratings: the largest share of rejected rows that still loads (0.001 = 1 in 1,000). */
  maxRejectRatio: number;
  /**
   * The transforms ran as this many shards (`transform <source> --shard I/N`): load their union.
   * Ratings: commit this many loaded ratings shards (ratings-commit.ts). Unset: unsharded.
   */
  shards?: number;
  /** Ratings only: load this shard of the raw file into the run's next table, or stage it in the lake on Redshift (ratings-shard.ts). */
  shard?: Shard;
}

export async function load(deps: LoadDeps, request: LoadRequest): Promise<TaskOutput> {
  const unknown = request.datasets.filter((name) => !LOADABLE_DATASETS.includes(name));
  if (unknown.length > 0) throw new UsageError(`unknown dataset ${unknown.join(', ')}: expected ${LOADABLE_DATASETS.join(', ')}`);
  const requested = [...new Set(request.datasets)];
  if (request.shard) return loadRatingsShardOnly(deps, request.shard, requested, request.shards);
  const results: Record<string, DatasetLoadResult | RatingsLoadResult> = {};
  const manifests: string[] = [];
  const record = async (name: string, result: DatasetLoadResult | RatingsLoadResult): Promise<void> => {
    const manifest = layout.manifest(`${TASK}-${name}`, deps.runId);
    await putJson(deps.lake, manifest, { task: `${TASK}-${name}`, run_id: deps.runId, warehouse: deps.warehouse.description, ...result });
    results[name] = result;
    manifests.push(manifest);
  };
  const staged = requested.filter((name) => name !== RATINGS_DATASET).map(stagedDataset);
  if (staged.length > 0) {
    for (const result of await loadStagedDatasets(deps, staged, transformManifests(deps.lake, deps.runId, request.shards ?? 1))) await record(result.dataset, result);
  }
  // Ratings map through links and movies: when they load together, ratings go last.
  if (requested.includes(RATINGS_DATASET)) {
    const ratings = request.shards === undefined ? loadRatings(deps, request.maxRejectRatio) : commitRatingsShards(deps, request.maxRejectRatio, request.shards);
    await record(RATINGS_DATASET, await ratings);
  }
  return { warehouse: deps.warehouse.description, datasets: results, manifests };
}

/** `load ratings --shard I/N` (ratings-shard.ts): one shard into the run's next table (on Redshift: its parts in the lake); the model untouched. */
async function loadRatingsShardOnly(deps: LoadDeps, shard: Shard, requested: readonly string[], commitCount: number | undefined): Promise<TaskOutput> {
  if (commitCount !== undefined) throw new UsageError('--shard I/N loads one shard, --shards N commits them: give one of the two');
  if (requested.length !== 1 || requested[0] !== RATINGS_DATASET) throw new UsageError('--shard I/N loads a share of the raw ratings only: "movalytics load ratings --shard I/N"');
  const manifest = await loadRatingsShard(deps, shard);
  return { warehouse: deps.warehouse.description, shard: manifest, manifests: [shardManifestKey(deps.runId, shard)] };
}
