/**
 * Typed rows that a task streams into a table (the ratings load): numbers in column order, many
 * rows per batch, so 26M rows cost no per-row objects. Each column says how its number is stored.
 */

/**
 * - `int4`: a 32-bit integer (INTEGER);
 * - `tenths`: a whole number of tenths (35 is 3.5), stored as DOUBLE PRECISION (the double nearest
 *   the decimal; exact for halves, the ratings' steps);
 * - `epoch_seconds`: seconds since 1970-01-01 UTC, stored as TIMESTAMP.
 */
export type TypedColumnType = 'int4' | 'tenths' | 'epoch_seconds';

export interface TypedColumn {
  /** A validated, quoted identifier (see identifiers.ts). */
  name: string;
  type: TypedColumnType;
}

/** `rows` rows of `columns.length` numbers each, row after row. */
export interface RowBatch {
  rows: number;
  values: Float64Array;
}

export interface RowsCopy {
  /** A validated, qualified table name (see identifiers.ts). */
  table: string;
  columns: readonly TypedColumn[];
  /** A batch may be overwritten once the next is asked for (the ratings reader reuses its buffer): encode it before. */
  batches: AsyncIterable<RowBatch>;
  /**
   * The table was created or emptied (TRUNCATE) in this transaction: its rows are written frozen
   * (COPY ... FREEZE), so nothing has to visit them again. After a plain COPY of 26M ratings, the
   * first scan rewrites every page to mark its rows committed, and autovacuum's pass over the
   * table (2.4 s on PostgreSQL, 0.04 s after a frozen COPY) lands beside the quality check.
   */
  freeze?: boolean;
}
