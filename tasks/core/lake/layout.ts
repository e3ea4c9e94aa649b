/**
 * Where everything lives in the lake. Every path derives from the run id, so a task finds its
 * inputs without XCom: `raw/<source>/<run_id>/<file>`, `staged/<entity>/<run_id>/part-*.csv.gz`,
 * `rejects/<entity>/<run_id>/…`, `manifests/<task>/<run_id>.json`, `reports/<run_id>/…`.
 * A Redshift COPY manifest lists the objects of one folder and is named after that folder
 * (`manifests/copy/staged/<entity>/<run_id>.json`), so a rerun of the same load overwrites it.
 *
 * A shard `I/N` of a transform writes beside the others in the same folders (one COPY manifest
 * covers one folder): `part-IIofNN-NNNNN.csv.gz`, `rejects-IIofNN.csv.gz`, and its manifest
 * `manifests/<task>/<run_id>/shard-I-of-N.json`; its own names let a rerun replace only its files.
 */
import type { Shard } from '../shard';

export const layout = {
  raw: (source: string, runId: string, file: string) => `raw/${source}/${runId}/${file}`,
  rawPrefix: (source: string, runId: string) => `raw/${source}/${runId}/`,
  staged: (entity: string, runId: string, part: number) =>
    `staged/${entity}/${runId}/part-${String(part).padStart(5, '0')}.csv.gz`,
  stagedPrefix: (entity: string, runId: string) => `staged/${entity}/${runId}/`,
  stagedShard: (entity: string, runId: string, shard: Shard, part: number) =>
    `staged/${entity}/${runId}/part-${shardTag(shard)}-${String(part).padStart(5, '0')}.csv.gz`,
  stagedShardPrefix: (entity: string, runId: string, shard: Shard) => `staged/${entity}/${runId}/part-${shardTag(shard)}-`,
  rejects: (entity: string, runId: string) => `rejects/${entity}/${runId}/rejects.csv.gz`,
  rejectsShard: (entity: string, runId: string, shard: Shard) => `rejects/${entity}/${runId}/rejects-${shardTag(shard)}.csv.gz`,
  manifest: (task: string, runId: string) => `manifests/${task}/${runId}.json`,
  shardManifest: (task: string, runId: string, shard: Shard) => `manifests/${task}/${runId}/shard-${shard.index}-of-${shard.count}.json`,
  shardManifests: (task: string, runId: string) => `manifests/${task}/${runId}/`,
  copyManifest: (folder: string) => `manifests/copy/${folder.replace(/\/+$/, '')}.json`,
  report: (runId: string, file: string) => `reports/${runId}/${file}`,
} as const;

/** `02of04`: sorts the shards' files in shard order. */
const shardTag = (shard: Shard): string => `${String(shard.index).padStart(2, '0')}of${String(shard.count).padStart(2, '0')}`;

/** Whether a key is one of a run's: in a folder named after the run id, or `<run id>.json`. */
export function isKeyOfRun(key: string, runId: string): boolean {
  const segments = key.split('/');
  return segments.slice(0, -1).includes(runId) || segments.at(-1) === `${runId}.json`;
}

/** Sources written by the extract tasks. */
export const RAW_SOURCE = { movies: 'movies', cpi: 'cpi' } as const;
