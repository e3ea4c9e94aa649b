/**
 * `movalytics extract-movies`: land The Movies Dataset in the lake, bytes unchanged.
 *
 *   --movies-source (Kaggle owner/name → API → 302 → signed zip URL; an http(s) zip; a local zip; a folder)
 *     → download to a temporary file, never into memory (retried on 429/5xx/network faults)
 *     → open the zip (yauzl validates the central directory: truncated/corrupt → exit 65)
 *     → choose the five files (ratings_small/links_small stand in for ratings/links)
 *     → stream each into raw/movies/<run_id>/<canonical name>, with bytes and sha256
 *     → manifests/extract-movies/<run_id>.json lists every object and where it came from.
 *
 * Re-running for the same run id writes the same keys with the same bytes and the same manifest.
 */
import type { Lake } from '../core/lake/lake';
import { putJson } from '../core/lake/lake';
import { layout, RAW_SOURCE } from '../core/lake/layout';
import type { Logger } from '../core/log';
import type { TaskOutput } from '../core/result';
import { chooseFiles } from './choose-files';
import type { ExtractMoviesConfig } from './config';
import { suggestedShardCount } from '../core/shard';
import { copyToLake, rate } from './copy-to-lake';
import { openMoviesSource } from './open-source';
import type { SourceOrigin } from './source-files';

export const TASK = 'extract-movies';

export interface ExtractDeps {
  lake: Lake;
  logger: Logger;
  runId: string;
}

export interface RawObject {
  key: string;
  bytes: number;
  sha256: string;
  /** The file's name in the source, e.g. `ratings_small.csv` for the raw `ratings.csv`. */
  source_file: string;
}

export interface ExtractMoviesManifest {
  task: typeof TASK;
  run_id: string;
  source: SourceOrigin;
  objects: RawObject[];
}

export async function extractMovies(deps: ExtractDeps, config: ExtractMoviesConfig): Promise<TaskOutput> {
  const { lake, logger, runId } = deps;
  const files = await openMoviesSource(config, logger);
  try {
    const chosen = chooseFiles(files.names, files.object);
    const objects: RawObject[] = [];
    for (const file of chosen) {
      const key = layout.raw(RAW_SOURCE.movies, runId, file.canonical);
      const copied = await copyToLake(lake, key, await files.open(file.source), logger);
      logger.info(`copied ${file.source} to ${lake.urlOf(key)}`, {
        bytes: copied.bytes,
        seconds: Math.round(copied.seconds * 100) / 100,
        megabytesPerSecond: rate(copied.bytes, copied.seconds),
      });
      objects.push({ key, bytes: copied.bytes, sha256: copied.sha256, source_file: file.source });
    }
    const manifest: ExtractMoviesManifest = { task: TASK, run_id: runId, source: files.origin, objects };
    const manifestKey = layout.manifest(TASK, runId);
    await putJson(lake, manifestKey, manifest);
    return {
      manifest: manifestKey,
      source: files.origin.kind,
      bytes: objects.reduce((sum, object) => sum + object.bytes, 0),
      objects: objects.map((object) => ({ key: object.key, bytes: object.bytes, source_file: object.source_file })),
      // How many shards the big steps split into when the run does not say (the DAG's and `run`'s --shards auto).
      shards: suggestedShardCount(Math.max(0, ...objects.map((object) => object.bytes))),
    };
  } finally {
    await files.close();
  }
}
