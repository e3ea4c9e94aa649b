/**
 * Whether a warehouse holds the model at all, asked of its catalog before a step reads the model:
 * a warehouse where `create-tables` never ran is a step run out of order (exit 2, saying what to
 * run), not an unexpected "relation … does not exist" (exit 1).
 */
import { UsageError } from '../errors';
import type { WarehouseNames } from './identifiers';
import { MODEL_TABLES } from './model';
import { stringColumn } from './rows';
import { sqlStatement } from './sql-files';
import type { Row, Warehouse } from './warehouse';

/** The schema's tables as the catalog lists them (sql/catalog/tables.sql); UsageError when a model table is missing. */
export async function requireModelTables(warehouse: Warehouse, names: WarehouseNames): Promise<Row[]> {
  const rows = await warehouse.query(sqlStatement('catalog/tables', names), { schema: names.schema });
  const found = new Set(rows.map((row) => stringColumn(row, 'table_name')));
  const missing = MODEL_TABLES.filter((table) => !found.has(names.tableName(table)));
  if (missing.length > 0) {
    throw new UsageError(
      `schema "${names.schema}" of ${warehouse.description} lacks model tables (${missing.join(', ')}): run "movalytics create-tables" first`,
    );
  }
  return rows;
}
