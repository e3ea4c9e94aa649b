/**
 * Identifiers that reach SQL text (schema, table prefix, table and column names) are checked
 * against a strict pattern first: lower-case ASCII letters, digits and `_`, starting with a letter
 * or `_`. Nothing else can be spliced into a statement, so configuration cannot inject SQL.
 * Names are then double-quoted, which also keeps words such as `character` or `month` safe.
 */
import { createHash } from 'node:crypto';
import { UsageError } from '../errors';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
/** PostgreSQL truncates identifiers at 63 bytes; Redshift allows 127. Stay within both. */
const MAX_IDENTIFIER = 63;
/** Leaves room for the longest table name plus a staging suffix. */
const MAX_PREFIX = 20;

export function checkIdentifier(what: string, value: string, max = MAX_IDENTIFIER): string {
  if (!IDENTIFIER.test(value) || value.length > max) {
    throw new UsageError(
      `invalid ${what} ${JSON.stringify(value)}: use lower-case letters, digits and '_', starting with a letter or '_' (at most ${max})`,
    );
  }
  return value;
}

/** A table prefix may be empty; otherwise it follows the identifier rule. */
export function checkTablePrefix(value: string): string {
  return value === '' ? value : checkIdentifier('table prefix', value, MAX_PREFIX);
}

export function quoteIdentifier(name: string): string {
  return `"${checkIdentifier('identifier', name)}"`;
}

/**
 * A string literal for a statement that takes no parameter (COMMENT ON): quotes doubled, as
 * PostgreSQL reads literals with standard_conforming_strings on (its default since 9.1).
 */
export function quoteText(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** The names of one warehouse namespace: `"<schema>"."<prefix><table>"`. */
export class WarehouseNames {
  constructor(
    readonly schema: string,
    readonly tablePrefix: string,
  ) {
    checkIdentifier('warehouse schema', schema);
    checkTablePrefix(tablePrefix);
  }

  /** The qualified, quoted name of a table of this namespace. */
  table(name: string): string {
    return `${quoteIdentifier(this.schema)}.${quoteIdentifier(this.tableName(name))}`;
  }

  /** The unqualified name of a table of this namespace, prefix included. */
  tableName(name: string): string {
    return checkIdentifier('table name', `${this.tablePrefix}${name}`);
  }

  /**
   * The staging table of one load: keyed by run id so that concurrent runs with different run
   * ids never share one. Run ids may hold `.`, `=` and `-`, so the name carries a readable,
   * sanitised part plus a hash of the exact run id (`a-b` and `a_b` stay apart).
   */
  staging(dataset: string, runId: string): string {
    const readable = runId.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 12);
    const hash = createHash('sha256').update(runId).digest('hex').slice(0, 8);
    return this.table(`stage_${dataset}_${readable}_${hash}`);
  }
}
