/**
 * Load the staged datasets of one run (contract datasets of tasks/core/staged.ts) as ONE snapshot:
 *
 *   for each dataset: the transform's manifest (manifests/transform-<source>/<run_id>.json) names
 *     the parts → (re)create the run's staging table (create-staging.sql, columns from the
 *     contract) and COPY those parts into it → count staged rows (they must be the manifest's)
 *     and distinct keys
 *   → ONE transaction for all of them (replace-model.ts): lock load_stats and every model table
 *     the load writes, in one global order; empty each model table and insert its staging rows,
 *     one row per key; record the counts in load_stats
 *   → drop the staging tables.
 *
 * Every run carries the whole dataset, so afterwards each model table holds exactly what this
 * run staged: rows an earlier run had and this one lacks are gone. A failure before the commit (a
 * part that disagrees with its manifest, a kill) leaves every model table as it was, those of the
 * datasets staged before it included; the rerun starts over. A transform writes its manifest
 * last, so parts of a transform that did not finish (killed, or failing) are never loaded.
 */
import { DataError } from '../core/errors';
import type { Lake } from '../core/lake/lake';
import { Progress } from '../core/progress';
import type { SourceLedgerCounts, StagedDataset, TransformSource } from '../core/staged';
import { checkRejectRatio, type FoundManifest } from '../core/transform-manifests';
import { quoteIdentifier } from '../core/warehouse/identifiers';
import { numberColumn } from '../core/warehouse/rows';
import { sqlStatement, type SqlFragments } from '../core/warehouse/sql-files';
import type { LoadDeps } from './deps';
import { datasetFragments } from './load-sql';
import { replaceModels, type StagedLoad } from './replace-model';

export type DatasetLoadResult = {
  dataset: string;
  objects: string[];
  rows_staged: number;
  rows_loaded: number;
  /** The rows the model table held before: the load replaced them all. */
  rows_replaced: number;
  seconds: number;
};

/** The run's transform manifest of a source; `transformManifests` reads each once for a whole load. */
export type ManifestOf = (source: TransformSource) => Promise<FoundManifest>;

export async function loadStagedDatasets(deps: LoadDeps, datasets: readonly StagedDataset[], manifestOf: ManifestOf): Promise<DatasetLoadResult[]> {
  const startedAt = Date.now();
  const loads = datasets.map((dataset) => ({ dataset, fragments: datasetFragments(dataset, deps.names, deps.runId) }));
  try {
    const staged: StagedLoad[] = [];
    for (const { dataset, fragments } of loads) staged.push(await stageDataset(deps, dataset, fragments, manifestOf));
    const replaced = await replaceModels(deps, staged);
    const seconds = Math.round((Date.now() - startedAt) / 10) / 100;
    return staged.map((load, index): DatasetLoadResult => {
      const result = { dataset: load.dataset.name, objects: load.objects, rows_staged: load.rowsStaged, rows_loaded: load.rowsLoaded, rows_replaced: replaced[index] ?? 0, seconds };
      deps.logger.info(`loaded ${load.dataset.name}`, { ...result, objects: load.objects.length });
      return result;
    });
  } finally {
    for (const { dataset, fragments } of loads) {
      await deps.warehouse.execute(sqlStatement('load/drop-staging', deps.names, fragments)).catch((error: unknown) =>
        deps.logger.warn(`could not drop the staging table of ${dataset.name}; the next load of this run drops it`, { error: String(error) }),
      );
    }
  }
}

/** The run's parts of one dataset COPYed into its fresh staging table, and counted. */
async function stageDataset(deps: LoadDeps, dataset: StagedDataset, fragments: SqlFragments, manifestOf: ManifestOf): Promise<StagedLoad> {
  const { warehouse, names, lake, logger } = deps;
  const statement = (file: string) => sqlStatement(file, names, fragments);
  const staged = await stagedParts(lake, dataset, manifestOf);
  await warehouse.execute(statement('load/drop-staging'));
  await warehouse.execute(statement('load/create-staging'));
  const progress = new Progress(logger, `copy ${dataset.name}`);
  await warehouse.loadFromLake({
    lake,
    keys: staged.objects,
    table: fragments.staging as string,
    columns: dataset.columns.map((column) => quoteIdentifier(column.name)),
    header: dataset.columns.map((column) => column.name),
    gzip: true,
    onBytes: (bytes) => progress.add(0, bytes),
  });
  const [counts] = await warehouse.query(statement('load/count-staged'));
  const rowsStaged = numberColumn(counts, 'rows_staged');
  if (rowsStaged !== staged.rows) {
    throw new DataError(`the staged ${dataset.name} parts hold ${rowsStaged} rows, but the transform's manifest says ${staged.rows}: run "movalytics transform ${dataset.source}" again`, {
      object: lake.urlOf(staged.manifest),
    });
  }
  const ledger = dataset.holdsSourceRecords ? staged.ledger : undefined;
  return { dataset, fragments, objects: staged.objects, rowsStaged, rowsLoaded: numberColumn(counts, 'rows_loaded'), ...(ledger ? { ledger } : {}) };
}

/** The parts and row count the finished transform recorded for the dataset. */
async function stagedParts(lake: Lake, dataset: StagedDataset, manifestOf: ManifestOf): Promise<{ manifest: string; objects: string[]; rows: number; ledger?: SourceLedgerCounts }> {
  const { key, manifest } = await manifestOf(dataset.source);
  if (!manifest) {
    throw new DataError(
      `no staged ${dataset.name} for this run: run "movalytics transform ${dataset.source}" first (a transform writes its manifest when it finishes)`,
      { object: lake.urlOf(key) },
    );
  }
  // A transform over its ratio wrote its manifest before it failed; shards leave their ratio to this.
  if (manifest.max_reject_ratio !== undefined) checkRejectRatio(manifest, manifest.max_reject_ratio, lake);
  const output = manifest.outputs[dataset.name];
  if (!output || output.objects.length === 0) {
    throw new DataError(`the transform manifest lists no ${dataset.name} parts: run "movalytics transform ${dataset.source}" again`, {
      object: lake.urlOf(key),
    });
  }
  return { manifest: key, objects: output.objects, rows: output.rows, ...(manifest.ledger ? { ledger: manifest.ledger } : {}) };
}
