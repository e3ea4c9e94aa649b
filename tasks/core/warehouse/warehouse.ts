/**
 * The warehouse: one small interface over PGlite (embedded), PostgreSQL and the Redshift Data API,
 * chosen by URL (`pglite:///path`, `postgres://…`, `redshift-data://…`).
 *
 * SQL text comes from `sql/` files (see sql-files.ts); values always travel as named parameters
 * (`:run_id`), never inside the text. Results are normalised the same way on every adapter:
 * integers and floats are numbers, NUMERIC is a decimal string (no precision lost), DATE is
 * `YYYY-MM-DD`, TIMESTAMP is `YYYY-MM-DD HH:MM:SS[.ffffff]`, booleans are booleans.
 */
import type { Lake } from '../lake/lake';
import type { RowsCopy } from './typed-rows';

export type WarehouseKind = 'pglite' | 'postgres' | 'redshift';

/** A parameter value. Redshift's Data API receives every value as text and casts it. */
export type SqlValue = string | number | boolean | null;
export type SqlParams = Readonly<Record<string, SqlValue>>;
export type Row = Record<string, SqlValue>;

/** Load CSV objects of the lake into a table: streamed by PGlite/PostgreSQL, read from S3 by Redshift. */
export interface LakeLoad {
  lake: Lake;
  keys: readonly string[];
  /** A validated, qualified table name (see identifiers.ts). */
  table: string;
  /** Target columns in file order (validated identifiers). */
  columns: readonly string[];
  /** The header every object must start with; it is checked, then skipped. */
  header: readonly string[];
  gzip: boolean;
  /** Called as bytes of the objects are sent (streaming adapters only), for progress and logs. */
  onBytes?: (bytes: number) => void;
}

export interface Warehouse {
  readonly kind: WarehouseKind;
  /** For logs: the URL without any secret. */
  readonly description: string;
  /** Run one statement; returns its rows (empty for statements without a result set). */
  query(sql: string, params?: SqlParams): Promise<Row[]>;
  /** Run one statement; returns the number of rows it affected. */
  execute(sql: string, params?: SqlParams): Promise<number>;
  /**
   * Run statements in ONE transaction: all of them take effect or none. Every parameter is
   * available to every statement. Returns each statement's affected row count.
   */
  transaction(statements: readonly string[], params?: SqlParams): Promise<number[]>;
  /** The most statements one transaction() takes (Redshift's Data API: 40); undefined: no limit. */
  readonly maxBatchStatements?: number;
  /** Load lake objects into a table (a staging table: not transactional with later statements). */
  loadFromLake(load: LakeLoad): Promise<number>;
  /**
   * Warehouses the data streams into (PGlite, PostgreSQL) take typed rows from the task inside
   * one transaction. Redshift's Data API has none: its data reaches it through the lake.
   */
  readonly streaming?: StreamingWarehouse;
  close(): Promise<void>;
}

export interface StreamingWarehouse {
  /** Runs `work` in ONE transaction: committed when it returns, rolled back when it throws. */
  inTransaction<T>(work: (session: StreamingSession) => Promise<T>): Promise<T>;
}

/** The statements of one transaction, and COPYs of typed rows that commit or roll back with them. */
export interface StreamingSession {
  query(sql: string, params?: SqlParams): Promise<Row[]>;
  execute(sql: string, params?: SqlParams): Promise<number>;
  /** Streams the rows into the table (binary COPY); returns how many. */
  copyRows(copy: RowsCopy): Promise<number>;
}

/** `Warehouse.transaction` for a warehouse with interactive transactions: the statements in order, each one's row count. */
export function statementsInTransaction(streaming: StreamingWarehouse, statements: readonly string[], params: SqlParams): Promise<number[]> {
  return streaming.inTransaction(async (session) => {
    const counts: number[] = [];
    for (const sql of statements) counts.push(await session.execute(sql, params));
    return counts;
  });
}

/** A timestamp parameter as every warehouse parses it: `YYYY-MM-DD HH:MM:SS.mmm` (UTC). */
export function sqlTimestamp(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}
