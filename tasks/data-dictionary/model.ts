/** The dictionary's model: the catalog's tables and columns with their key roles and references. */
import { BOOKKEEPING_TABLES } from '../core/warehouse/model';
import type { CatalogColumn, CatalogTable } from './catalog';
import { deriveReferences, loadsNeverNull, tableKey, type Reference } from './keys';

/** `constraint`: NOT NULL in the catalog; `load`: no constraint, but loads never write NULL. */
export type Nullability = 'yes' | 'no: constraint' | 'no: load';

export interface DictionaryColumn extends CatalogColumn {
  inKey: boolean;
  nullable: Nullability;
  references: Reference | undefined;
}

export interface DictionaryTable {
  name: string;
  description: string | null;
  bookkeeping: boolean;
  key: readonly string[];
  columns: DictionaryColumn[];
  /** Tables whose columns reference this one. */
  referencedBy: Reference[];
}

export interface Dictionary {
  tables: DictionaryTable[];
  references: Reference[];
}

export function buildDictionary(catalog: readonly CatalogTable[]): Dictionary {
  const references = deriveReferences(catalog);
  const tables = catalog.map((table): DictionaryTable => {
    const key = tableKey(table.name);
    return {
      name: table.name,
      description: table.description,
      bookkeeping: (BOOKKEEPING_TABLES as readonly string[]).includes(table.name),
      key,
      columns: table.columns.map((column) => ({
        ...column,
        inKey: key.includes(column.name),
        nullable: nullability(table.name, column),
        references: references.find((reference) => reference.table === table.name && reference.column === column.name),
      })),
      referencedBy: references.filter((reference) => reference.parent === table.name),
    };
  });
  return { tables, references };
}

function nullability(table: string, column: CatalogColumn): Nullability {
  if (column.notNull) return 'no: constraint';
  return loadsNeverNull(table, column.name) ? 'no: load' : 'yes';
}

/** `movies`, `movies.title`: every table or column without a description. */
export function undescribed(dictionary: Dictionary): string[] {
  const missing: string[] = [];
  for (const table of dictionary.tables) {
    if (!table.description) missing.push(table.name);
    for (const column of table.columns) if (!column.description) missing.push(`${table.name}.${column.name}`);
  }
  return missing;
}
