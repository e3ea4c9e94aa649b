/**
 * What the model's keys and references are, known once. The model declares no PRIMARY or FOREIGN
 * KEY constraint (Redshift never enforces them and its planner trusts them), so the catalog cannot
 * say: keys come from the staged-data contract (tasks/core/staged.ts `key`), plus the tables no
 * contract dataset describes; references are derived from the keys.
 *
 * A column references table T when it is named like T's one-column key and has the same type
 * (movie_genres.movie_id → movies, movies.collection_id → collections; release_dates.month is an
 * integer and cpi.month a date, so they are not related), unless the column is its own table's
 * whole key (cast_members.credit_id is not a crew member). References whose column is named
 * otherwise are listed in NAMED_REFERENCES.
 */
import { STAGED_DATASETS } from '../core/staged';

/**
 * Ratings skip the transform, so no contract dataset gives their key: one rating per user and
 * movie (the table's comment; the load keeps one per user and TMDB movie, tasks/load/ratings-reader.ts).
 */
export const RATINGS_KEY: readonly string[] = ['user_id', 'movie_id'];

/** The bookkeeping tables' keys (their table comments say the same). */
const BOOKKEEPING_KEYS: Readonly<Record<string, readonly string[]>> = {
  load_stats: ['dataset', 'run_id', 'metric'],
  schema_migrations: ['version'],
};

/** References whose column is not named like the referenced key. */
export const NAMED_REFERENCES: readonly { table: string; column: string; references: string }[] = [
  { table: 'links', column: 'tmdb_id', references: 'movies' },
];

/** The columns that identify one row of a model table. */
export function tableKey(table: string): readonly string[] {
  if (table === 'ratings') return RATINGS_KEY;
  const bookkeeping = BOOKKEEPING_KEYS[table];
  if (bookkeeping) return bookkeeping;
  const dataset = STAGED_DATASETS.find((candidate) => candidate.name === table);
  if (!dataset) throw new TypeError(`no key is known for table "${table}"`);
  return dataset.key;
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

export interface KeyedColumn {
  name: string;
  type: string;
}

export interface KeyedTable {
  name: string;
  columns: readonly KeyedColumn[];
}

export interface Reference {
  table: string;
  column: string;
  /** The referenced table and its key column. */
  parent: string;
  parentColumn: string;
}

/** Every reference among the given tables, in table and column order. */
export function deriveReferences(tables: readonly KeyedTable[]): Reference[] {
  const byName = new Map(tables.map((table) => [table.name, table]));
  const references: Reference[] = [];
  for (const table of tables) {
    const ownKey = tableKey(table.name);
    for (const column of table.columns) {
      const parent = referencedTable(table.name, column, ownKey, tables, byName);
      if (parent) references.push({ table: table.name, column: column.name, parent: parent.table, parentColumn: parent.column });
    }
  }
  return references;
}

function referencedTable(
  table: string,
  column: KeyedColumn,
  ownKey: readonly string[],
  tables: readonly KeyedTable[],
  byName: Map<string, KeyedTable>,
): { table: string; column: string } | undefined {
  const named = NAMED_REFERENCES.find((reference) => reference.table === table && reference.column === column.name);
  if (named) {
    const parentKey = singleKey(named.references);
    if (!parentKey || !byName.has(named.references)) throw new TypeError(`${table}.${column.name} references ${named.references}, which has no one-column key here`);
    return { table: named.references, column: parentKey };
  }
  if (ownKey.length === 1 && ownKey[0] === column.name) return undefined;
  for (const candidate of tables) {
    if (candidate.name === table || singleKey(candidate.name) !== column.name) continue;
    const parentColumn = candidate.columns.find((other) => other.name === column.name);
    if (parentColumn?.type === column.type) return { table: candidate.name, column: column.name };
  }
  return undefined;
}

function singleKey(table: string): string | undefined {
  const key = tableKey(table);
  return key.length === 1 ? key[0] : undefined;
}
