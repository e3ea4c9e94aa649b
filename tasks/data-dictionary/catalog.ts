/**
 * The model as the live warehouse catalog describes it (sql/catalog/): tables, columns, types,
 * NOT NULL constraints and COMMENT ON texts, under the logical table names (without the prefix).
 */
import type { WarehouseNames } from '../core/warehouse/identifiers';
import { MODEL_TABLES } from '../core/warehouse/model';
import { requireModelTables } from '../core/warehouse/model-tables';
import { numberColumn, stringColumn } from '../core/warehouse/rows';
import { sqlStatement } from '../core/warehouse/sql-files';
import type { Row, Warehouse } from '../core/warehouse/warehouse';

export interface CatalogColumn {
  name: string;
  /** As the warehouse writes it, e.g. `character varying(1024)`, `numeric(7,2)`. */
  type: string;
  notNull: boolean;
  description: string | null;
}

export interface CatalogTable {
  /** The logical name (`movies`), whatever the table prefix. */
  name: string;
  description: string | null;
  columns: CatalogColumn[];
}

/** Every model table (tasks/core/warehouse/model.ts order) as the catalog has it. */
export async function readCatalog(warehouse: Warehouse, names: WarehouseNames): Promise<CatalogTable[]> {
  const tableRows = await requireModelTables(warehouse, names);
  const columnRows = await warehouse.query(sqlStatement('catalog/columns', names), { schema: names.schema });
  const found = new Map(tableRows.map((row) => [stringColumn(row, 'table_name'), optionalText(row, 'description')]));
  return MODEL_TABLES.map((table) => {
    const physical = names.tableName(table);
    const columns = columnRows
      .filter((row) => stringColumn(row, 'table_name') === physical)
      .sort((a, b) => numberColumn(a, 'column_number') - numberColumn(b, 'column_number'))
      .map(
        (row): CatalogColumn => ({
          name: stringColumn(row, 'column_name'),
          type: stringColumn(row, 'data_type'),
          notNull: row.not_null === true,
          description: optionalText(row, 'description'),
        }),
      );
    return { name: table, description: found.get(physical) ?? null, columns };
  });
}

/** The exact row count of each model table. */
export async function countRows(warehouse: Warehouse, names: WarehouseNames): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const table of MODEL_TABLES) {
    const [row] = await warehouse.query(sqlStatement('catalog/row-count', names, { table: names.table(table) }));
    counts.set(table, numberColumn(row, 'row_count'));
  }
  return counts;
}

/** The run ids whose loads the warehouse holds, latest first. */
export async function loadedRuns(warehouse: Warehouse, names: WarehouseNames): Promise<string[]> {
  return (await warehouse.query(sqlStatement('catalog/loaded-runs', names))).map((row) => stringColumn(row, 'run_id'));
}

function optionalText(row: Row, column: string): string | null {
  const value = row[column];
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}
