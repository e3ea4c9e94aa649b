/**
 * What the model's keys and references are, known once. The model declares no PRIMARY or FOREIGN
 * KEY constraint (Redshift never enforces them and its planner trusts them), so the catalog cannot
 * say: keys and references come from the model's contract (tasks/core/staged.ts: each staged
 * dataset's `key` and `references`, and the ratings'), plus the bookkeeping tables' keys.
 */
import { MODEL_TABLE_CONTRACTS, referencedColumn, STAGED_DATASETS } from '../core/staged';

/** The bookkeeping tables' keys (their table comments say the same). */
const BOOKKEEPING_KEYS: Readonly<Record<string, readonly string[]>> = {
  load_stats: ['dataset', 'run_id', 'metric'],
  schema_migrations: ['version'],
  ratings_by_movie: ['movie_id'],
  ratings_users_by_genre: ['genre_id'],
};

/** The columns that identify one row of a model table. */
export function tableKey(table: string): readonly string[] {
  const bookkeeping = BOOKKEEPING_KEYS[table];
  if (bookkeeping) return bookkeeping;
  const contract = MODEL_TABLE_CONTRACTS.find((candidate) => candidate.name === table);
  if (!contract) throw new TypeError(`no key is known for table "${table}"`);
  return contract.key;
}

/**
 * Whether loads ever write NULL into a column: never into a key column (quality-check's
 * keys_not_null verifies it), nor into a column the contract declares NOT NULL (the staging table
 * refuses it at COPY). The model tables themselves carry no NOT NULL constraint.
 */
export function loadsNeverNull(table: string, column: string): boolean {
  if (tableKey(table).includes(column)) return true;
  const dataset = STAGED_DATASETS.find((candidate) => candidate.name === table);
  return dataset?.columns.some((candidate) => candidate.name === column && !candidate.nullable) ?? false;
}

export interface KeyedTable {
  name: string;
  columns: readonly { name: string }[];
}

export interface Reference {
  table: string;
  column: string;
  /** The referenced table and its key column. */
  parent: string;
  parentColumn: string;
}

/** Every reference the contract declares among the given tables, in table and column order. */
export function deriveReferences(tables: readonly KeyedTable[]): Reference[] {
  const present = new Set(tables.map((table) => table.name));
  const references: Reference[] = [];
  for (const table of tables) {
    const declared = MODEL_TABLE_CONTRACTS.find((contract) => contract.name === table.name)?.references ?? [];
    for (const column of table.columns) {
      const reference = declared.find((candidate) => candidate.column === column.name);
      if (!reference || !present.has(reference.table)) continue;
      references.push({ table: table.name, column: column.name, parent: reference.table, parentColumn: referencedColumn(reference) });
    }
  }
  return references;
}
