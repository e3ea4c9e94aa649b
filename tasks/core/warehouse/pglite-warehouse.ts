/**
 * The embedded warehouse: PGlite (PostgreSQL in WebAssembly) on an on-disk data directory, for
 * laptops, tests and the one-command local run. In-memory mode is 8× slower and is not offered.
 *
 * PGlite reads COPY input from a `/dev/blob` device that it copies whole into memory, so objects
 * are cut into chunks of whole records and COPYed chunk by chunk: memory stays bounded whatever
 * the object's size. One process at a time may open a data directory (directory-lock.ts).
 */
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { UsageError } from '../errors';
import type { Logger } from '../log';
import { binaryCopyChunks, copyFragments } from './binary-copy';
import { objectRecords, recordChunks } from './csv-body';
import { lockDirectory, type DirectoryLock } from './directory-lock';
import { classifyPostgresError } from './errors';
import { PGLITE_START_PARAMS, useLeanWasmCompiler } from './pglite-settings';
import { installedTemplates, seedFromTemplate, type TemplateSource } from './pglite-template';
import { TEXT_PARSERS, toPostgresParameter } from './postgres-values';
import { sqlStatement } from './sql-files';
import { toPositional } from './sql-text';
import type { RowsCopy } from './typed-rows';
import { statementsInTransaction, type LakeLoad, type Row, type SqlParams, type StreamingSession, type StreamingWarehouse, type Warehouse } from './warehouse';

/**
 * Bytes per COPY: large enough to amortise each call, small enough to keep memory flat. Measured on
 * the full ratings load (26M rows) with Liftoff only, when each chunk was still joined from its
 * batches: 1 MiB peaked at 238 MiB, 4 MiB at 251-257, in the same time within noise.
 */
const COPY_CHUNK_BYTES = 1024 * 1024;

/**
 * A COPY chunk as the Blob PGlite asks for, handing over the chunk's own bytes. A `new Blob([chunk])`
 * copies them into memory outside V8's heap that V8 does not count, so it is freed late: at full
 * scale the ratings load peaked at 1.3 GiB with 1 MiB chunks. PGlite only calls arrayBuffer().
 */
class ChunkBlob extends Blob {
  constructor(private readonly chunk: Buffer) {
    // Empty to the Blob machinery (its `size` is 0): the bytes stay in `chunk`.
    super([]);
  }

  override async arrayBuffer(): Promise<ArrayBuffer> {
    const { buffer, byteOffset, byteLength } = this.chunk;
    if (buffer instanceof ArrayBuffer && byteOffset === 0 && byteLength === buffer.byteLength) return buffer;
    return buffer.slice(byteOffset, byteOffset + byteLength) as ArrayBuffer;
  }
}
/** Without a configured wait (--warehouse-lock-timeout-ms), a second process waits a quarter of an hour. */
const LOCK_TIMEOUT_MS = 15 * 60 * 1000;

/** How long a second process waits for the data directory, and the holder's lease (directory-lock.ts). */
export interface PgliteLockSettings {
  timeoutMs?: number;
  leaseMs?: number;
}

type Queryable = Pick<Transaction, 'query'>;

/** What a PostgreSQL data directory holds, also half made (initdb killed before PG_VERSION). */
const DATA_DIRECTORY_ENTRY = /^(base|global|pg_[\w.]+|PG_VERSION|postgresql(\.auto)?\.conf|postmaster\.\w+)$/;

/**
 * A folder that holds anything else is the user's own, named by mistake: PGlite would run initdb
 * among those files. Refused, with nothing written into it.
 */
async function refuseForeignFolder(directory: string): Promise<void> {
  const entries = await readdir(directory).catch((): string[] => []);
  const foreign = entries.filter((entry) => !DATA_DIRECTORY_ENTRY.test(entry));
  if (foreign.length > 0) {
    throw new UsageError('pglite:// names a folder that holds other files, not an embedded warehouse: name a new or empty folder', {
      folder: directory,
      e_g: foreign[0] ?? '',
    });
  }
}

export class PgliteWarehouse implements Warehouse {
  readonly kind = 'pglite';

  private constructor(
    private readonly db: PGlite,
    private readonly lock: DirectoryLock,
    readonly description: string,
    private readonly logger: Logger | undefined,
  ) {}

