/**
 * Where everything lives in the lake. Every path derives from the run id, so a task finds its
 * inputs without XCom: `raw/<source>/<run_id>/<file>`, `staged/<entity>/<run_id>/part-*.csv.gz`,
 * `rejects/<entity>/<run_id>/…`, `manifests/<task>/<run_id>.json`, `reports/<run_id>/…`.
 * A Redshift COPY manifest lists the objects of one folder and is named after that folder
 * (`manifests/copy/staged/<entity>/<run_id>.json`), so a rerun of the same load overwrites it.
 */
export const layout = {
  raw: (source: string, runId: string, file: string) => `raw/${source}/${runId}/${file}`,
  rawPrefix: (source: string, runId: string) => `raw/${source}/${runId}/`,
  staged: (entity: string, runId: string, part: number) =>
    `staged/${entity}/${runId}/part-${String(part).padStart(5, '0')}.csv.gz`,
  stagedPrefix: (entity: string, runId: string) => `staged/${entity}/${runId}/`,
  rejects: (entity: string, runId: string) => `rejects/${entity}/${runId}/rejects.csv.gz`,
  /** The rejects of shard I of N, merged into `rejects` when the shards are committed. */
  shardRejects: (entity: string, runId: string, index: number, count: number) => `rejects/${entity}/${runId}/shard-${index}-of-${count}.csv.gz`,
  /** What shard I of N of a task did, read by the step that commits the shards: `manifests/<task>/<run_id>/shard-I-of-N.json`. */
  shardManifest: (task: string, runId: string, index: number, count: number) => `manifests/${task}/${runId}/shard-${index}-of-${count}.json`,
  manifest: (task: string, runId: string) => `manifests/${task}/${runId}.json`,
  copyManifest: (folder: string) => `manifests/copy/${folder.replace(/\/+$/, '')}.json`,
  report: (runId: string, file: string) => `reports/${runId}/${file}`,
} as const;

/** Whether a key is one of a run's: in a folder named after the run id, or `<run id>.json`. */
export function isKeyOfRun(key: string, runId: string): boolean {
  const segments = key.split('/');
  return segments.slice(0, -1).includes(runId) || segments.at(-1) === `${runId}.json`;
}

/** Sources written by the extract tasks. */
export const RAW_SOURCE = { movies: 'movies', cpi: 'cpi' } as const;
