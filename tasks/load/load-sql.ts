/**
 * The load's SQL for every contract dataset: the generic templates of sql/load/ filled with
 * fragments built from the staged contract (tasks/core/staged.ts). Column lists hold only
 * validated, quoted identifiers; types come from a fixed map and the contract's checked sizes.
 * Adding a dataset takes a contract entry and its model migration, no SQL file.
 */
import type { ColumnType, SourceLedgerCounts, StagedColumn, StagedDataset } from '../core/staged';
import { quoteIdentifier, type WarehouseNames } from '../core/warehouse/identifiers';
import { totalOf } from '../core/transform-manifests';
import { MODEL_DATA_TABLES } from '../core/warehouse/model';
import { sqlStatement, type SqlFragments } from '../core/warehouse/sql-files';
import type { SqlParams, WarehouseKind } from '../core/warehouse/warehouse';

/** The model's type of each contract type whose size the contract does not carry. */
const FIXED_TYPES: Record<Exclude<ColumnType, 'text' | 'numeric'>, string> = {
  integer: 'INTEGER',
  bigint: 'BIGINT',
  double: 'DOUBLE PRECISION',
  date: 'DATE',
  boolean: 'BOOLEAN',
};
/** Redshift's largest VARCHAR, for a text column whose contract gives no size. */
const LARGEST_VARCHAR = 65535;

/** The column's type in the model (sql/migrations/), as the staging table takes it too. */
export function columnType(column: StagedColumn): string {
  if (column.type === 'text') return `VARCHAR(${size(column.maxBytes ?? LARGEST_VARCHAR)})`;
  if (column.type === 'numeric') {
    if (!column.numeric) throw new TypeError(`numeric column ${column.name} has no precision in the contract`);
    return `NUMERIC(${size(column.numeric.precision)}, ${size(column.numeric.scale, 0)})`;
  }
  return FIXED_TYPES[column.type];
}

function size(value: number, min = 1): number {
  if (!Number.isInteger(value) || value < min || value > LARGEST_VARCHAR) throw new TypeError(`invalid type size ${value} in the staged contract`);
  return value;
}

/** The placeholders of the dataset's load templates: its tables and column lists. */
export function datasetFragments(dataset: StagedDataset, names: WarehouseNames, runId: string): SqlFragments {
  const others = dataset.columns.filter((column) => !dataset.key.includes(column.name));
  return {
    staging: names.staging(dataset.name, runId),
    model: names.table(dataset.name),
    columns: dataset.columns.map((column) => quoteIdentifier(column.name)).join(', '),
    key_columns: dataset.key.map(quoteIdentifier).join(', '),
    other_columns: others.map((column) => quoteIdentifier(column.name)).join(', '),
    staging_columns: dataset.columns.map((column) => `${quoteIdentifier(column.name)} ${columnType(column)}${column.nullable ? '' : ' NOT NULL'}`).join(',\n  '),
  };
}

/**
 * One row per key: every staged row when no key repeats (`keysRepeat` false: as many distinct keys
 * as rows were counted), else DISTINCT when every column is key, else the same row per key wins.
 */
export function insertModelFile(dataset: StagedDataset, keysRepeat: boolean): string {
  if (!keysRepeat) return 'load/insert-model-unique';
  return dataset.columns.every((column) => dataset.key.includes(column.name)) ? 'load/insert-model-distinct' : 'load/insert-model';
}

/** TRUNCATE where it is transactional (PGlite, PostgreSQL); DELETE on Redshift, where TRUNCATE commits. */
export function emptyModelFile(kind: WarehouseKind): string {
  return kind === 'redshift' ? 'load/empty-model.redshift' : 'load/empty-model';
}

/**
 * `LOCK TABLE load_stats, <models>`: the model tables in ONE global order (the contract's, ratings
 * last; tasks/core/warehouse/model.ts), whatever order the load was asked for, so that concurrent
 * loads never each hold a table the other waits for.
 */
export function lockStatement(names: WarehouseNames, datasets: readonly string[]): string {
  const models = MODEL_DATA_TABLES.filter((table) => datasets.includes(table)).map((table) => names.table(table));
  return sqlStatement('load/lock-replaced', names, { models: models.join(', ') });
}

/**
 * The fragments of delete-stats.sql and record-stats.sql for the datasets of a load, numbered from
 * 1 in order; `withLedger[i]` adds that dataset's source ledger (dataset-ledger-counts.sql).
 */
export function statsFragments(withLedger: readonly boolean[]): SqlFragments {
  const places = withLedger.map((ledger, index) => ({ n: String(index + 1), ledger }));
  return {
    dataset_parameters: places.map(({ n }) => `CAST(:dataset_${n} AS VARCHAR(64))`).join(', '),
    dataset_counts: places
      .flatMap(({ n, ledger }) => [sqlStatement('load/dataset-counts', undefined, { n }), ...(ledger ? [sqlStatement('load/dataset-ledger-counts', undefined, { n })] : [])])
      .join('\nUNION ALL\n'),
  };
}

/** A dataset's counts as a load records them; `ledger` for the datasets that hold their source's records. */
export interface DatasetCounts {
  dataset: string;
  rows_staged?: number;
  rows_loaded?: number;
  ledger?: SourceLedgerCounts;
}

/** The parameters of statsFragments: each dataset's name and counts under its number. */
export function statsParams(counts: readonly DatasetCounts[]): SqlParams {
  const params: Record<string, string | number> = {};
  counts.forEach((entry, index) => {
    const n = index + 1;
    params[`dataset_${n}`] = entry.dataset;
    if (entry.rows_staged !== undefined) params[`rows_staged_${n}`] = entry.rows_staged;
    if (entry.rows_loaded !== undefined) params[`rows_loaded_${n}`] = entry.rows_loaded;
    if (entry.ledger) {
      params[`source_rows_read_${n}`] = entry.ledger.rows_read;
      params[`source_rejected_${n}`] = totalOf(entry.ledger.rejected_by_reason);
      params[`source_duplicate_ids_${n}`] = entry.ledger.duplicate_ids;
    }
  });
  return params;
}