  static async open(
    dataDir: string,
    logger?: Logger,
    { timeoutMs = LOCK_TIMEOUT_MS, leaseMs }: PgliteLockSettings = {},
    templates: TemplateSource = installedTemplates(),
  ): Promise<PgliteWarehouse> {
    const directory = path.resolve(dataDir);
    await mkdir(path.dirname(directory), { recursive: true });
    const lock = await lockDirectory(directory, { timeoutMs, ...(leaseMs !== undefined ? { leaseMs } : {}), ...(logger ? { logger } : {}) });
    try {
      await refuseForeignFolder(directory);
      const template = await seedFromTemplate(directory, templates);
      if (template) logger?.info('new embedded warehouse copied from its template', { template });
      useLeanWasmCompiler();
      const db = await PGlite.create(directory, { parsers: TEXT_PARSERS, startParams: [...PGLITE_START_PARAMS] });
      return new PgliteWarehouse(db, lock, `pglite://${directory}`, logger);
    } catch (error) {
      await lock.release();
      throw classifyPostgresError(error, undefined);
    }
  }

  async query(sql: string, params: SqlParams = {}): Promise<Row[]> {
    return (await this.run(this.db, sql, params)).rows;
  }

  async execute(sql: string, params: SqlParams = {}): Promise<number> {
    return (await this.run(this.db, sql, params)).affectedRows ?? 0;
  }

  async transaction(statements: readonly string[], params: SqlParams = {}): Promise<number[]> {
    return statementsInTransaction(this.streaming, statements, params);
  }

  readonly streaming: StreamingWarehouse = {
    inTransaction: async <T>(work: (session: StreamingSession) => Promise<T>): Promise<T> => {
      let failure: { error: unknown } | undefined;
      try {
        return await this.db.transaction(async (tx) => {
          try {
            return await work(this.sessionOn(tx));
          } catch (error) {
            failure = { error };
            throw error;
          }
        });
      } catch (error) {
        // The work's own failure (already classified, or the caller's) passes through as thrown.
        throw failure ? failure.error : classifyPostgresError(error, undefined);
      }
    },
  };

  private sessionOn(tx: Queryable): StreamingSession {
    return {
      query: async (sql, params = {}) => (await this.run(tx, sql, params)).rows,
      execute: async (sql, params = {}) => (await this.run(tx, sql, params)).affectedRows ?? 0,
      copyRows: (copy) => this.copyRows(tx, copy),
    };
  }

  private async copyRows(tx: Queryable, copy: RowsCopy): Promise<number> {
    const sql = sqlStatement('copy/pglite-binary-from-blob', undefined, copyFragments(copy));
    let rows = 0;
    for await (const chunk of binaryCopyChunks(copy.columns, copy.batches, COPY_CHUNK_BYTES)) {
      rows += (await this.run(tx, sql, {}, { blob: new ChunkBlob(chunk.data) })).affectedRows ?? 0;
      this.logger?.debug('copied a chunk', { table: copy.table, bytes: chunk.data.length, rows });
    }
    return rows;
  }

  async loadFromLake(load: LakeLoad): Promise<number> {
    const sql = sqlStatement('copy/pglite-from-blob', undefined, { table: load.table, columns: load.columns.join(', ') });
    let rows = 0;
    for (const key of load.keys) {
      const object = load.lake.urlOf(key);
      let chunkNumber = 0;
      for await (const chunk of recordChunks(objectRecords(load.lake, key, load), COPY_CHUNK_BYTES)) {
        const result = await this.run(this.db, sql, {}, { blob: new ChunkBlob(chunk) }, object);
        rows += result.affectedRows ?? 0;
        this.logger?.debug('copied a chunk', { object, chunk: ++chunkNumber, bytes: chunk.length, rows });
      }
    }
    return rows;
  }

  async close(): Promise<void> {
    try {
      // A lock taken over means the directory is another process's now: closing writes to it.
      if (!this.db.closed && this.stillHeld()) await this.db.close();
    } finally {
      await this.lock.release();
    }
  }

  private stillHeld(): boolean {
    try {
      this.lock.assertHeld();
      return true;
    } catch {
      return false;
    }
  }

  private async run(
    target: Queryable,
    sql: string,
    params: SqlParams,
    options: { blob?: Blob } = {},
    object?: string,
  ): Promise<{ rows: Row[]; affectedRows?: number }> {
    const { text, values } = toPositional(sql, params);
    // A holder frozen longer than its lease (a suspended container) finds its lock taken: it
    // stops here rather than write into a directory another process has opened.
    this.lock.assertHeld();
    try {
      return await target.query<Row>(text, values.map(toPostgresParameter), options);
    } catch (error) {
      const classified = classifyPostgresError(error, sql);
      if (object !== undefined) classified.context.object = object;
      throw classified;
    }
  }
}
