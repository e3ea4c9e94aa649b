/**
 * The model's entity-relationship diagram in Mermaid `erDiagram` syntax: one entity per data table
 * with every column (PK/FK marks), one relationship per reference. A reference whose column loads
 * never leave NULL reads "exactly one parent" (`||`), otherwise "zero or one" (`|o`); a parent may
 * have any number of children (`o{`). Bookkeeping tables relate to nothing and are left out.
 */
import type { Dictionary, DictionaryColumn } from './model';

export function erDiagram(dictionary: Dictionary): string {
  const tables = dictionary.tables.filter((table) => !table.bookkeeping);
  const lines = ['erDiagram'];
  for (const table of tables) {
    for (const column of table.columns) {
      const reference = column.references;
      if (!reference) continue;
      const parentSide = column.nullable === 'yes' ? '|o' : '||';
      lines.push(`  ${reference.parent} ${parentSide}--o{ ${table.name} : "${column.name}"`);
    }
  }
  for (const table of tables) {
    lines.push(`  ${table.name} {`);
    for (const column of table.columns) lines.push(`    ${attribute(column)}`);
    lines.push('  }');
  }
  return lines.join('\n');
}

function attribute(column: DictionaryColumn): string {
  const marks = [column.inKey ? 'PK' : '', column.references ? 'FK' : ''].filter(Boolean).join(', ');
  return [diagramType(column.type), column.name, marks].filter(Boolean).join(' ');
}

/** Mermaid attribute types are one word: the type without its length, precision or time zone. */
export function diagramType(type: string): string {
  const base = type.replace(/\(.*\)/, '').trim();
  const shorter: Record<string, string> = {
    'character varying': 'varchar',
    character: 'char',
    'double precision': 'double',
    'timestamp without time zone': 'timestamp',
    'timestamp with time zone': 'timestamptz',
  };
  return (shorter[base] ?? base).replace(/\s+/g, '_');
}
