/**
 * `movalytics load <dataset…>`: move staged data of one run into the warehouse model.
 *
 *   for each contract dataset named (movies, genres, …, cpi; see tasks/core/staged.ts):
 *     staged/<dataset>/<run_id>/ → staging table (COPY) → ONE transaction replacing the matching
 *     model rows (staged-dataset.ts)
 *   then, if named, ratings: raw/movies/<run_id>/ratings.csv read once, checked, mapped and
 *     de-duplicated as it streams → binary COPY in ONE transaction (ratings.ts; on Redshift
 *     through gzip parts in the lake); needs links and movies loaded
 *   each dataset's counts → manifests/load-<dataset>/<run_id>.json and the task result.
 *
 * Loads are idempotent (a rerun of the run leaves identical tables) and atomic per dataset (a
 * load killed half-way leaves the model tables unchanged). Staging tables are named by run id,
 * so concurrent runs with different run ids never share one.
 */
import { UsageError } from '../core/errors';
import { putJson } from '../core/lake/lake';
import { layout } from '../core/lake/layout';
import type { TaskOutput } from '../core/result';
import { STAGED_DATASETS, stagedDataset } from '../core/staged';
import { transformManifests } from '../core/transform-manifests';
import type { LoadDeps } from './deps';
import { loadRatings, RATINGS_DATASET, type RatingsLoadResult } from './ratings';
import { loadStagedDataset, type DatasetLoadResult } from './staged-dataset';

export const TASK = 'load';
export const LOADABLE_DATASETS: readonly string[] = [...STAGED_DATASETS.map((dataset) => dataset.name), RATINGS_DATASET];

export interface LoadRequest {
  datasets: readonly string[];
  /** Ratings: the largest share of rejected rows that still loads (0.001 = 1 in 1,000). */
  maxRejectRatio: number;
}

export async function load(deps: LoadDeps, request: LoadRequest): Promise<TaskOutput> {
  const unknown = request.datasets.filter((name) => !LOADABLE_DATASETS.includes(name));
  if (unknown.length > 0) throw new UsageError(`unknown dataset ${unknown.join(', ')}: expected ${LOADABLE_DATASETS.join(', ')}`);
  const requested = [...new Set(request.datasets)];
  // Ratings map through links and movies: when they load together, ratings go last.
  const ordered = [...requested.filter((name) => name !== RATINGS_DATASET), ...requested.filter((name) => name === RATINGS_DATASET)];

  const results: Record<string, DatasetLoadResult | RatingsLoadResult> = {};
  const manifests: string[] = [];
  const transformManifestOf = transformManifests(deps.lake, deps.runId);
  for (const name of ordered) {
    const result =
      name === RATINGS_DATASET ? await loadRatings(deps, request.maxRejectRatio) : await loadStagedDataset(deps, stagedDataset(name), transformManifestOf);
    const manifest = layout.manifest(`${TASK}-${name}`, deps.runId);
    await putJson(deps.lake, manifest, { task: `${TASK}-${name}`, run_id: deps.runId, warehouse: deps.warehouse.description, ...result });
    results[name] = result;
    manifests.push(manifest);
  }
  return { warehouse: deps.warehouse.description, datasets: results, manifests };
}
