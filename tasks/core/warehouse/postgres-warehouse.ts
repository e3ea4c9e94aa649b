/**
 * PostgreSQL (and anything speaking its wire protocol) through `pg`, one connection per task.
 * Objects load by streaming them, gunzipped and header-checked, into `COPY … FROM STDIN`
 * (pg-copy-streams): the task holds one chunk at a time, whatever the object's size. Typed rows
 * stream in the binary COPY format, inside the caller's transaction.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Logger } from '../log';
import { binaryCopyStream, copyFragments, FailureOf } from './binary-copy';
import { objectRecords } from './csv-body';
import { classifyPostgresError } from './errors';
import { parserFor, toPostgresParameter } from './postgres-values';
import { sqlStatement } from './sql-files';
import { toPositional } from './sql-text';
import type { RowsCopy } from './typed-rows';
import { statementsInTransaction, type LakeLoad, type Row, type SqlParams, type StreamingSession, type StreamingWarehouse, type Warehouse } from './warehouse';

export interface PostgresTarget {
  /** A postgres:// URL without a password (the password comes separately, never from argv). */
  url: string;
  password?: string;
  /** The URL as shown in logs. */
  description: string;
}

/** Log a streaming COPY's progress every this many bytes of CSV sent. */
const COPY_LOG_BYTES = 4 * 1024 * 1024;

export class PostgresWarehouse implements Warehouse {
  readonly kind = 'postgres';

  private constructor(
    private readonly client: pg.Client,
    readonly description: string,
    private readonly logger: Logger | undefined,
  ) {}

  static async open(target: PostgresTarget, logger?: Logger): Promise<PostgresWarehouse> {
    const client = new pg.Client({
      connectionString: target.url,
      ...(target.password !== undefined ? { password: target.password } : {}),
      application_name: 'movalytics',
      types: { getTypeParser: (oid: number) => parserFor(oid) } as unknown as pg.CustomTypesConfig,
    });
    // A connection dropped while idle is reported by the next query; do not crash on the event.
    client.on('error', (error) => logger?.warn('warehouse connection error', { error: error.message }));
    try {
      await client.connect();
    } catch (error) {
      throw classifyPostgresError(error, undefined);
    }
    return new PostgresWarehouse(client, target.description, logger);
  }

  async query(sql: string, params: SqlParams = {}): Promise<Row[]> {
    return (await this.run(sql, params)).rows;
  }

  async execute(sql: string, params: SqlParams = {}): Promise<number> {
    return (await this.run(sql, params)).rowCount ?? 0;
  }

  async transaction(statements: readonly string[], params: SqlParams = {}): Promise<number[]> {
    return statementsInTransaction(this.streaming, statements, params);
  }

  /** One connection: the session's statements and COPYs share the transaction opened on it. */
  private readonly session: StreamingSession = {
    query: (sql, params) => this.query(sql, params),
    execute: (sql, params) => this.execute(sql, params),
    copyRows: (copy) => this.copyRows(copy),
  };

  readonly streaming: StreamingWarehouse = {
    inTransaction: async <T>(work: (session: StreamingSession) => Promise<T>): Promise<T> => {
      await this.runText('BEGIN');
      try {
        const result = await work(this.session);
        await this.runText('COMMIT');
        return result;
      } catch (error) {
        await this.runText('ROLLBACK').catch(() => undefined);
        throw error;
      }
    },
  };

  private async copyRows(copy: RowsCopy): Promise<number> {
    const sql = sqlStatement('copy/postgres-binary-from-stdin', undefined, copyFragments(copy));
    const stream = this.client.query(copyFrom(sql));
    const source = new FailureOf(binaryCopyStream(copy.columns, copy.batches));
    try {
      await pipeline(Readable.from(source), stream);
    } catch (error) {
      // The rows' own failure (bad data, a lake error) is the caller's to see as it was thrown.
      throw source.failed ? source.error : classifyPostgresError(error, sql);
    }
    return stream.rowCount;
  }

  async loadFromLake(load: LakeLoad): Promise<number> {
    const sql = sqlStatement('copy/postgres-from-stdin', undefined, { table: load.table, columns: load.columns.join(', ') });
    let rows = 0;
    for (const key of load.keys) {
      const object = load.lake.urlOf(key);
      const copy = this.client.query(copyFrom(sql));
      try {
        await pipeline(Readable.from(this.logged(objectRecords(load.lake, key, load), object)), copy);
      } catch (error) {
        const classified = classifyPostgresError(error, sql);
        classified.context.object = object;
        throw classified;
      }
      rows += copy.rowCount;
    }
    return rows;
  }

  /** Passes the records through, logging (debug) every few MiB sent to the server. */
  private async *logged(records: AsyncIterable<Buffer>, object: string): AsyncGenerator<Buffer> {
    let sent = 0;
    let logged = 0;
    for await (const chunk of records) {
      yield chunk;
      sent += chunk.length;
      if (sent - logged >= COPY_LOG_BYTES) {
        logged = sent;
        this.logger?.debug('copy in progress', { object, bytes: sent });
      }
    }
  }

  async close(): Promise<void> {
    await this.client.end();
  }

  private async run(sql: string, params: SqlParams): Promise<pg.QueryResult<Row>> {
    const { text, values } = toPositional(sql, params);
    try {
      return await this.client.query<Row>(text, values.map(toPostgresParameter));
    } catch (error) {
      throw classifyPostgresError(error, sql);
    }
  }

  private async runText(sql: string): Promise<void> {
    try {
      await this.client.query(sql);
    } catch (error) {
      throw classifyPostgresError(error, sql);
    }
  }
}
