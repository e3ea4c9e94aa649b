/**
 * Load one staged dataset of one run (a contract dataset of tasks/core/staged.ts):
 *
 *   the transform's manifest (manifests/transform-<source>/<run_id>.json) names the parts
 *     → (re)create the run's staging table and COPY those parts into it
 *     → count staged rows (they must be the manifest's) and distinct keys
 *     → ONE transaction: lock load_stats and the model table (lock-replaced.sql), delete the rows
 *       the run replaces (skipped when the table is empty: a first load does not pay for an
 *       upsert), insert one row per key, record the counts in load_stats
 *     → drop the staging table.
 *
 * Killed before the transaction commits, the model table is as it was; the rerun starts over.
 * A transform writes its manifest last, so parts of a transform that did not finish (killed, or
 * failing) are never loaded.
 */
import { DataError } from '../core/errors';
import type { Lake } from '../core/lake/lake';
import { Progress } from '../core/progress';
import type { StagedDataset, TransformSource } from '../core/staged';
import type { FoundManifest } from '../core/transform-manifests';
import { quoteIdentifier } from '../core/warehouse/identifiers';
import { numberColumn } from '../core/warehouse/rows';
import { sqlStatement, type SqlFragments } from '../core/warehouse/sql-files';
import { sqlTimestamp } from '../core/warehouse/warehouse';
import type { LoadDeps } from './deps';

export type DatasetLoadResult = {
  dataset: string;
  objects: string[];
  rows_staged: number;
  rows_loaded: number;
  rows_replaced: number;
  seconds: number;
};

/** The run's transform manifest of a source; `transformManifests` reads each once for a whole load. */
export type ManifestOf = (source: TransformSource) => Promise<FoundManifest>;

export async function loadStagedDataset(deps: LoadDeps, dataset: StagedDataset, manifestOf: ManifestOf): Promise<DatasetLoadResult> {
  const { warehouse, names, lake, logger, runId } = deps;
  const startedAt = Date.now();
  const staged = await stagedParts(lake, dataset, manifestOf);
  const keys = staged.objects;
  const fragments: SqlFragments = {
    staging: names.staging(dataset.name, runId),
    model: names.table(dataset.name),
    key_columns: dataset.key.map(quoteIdentifier).join(', '),
  };
  const statement = (file: string) => sqlStatement(file, names, fragments);

  await warehouse.execute(statement('load/drop-staging'));
  await warehouse.execute(statement(`load/${dataset.name}/create-staging`));
  try {
    const progress = new Progress(logger, `copy ${dataset.name}`);
    await warehouse.loadFromLake({
      lake,
      keys,
      table: fragments.staging as string,
      columns: dataset.columns.map((column) => quoteIdentifier(column.name)),
      header: dataset.columns.map((column) => column.name),
      gzip: true,
      onBytes: (bytes) => progress.add(0, bytes),
    });
    const [counts] = await warehouse.query(statement('load/count-staged'));
    const rowsStaged = numberColumn(counts, 'rows_staged');
    const rowsLoaded = numberColumn(counts, 'rows_loaded');
    if (rowsStaged !== staged.rows) {
      throw new DataError(`the staged ${dataset.name} parts hold ${rowsStaged} rows, but the transform's manifest says ${staged.rows}: run "movalytics transform ${dataset.source}" again`, {
        object: lake.urlOf(staged.manifest),
      });
    }

    const replaceStatements = [
      statement('load/lock-replaced'),
      statement(`load/${dataset.name}/delete-replaced`),
      statement(`load/${dataset.name}/insert-model`),
      statement('load/delete-stats'),
      statement('load/record-stats'),
    ];
    const affected = await warehouse.transaction(replaceStatements, {
      dataset: dataset.name,
      run_id: runId,
      recorded_at: sqlTimestamp(deps.now()),
      rows_staged: rowsStaged,
      rows_loaded: rowsLoaded,
    });
    const result: DatasetLoadResult = {
      dataset: dataset.name,
      objects: keys,
      rows_staged: rowsStaged,
      rows_loaded: rowsLoaded,
      rows_replaced: affected[1] ?? 0,
      seconds: Math.round((Date.now() - startedAt) / 10) / 100,
    };
    logger.info(`loaded ${dataset.name}`, { ...result, objects: keys.length });
    return result;
  } finally {
    await warehouse.execute(statement('load/drop-staging')).catch((error: unknown) =>
      logger.warn(`could not drop the staging table of ${dataset.name}; the next load of this run drops it`, {
        error: String(error),
      }),
    );
  }
}

/** The parts and row count the finished transform recorded for the dataset. */
async function stagedParts(lake: Lake, dataset: StagedDataset, manifestOf: ManifestOf): Promise<{ manifest: string; objects: string[]; rows: number }> {
  const { key, manifest } = await manifestOf(dataset.source);
  if (!manifest) {
    throw new DataError(
      `no staged ${dataset.name} for this run: run "movalytics transform ${dataset.source}" first (a transform writes its manifest when it finishes)`,
      { object: lake.urlOf(key) },
    );
  }
  const output = manifest.outputs[dataset.name];
  if (!output || output.objects.length === 0) {
    throw new DataError(`the transform manifest lists no ${dataset.name} parts: run "movalytics transform ${dataset.source}" again`, {
      object: lake.urlOf(key),
    });
  }
  return { manifest: key, objects: output.objects, rows: output.rows };
}
