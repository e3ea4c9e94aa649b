/**
 * `movalytics data-dictionary`: describe the warehouse model from its live catalog.
 *
 *   read the catalog of the model's schema (sql/catalog/: tables, columns, types, comments)
 *     → keep the model tables; a missing one means create-tables has not run (exit 2)
 *     → add key roles and references (keys.ts: the contract's keys and references, tasks/core/staged.ts)
 *     → with --row-counts: count every table's rows and name the runs loaded
 *     → Markdown with a Mermaid ER diagram → --out (docs/data-dictionary.md by default).
 *
 * A table or column without a description is marked in the file, listed in the result and
 * logged as a warning; test/data-dictionary.test.ts fails on it.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../core/log';
import type { TaskOutput } from '../core/result';
import type { WarehouseNames } from '../core/warehouse/identifiers';
import type { Warehouse } from '../core/warehouse/warehouse';
import { countRows, loadedRuns, readCatalog } from './catalog';
import { renderDictionary, type RowCounts } from './markdown';
import { buildDictionary, undescribed } from './model';

export const TASK = 'data-dictionary';
export const DEFAULT_OUT = path.join('docs', 'data-dictionary.md');

export interface DataDictionaryOptions {
  out: string;
  rowCounts: boolean;
}

export interface DataDictionaryDeps {
  warehouse: Warehouse;
  names: WarehouseNames;
  logger: Logger;
  now?: () => Date;
}

export async function writeDataDictionary(options: DataDictionaryOptions, deps: DataDictionaryDeps): Promise<TaskOutput> {
  const { warehouse, names, logger } = deps;
  const dictionary = buildDictionary(await readCatalog(warehouse, names));
  const counts = options.rowCounts ? await rowCounts(deps) : undefined;
  const missing = undescribed(dictionary);
  if (missing.length > 0) logger.warn(`${missing.length} tables or columns have no description (COMMENT ON)`, { undescribed: missing });
  const out = path.resolve(options.out);
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, renderDictionary(dictionary, counts));
  logger.info('data dictionary written', { out });
  return {
    out,
    tables: dictionary.tables.length,
    columns: dictionary.tables.reduce((sum, table) => sum + table.columns.length, 0),
    references: dictionary.references.length,
    undescribed: missing,
    row_counts: counts ? Object.fromEntries(counts.counts) : null,
  };
}

async function rowCounts(deps: DataDictionaryDeps): Promise<RowCounts> {
  const counts = await countRows(deps.warehouse, deps.names);
  const runs = await loadedRuns(deps.warehouse, deps.names);
  const date = (deps.now ?? (() => new Date()))().toISOString().slice(0, 10);
  return { counts, date, warehouseKind: deps.warehouse.kind, runs };
}
