/**
 * A local Redshift Data API endpoint for tests: it speaks the real protocol (HTTP POST, AWS JSON
 * 1.1, `X-Amz-Target: RedshiftData.<Operation>`) to the real SDK client, and executes statements
 * on PGlite. It fails where Redshift fails, as far as the documents say how.
 *
 * Enforced, with the source of each rule:
 * - At most 40 statements per BatchExecuteStatement (botocore redshift-data 2019-12-20
 *   service-2.json: `SqlList` max 40), refused with ValidationException.
 * - At most 100 KB per statement ("Considerations when calling the Amazon Redshift Data API",
 *   Management Guide: maximum query statement size 100 KB); refused as the service words it,
 *   "Cannot process query string larger than 100kB".
 * - Parameters: every one referenced, none empty (service-2.json: `ParameterValue` min 1,
 *   `SqlParametersList` min 1); values are text that Redshift casts.
 * - Connection (ExecuteStatement's documentation in service-2.json): WorkgroupName or
 *   ClusterIdentifier; Serverless takes a SecretArn or derives the user from IAM, so DbUser is
 *   refused there; a cluster takes DbUser (GetClusterCredentials), SecretArn, or neither (the IAM
 *   identity, GetClusterCredentialsWithIAM).
 * - States SUBMITTED → PICKED → STARTED → FINISHED | FAILED | ABORTED (service-2.json
 *   `StatusString`); a batch is one transaction, the statements after a failing one are ABORTED.
 * - CancelStatement aborts a statement that has not finished; a finished one cannot be cancelled.
 * - GetStatementResult pages are cut by size, not by a row count, and end with a NextToken
 *   (service-2.json: "A token is returned to page through the statement results"); ColumnMetadata
 *   comes with the first page only; a row over 64 KB fails ("Troubleshooting issues for Amazon
 *   Redshift Data API": 64 KB per row).
 * - Statements of different requests are different sessions and would run at once on Redshift:
 *   each transaction is judged under SERIALIZABLE isolation (redshift-serializable.ts), so a
 *   write conflict fails with error 1023 as Redshift's does.
 * - COPY from S3 (developer guide, COPY parameters): every object under the prefix, or with
 *   MANIFEST every listed object (a missing `mandatory` one fails with NoSuchKey); CSV, GZIP,
 *   IGNOREHEADER; `NULL AS` defaults to `\N`; EMPTYASNULL turns empty CHAR/VARCHAR fields into NULL
 *   and an empty field of any other type is NULL; VARCHAR(n) counts BYTES (a multibyte value can
 *   overflow), as Redshift's does. A field that does not fit fails the COPY with "Load into table
 *   … failed. Check '<table>' system table for details.", the row written to SYS_LOAD_ERROR_DETAIL
 *   (Serverless) and STL_LOAD_ERRORS (provisioned), which outlive the rolled-back transaction.
 * - A statement mixing named parameters and a `::` cast is refused: the Data API documents
 *   `:name` parameters and no escape for `::`, so the portable form is `CAST(… AS …)`.
 * - Redshift-only physical design (DISTSTYLE/DISTKEY/SORTKEY/ENCODE) is grammar-checked, checked
 *   against the table's columns, recorded in `physicalDesign`, and not run (see redshift-sql.ts).
 * - `throttle(n)` answers the next n requests with ThrottlingException.
 *
 * Not enforced (PGlite is PostgreSQL, not Redshift): SQL only PostgreSQL accepts (its grammar and
 * functions run as they are here; `statements` keeps every one received, and the real-services
 * suite holds them to Redshift's dialect with a parser: test/support/redshift-dialect.ts); result types follow PostgreSQL, which agree with Redshift's for
 * COUNT (BIGINT) and SUM (BIGINT of INTEGER, NUMERIC of BIGINT) but not for AVG of an integer
 * column (Redshift truncates to an integer: cast first); trailing blanks are significant in
 * VARCHAR comparisons here and ignored by Redshift; read-only serialization cycles; the 500 MB
 * result limit, 24-hour statement limit and the active-statement quotas.
 */
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { PGlite, type Transaction as PgTransaction } from '@electric-sql/pglite';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { parameterNames, toPositional, usesDoubleColonCast } from '../../tasks/core/warehouse/sql-text';
import { parseAlterPhysical, parseCopyFromS3, stripCreateTableAttributes, type CopyFromS3, type PhysicalDesign } from './redshift-sql';
import { SerializableJudge, type Transaction } from './redshift-serializable';

type Status = 'SUBMITTED' | 'PICKED' | 'STARTED' | 'FINISHED' | 'FAILED' | 'ABORTED';
type FieldValue = { isNull: true } | { longValue: number } | { doubleValue: number } | { booleanValue: boolean } | { stringValue: string };
interface Column {
  name: string;
  typeName: string;
}

interface StatementRun {
  id: string;
  sql: string;
  status: Status;
  error?: string;
  createdAt: number;
  updatedAt: number;
  resultRows: number;
  columns?: Column[];
  records?: FieldValue[][];
}

interface Submitted extends StatementRun {
  params: Record<string, string>;
  connection: Record<string, string>;
  subStatements?: StatementRun[];
  /** Logical submission time, for the serializable judge. */
  submittedAt: number;
  cancelled: boolean;
}

export interface CopyRecord {
  table: string;
  objects: string[];
  rows: number;
}

type Queryable = Pick<PgTransaction, 'query'>;

interface S3Object {
  url: string;
  data: Buffer;
}

interface ManifestEntry {
  url: string;
  bucket: string;
  key: string;
  mandatory: boolean;
}

/** One row of SYS_LOAD_ERROR_DETAIL / STL_LOAD_ERRORS. */
interface LoadError {
  file: string;
  line: number;
  column: string;
  code: number;
  reason: string;
}

class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

class LoadFailed extends Error {
  constructor(
    readonly table: string,
    readonly detail: LoadError,
  ) {
    super(`Load into table '${table}' failed.`);
  }
}

/** PostgreSQL type ids as Redshift names them in ColumnMetadata. */
const TYPE_NAMES: Record<number, string> = {
  16: 'bool',
  20: 'int8',
  21: 'int2',
  23: 'int4',
  25: 'text',
  700: 'float4',
  701: 'float8',
  1042: 'bpchar',
  1043: 'varchar',
  1082: 'date',
  1114: 'timestamp',
  1184: 'timestamptz',
  1700: 'numeric',
};
const TEXT = (value: string) => value;
export const MAX_BATCH_STATEMENTS = 40;
export const MAX_STATEMENT_BYTES = 100 * 1024;
const MAX_ROW_BYTES = 64 * 1024;

export interface RedshiftDataServerOptions {
  /** PGlite data directory (on disk: in-memory PGlite is much slower). */
  dataDir: string;
  /** The S3 server COPY reads from. */
  s3: S3Client;
  /** Bytes of records (as JSON) after which a GetStatementResult page ends. */
  pageBytes?: number;
}

export class RedshiftDataServer {
  /** Every statement run, as received (COPY and physical design included), for assertions. */
  readonly statements: string[] = [];
  readonly copies: CopyRecord[] = [];
  readonly physicalDesign: PhysicalDesign[] = [];
  /** Every CancelStatement that aborted a statement, by id. */
  readonly cancelled: string[] = [];
  private readonly submitted = new Map<string, Submitted>();
  private readonly judge = new SerializableJudge();
  private queue: Promise<void> = Promise.resolve();
  private throttled = 0;
  private gate: Promise<void> | undefined;
  private heldWaiters: Array<(sql: string) => void> = [];

  private constructor(
    private readonly server: Server,
    private readonly db: PGlite,
    private readonly s3: S3Client,
    private readonly pageBytes: number,
  ) {}

  static async start(options: RedshiftDataServerOptions): Promise<RedshiftDataServer> {
    // Values come back as Redshift sends them: numeric, date and timestamp as text.
    const db = await PGlite.create(options.dataDir, { parsers: { 1700: TEXT, 1082: TEXT, 1114: TEXT, 1184: TEXT, 20: TEXT } });
    await createLoadErrorTables(db);
    const server = createServer();
    const instance = new RedshiftDataServer(server, db, options.s3, options.pageBytes ?? 16 * 1024);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => void instance.handle(request, response));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return instance;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /**
   * Hold statements once they are STARTED until the returned function is called: a test can then
   * see a statement STARTED and the ones queued behind it SUBMITTED, without relying on timing.
   */
  hold(): () => void {
    let open = () => {};
    this.gate = new Promise((resolve) => (open = resolve));
    return () => {
      this.gate = undefined;
      open();
    };
  }

  /** Resolves with the SQL of the next statement that reaches a hold() (call it before submitting). */
  nextHeld(): Promise<string> {
    return new Promise((resolve) => this.heldWaiters.push(resolve));
  }

  /** The id of the last statement submitted (for a test to cancel it as an operator would). */
  lastSubmittedId(): string {
    return [...this.submitted.keys()].at(-1) ?? '';
  }

  /** Answer the next `requests` requests with ThrottlingException. */
  throttle(requests: number): void {
    this.throttled = requests;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.queue;
    await this.db.close();
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const body = await readBody(request);
      const target = String(request.headers['x-amz-target'] ?? '');
      if (!String(request.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256')) {
        throw new ApiError('MissingAuthenticationTokenException', 'Missing Authentication Token');
      }
      if (this.throttled > 0) {
        this.throttled--;
        throw new ApiError('ThrottlingException', 'Rate exceeded');
      }
      const input = JSON.parse(body || '{}') as Record<string, unknown>;
      const output = this.dispatch(target.replace(/^RedshiftData\./, ''), input);
      send(response, 200, output);
    } catch (error) {
      const apiError = error instanceof ApiError ? error : new ApiError('InternalServerException', String(error));
      send(response, 400, { __type: apiError.type, message: apiError.message });
    }
  }

  private dispatch(operation: string, input: Record<string, unknown>): object {
    switch (operation) {
      case 'ExecuteStatement':
        return this.submit([requireString(input, 'Sql')], input, false);
      case 'BatchExecuteStatement':
        return this.submit(requireStrings(input, 'Sqls'), input, true);
      case 'DescribeStatement':
        return this.describe(requireString(input, 'Id'));
      case 'GetStatementResult':
        return this.result(requireString(input, 'Id'), typeof input.NextToken === 'string' ? input.NextToken : undefined);
      case 'CancelStatement':
        return this.cancel(requireString(input, 'Id'));
      default:
        throw new ApiError('UnknownOperationException', `unknown operation ${operation}`);
    }
  }

  private submit(sqls: string[], input: Record<string, unknown>, batch: boolean): object {
    if (sqls.length > MAX_BATCH_STATEMENTS) {
      throw new ApiError('ValidationException', `1 validation error detected: Value at 'sqls' failed to satisfy constraint: Member must have length less than or equal to ${MAX_BATCH_STATEMENTS}`);
    }
    if (sqls.some((sql) => Buffer.byteLength(sql) > MAX_STATEMENT_BYTES)) throw new ApiError('ValidationException', 'Cannot process query string larger than 100kB');
    const connection = checkConnection(input);
    const params = checkParameters(sqls, input.Parameters);
    const now = Date.now() / 1000;
    const id = randomUUID();
    const statement: Submitted = {
      id,
      sql: sqls.join(';\n'),
      status: 'SUBMITTED',
      createdAt: now,
      updatedAt: now,
      resultRows: -1,
      params,
      connection,
      submittedAt: this.judge.submitted(),
      cancelled: false,
      ...(batch ? { subStatements: sqls.map((sql, index) => ({ id: `${id}:${index + 1}`, sql, status: 'SUBMITTED' as Status, createdAt: now, updatedAt: now, resultRows: -1 })) } : {}),
    };
    this.submitted.set(id, statement);
    // PGlite has one connection: statements run one at a time, after the response (a client sees
    // SUBMITTED first); the serializable judge decides as if they had run at once.
    this.queue = this.queue.then(() => new Promise((resolve) => setImmediate(resolve))).then(() => this.execute(statement));
    return { Id: id, CreatedAt: now, ...connection };
  }

  private async execute(statement: Submitted): Promise<void> {
    if (statement.cancelled) return;
    setStatus(statement, 'PICKED');
    await new Promise((resolve) => setImmediate(resolve));
    setStatus(statement, 'STARTED');
    if (this.gate) for (const notify of this.heldWaiters.splice(0)) notify(statement.sql);
    await this.gate;
    const runs = statement.subStatements ?? [statement];
    const transaction = this.judge.begin(statement.submittedAt, runs.map((run) => withoutLeadingComments(run.sql)));
    let loadError: LoadError | undefined;
    try {
      await this.db.transaction(async (tx) => {
        for (const run of runs) {
          if (statement.cancelled) throw new Error('Query cancelled on user\'s request');
          setStatus(run, 'STARTED');
          try {
            await this.run(tx, run, statement.params, transaction);
            setStatus(run, 'FINISHED');
          } catch (error) {
            if (error instanceof LoadFailed) loadError = error.detail;
            run.error = `ERROR: ${error instanceof LoadFailed ? loadFailedText(error, statement.connection) : error instanceof Error ? error.message : String(error)}`;
            setStatus(run, 'FAILED');
            throw error;
          }
        }
        if (statement.cancelled) throw new Error('Query cancelled on user\'s request');
      });
      transaction.commit();
      if (statement.subStatements) statement.resultRows = runs.reduce((sum, run) => sum + Math.max(run.resultRows, 0), 0);
      setStatus(statement, 'FINISHED');
    } catch {
      // System tables are not transactional: the load error stays after the rollback.
      if (loadError) await recordLoadError(this.db, loadError);
      for (const run of runs) if (run.status === 'SUBMITTED' || (statement.cancelled && run.status === 'STARTED')) setStatus(run, 'ABORTED');
      if (statement.cancelled) {
        setStatus(statement, 'ABORTED');
        return;
      }
      statement.error = runs.find((run) => run.status === 'FAILED')?.error ?? 'ERROR: statement failed';
      setStatus(statement, 'FAILED');
    }
  }

  private async run(db: Queryable, run: StatementRun, params: Record<string, string>, transaction: Transaction): Promise<void> {
    this.statements.push(run.sql);
    const sql = withoutLeadingComments(run.sql);
    transaction.statement(sql);
    const design = parseAlterPhysical(sql);
    if (design) {
      await this.checkColumns(db, design.table, design.columns);
      this.physicalDesign.push(design);
      run.resultRows = 0;
      return;
    }
    const copy = parseCopyFromS3(sql);
    if (copy) {
      run.resultRows = await this.copyFromS3(db, copy);
      return;
    }
    const { text, values } = toPositional(stripCreateTableAttributes(sql), params);
    const result = await db.query<unknown[]>(text, values, { rowMode: 'array' });
    if (result.fields.length > 0) {
      run.columns = result.fields.map((field) => ({ name: field.name, typeName: TYPE_NAMES[field.dataTypeID] ?? 'varchar' }));
      run.records = result.rows.map((row) => row.map((value, index) => toField(value, run.columns?.[index]?.typeName ?? 'varchar')));
      if (run.records.some((record) => Buffer.byteLength(JSON.stringify(record)) > MAX_ROW_BYTES)) {
        throw new Error('Packet for query is too large: a row of the result is over 64 KB');
      }
      run.resultRows = result.rows.length;
    } else {
      run.resultRows = result.affectedRows ?? 0;
    }
  }

  private async checkColumns(db: Queryable, table: string, columns: string[]): Promise<void> {
    const names = new Set((await tableColumns(db, table)).map((column) => column.name));
    const missing = columns.find((column) => !names.has(column));
    if (missing) throw new Error(`column "${missing}" does not exist in table ${table}`);
  }

  /**
   * Redshift's COPY from S3: every object whose key starts with the prefix or, with MANIFEST,
   * every object the manifest lists (a missing mandatory one fails the statement).
   */
  private async copyFromS3(db: Queryable, copy: CopyFromS3): Promise<number> {
    if (!copy.csv) throw new Error('only CSV COPY is emulated');
    const objects = copy.manifest ? await this.manifestObjects(copy) : await this.prefixObjects(copy);
    const all = await tableColumns(db, copy.table);
    const targets = copy.columns.length > 0 ? copy.columns.map((name) => all.find((column) => column.name === name) ?? missingColumn(name, copy.table)) : all;
    let rows = 0;
    for (const { url, data: body } of objects) {
      let data = copy.gzip ? gunzipSync(body) : body;
      for (let skipped = 0; skipped < copy.ignoreHeader; skipped++) {
        const end = data.indexOf(0x0a);
        data = end < 0 ? Buffer.alloc(0) : data.subarray(end + 1);
      }
      if (data.length === 0) continue;
      rows += await copyObject(db, copy, targets, url, data);
    }
    this.copies.push({ table: copy.table, objects: objects.map((object) => object.url), rows });
    return rows;
  }

  private async prefixObjects(copy: CopyFromS3): Promise<S3Object[]> {
    const listed = await this.s3.send(new ListObjectsV2Command({ Bucket: copy.bucket, Prefix: copy.prefix }));
    const keys = (listed.Contents ?? []).map((object) => object.Key ?? '').sort();
    if (keys.length === 0) throw new Error(`The specified S3 prefix '${copy.prefix}' does not exist`);
    const objects: S3Object[] = [];
    for (const key of keys) objects.push({ url: `s3://${copy.bucket}/${key}`, data: (await this.getObject(copy.bucket, key)) ?? Buffer.alloc(0) });
    return objects;
  }

  /** The manifest's entries: full object URLs (never prefixes), `mandatory` false by default. */
  private async manifestObjects(copy: CopyFromS3): Promise<S3Object[]> {
    const text = await this.getObject(copy.bucket, copy.prefix);
    if (!text) throw new Error('Problem reading manifest file - S3ServiceException:The specified key does not exist.,Status 404,Error NoSuchKey');
    const entries = parseManifest(text.toString('utf8'));
    const objects: S3Object[] = [];
    for (const entry of entries) {
      const data = await this.getObject(entry.bucket, entry.key);
      if (data) objects.push({ url: entry.url, data });
      else if (entry.mandatory) {
        throw new Error(`S3ServiceException:The specified key does not exist.,Status 404,Error NoSuchKey: mandatory manifest entry ${entry.url} not found`);
      }
    }
    if (objects.length === 0) throw new Error('Manifest file has no files that exist: nothing to load');
    return objects;
  }

  private async getObject(bucket: string, key: string): Promise<Buffer | undefined> {
    try {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return await readAll(object.Body as Readable);
    } catch (error) {
      if (error instanceof Error && error.name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  private find(id: string): { statement: Submitted; run: StatementRun } {
    const [parentId, sub] = id.split(':');
    const statement = this.submitted.get(parentId ?? '');
    const run = sub === undefined ? statement : statement?.subStatements?.[Number(sub) - 1];
    if (!statement || !run) throw new ApiError('ResourceNotFoundException', `Query does not exist: ${id}`);
    return { statement, run };
  }

  private describe(id: string): object {
    const { statement, run } = this.find(id);
    return {
      ...describeRun(run),
      ...statement.connection,
      RedshiftPid: 1073,
      ...(Object.keys(statement.params).length > 0 ? { QueryParameters: Object.entries(statement.params).map(([name, value]) => ({ name, value })) } : {}),
      ...(run === statement && statement.subStatements ? { SubStatements: statement.subStatements.map(describeRun) } : {}),
    };
  }

  /** A statement not yet FINISHED, FAILED or ABORTED is aborted; its transaction rolls back. */
  private cancel(id: string): object {
    const { statement, run } = this.find(id);
    if (run !== statement) throw new ApiError('ValidationException', 'Could not cancel a sub-statement: cancel the batch');
    if (['FINISHED', 'FAILED', 'ABORTED'].includes(statement.status)) {
      throw new ApiError('ValidationException', `Could not cancel a query that is already in ${statement.status} state with ID: ${id}`);
    }
    statement.cancelled = true;
    this.cancelled.push(id);
    if (statement.status === 'SUBMITTED') {
      setStatus(statement, 'ABORTED');
      for (const sub of statement.subStatements ?? []) setStatus(sub, 'ABORTED');
    }
    return { Status: true };
  }

  private result(id: string, nextToken: string | undefined): object {
    const { run } = this.find(id);
    if (run.status !== 'FINISHED') throw new ApiError('ValidationException', `Query has not finished: status ${run.status}`);
    if (!run.columns || !run.records) throw new ApiError('ValidationException', 'Query does not have result. Please check query status with DescribeStatement.');
    const offset = nextToken === undefined ? 0 : Number(Buffer.from(nextToken, 'base64').toString('utf8'));
    let end = offset;
    let bytes = 0;
    // At least one record per page; then records while the page stays under its size.
    while (end < run.records.length && (end === offset || bytes + Buffer.byteLength(JSON.stringify(run.records[end])) <= this.pageBytes)) {
      bytes += Buffer.byteLength(JSON.stringify(run.records[end]));
      end++;
    }
    return {
      Records: run.records.slice(offset, end),
      ...(offset === 0 ? { ColumnMetadata: run.columns.map((column) => ({ name: column.name, label: column.name, typeName: column.typeName, nullable: 1, isSigned: true })) } : {}),
      TotalNumRows: run.records.length,
      ...(end < run.records.length ? { NextToken: Buffer.from(String(end)).toString('base64') } : {}),
    };
  }
}

interface TableColumn {
  name: string;
  type: string;
  /** A string type (CHAR, VARCHAR, TEXT): EMPTYASNULL applies to it. */
  text: boolean;
  /** VARCHAR(n)/CHAR(n): n, which Redshift counts in bytes. */
  maxBytes: number | undefined;
}

async function tableColumns(db: Queryable, table: string): Promise<TableColumn[]> {
  const found = await db.query<{ name: string; type: string; category: string; typmod: number }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, t.typcategory AS category, a.atttypmod AS typmod
     FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
     WHERE a.attrelid = CAST($1 AS regclass) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [table],
  );
  return found.rows.map((row) => ({ name: row.name, type: row.type, text: row.category === 'S', maxBytes: row.category === 'S' && row.typmod > 4 ? row.typmod - 4 : undefined }));
}

function missingColumn(name: string, table: string): never {
  throw new Error(`column "${name}" of relation ${table} does not exist`);
}

/**
 * One object into the table as Redshift's COPY reads it: fields as text first (NULL AS, `\N` by
 * default), then each checked against its column (the first bad field fails the load with its
 * line and column), then inserted with empty fields as NULL where Redshift makes them NULL.
 */
async function copyObject(db: Queryable, copy: CopyFromS3, columns: TableColumn[], url: string, data: Buffer): Promise<number> {
  const raw = `copy_raw_${randomUUID().replace(/-/g, '')}`;
  const fields = columns.map((_, index) => `f${index}`);
  await db.query(`CREATE TEMP TABLE ${raw} (line_no BIGSERIAL, ${fields.map((field) => `${field} TEXT`).join(', ')})`);
  try {
    try {
      await db.query(`COPY ${raw} (${fields.join(', ')}) FROM '/dev/blob' WITH (FORMAT csv, NULL ${quote(copy.nullAs ?? '\\N')})`, [], { blob: new Blob([data]) });
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      const where = String((error as { where?: unknown }).where ?? '');
      const line = Number(/line (\d+)/.exec(where)?.[1] ?? 0);
      throw new LoadFailed(copy.table, { file: url, line: line + copy.ignoreHeader, column: '', code: 1214, reason: text });
    }
    const values = columns.map((column, index) => (column.text && !copy.emptyAsNull ? fields[index] : `NULLIF(${fields[index]}, '')`) as string);
    for (const [index, column] of columns.entries()) {
      const value = values[index] as string;
      const bad = await db.query<{ line_no: string; reason: string }>(
        `SELECT line_no, COALESCE(CASE WHEN ${column.maxBytes ?? 0} > 0 AND octet_length(${value}) > ${column.maxBytes ?? 0} THEN 'String length exceeds DDL length' END, (pg_input_error_info(${value}, $1)).message) AS reason
         FROM ${raw} WHERE ${value} IS NOT NULL AND (NOT pg_input_is_valid(${value}, $1)${column.maxBytes ? ` OR octet_length(${value}) > ${column.maxBytes}` : ''})
         ORDER BY line_no LIMIT 1`,
        [column.type],
      );
      const [first] = bad.rows;
      if (first) throw new LoadFailed(copy.table, { file: url, line: Number(first.line_no) + copy.ignoreHeader, column: column.name, code: 1207, reason: first.reason });
    }
    const names = columns.map((column) => `"${column.name}"`).join(', ');
    const casts = columns.map((column, index) => `CAST(${values[index] as string} AS ${column.type})`).join(', ');
    const inserted = await db.query(`INSERT INTO ${copy.table} (${names}) SELECT ${casts} FROM ${raw} ORDER BY line_no`);
    return inserted.affectedRows ?? 0;
  } finally {
    await db.query(`DROP TABLE IF EXISTS ${raw}`).catch(() => undefined);
  }
}

/** The system tables a failed COPY writes to: SYS_LOAD_ERROR_DETAIL (Serverless), STL_LOAD_ERRORS (provisioned). */
async function createLoadErrorTables(db: PGlite): Promise<void> {
  await db.exec(`
    CREATE TABLE IF NOT EXISTS sys_load_error_detail (
      query_id BIGINT, start_time TIMESTAMP, file_name CHAR(1024), line_number BIGINT, column_name CHAR(127), error_code INTEGER, error_message CHAR(512));
    CREATE TABLE IF NOT EXISTS stl_load_errors (
      query INTEGER, starttime TIMESTAMP, filename CHAR(256), line_number BIGINT, colname CHAR(127), err_code INTEGER, err_reason CHAR(100));`);
}

async function recordLoadError(db: PGlite, error: LoadError): Promise<void> {
  const values = [error.file, error.line, error.column, error.code];
  await db.query(
    'INSERT INTO sys_load_error_detail (query_id, start_time, file_name, line_number, column_name, error_code, error_message) VALUES (1, clock_timestamp(), $1, $2, $3, $4, $5)',
    [...values, error.reason.slice(0, 512)],
  );
  await db.query('INSERT INTO stl_load_errors (query, starttime, filename, line_number, colname, err_code, err_reason) VALUES (1, clock_timestamp(), $1, $2, $3, $4, $5)', [
    ...values,
    error.reason.slice(0, 100),
  ]);
}

/** Redshift's text names the system table to read: SYS_LOAD_ERROR_DETAIL on Serverless. */
function loadFailedText(error: LoadFailed, connection: Record<string, string>): string {
  const table = connection.WorkgroupName ? 'sys_load_error_detail' : 'stl_load_errors';
  return `${error.message}  Check '${table}' system table for details.`;
}

function quote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** `{"entries":[{"url":"s3://bucket/key","mandatory":true}, …]}`, as Redshift reads it. */
function parseManifest(text: string): ManifestEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`Manifest file is not in correct json format: ${String(error)}`);
  }
  const entries = (parsed as { entries?: unknown } | null)?.entries;
  if (!Array.isArray(entries)) throw new Error('Manifest file is invalid: "entries" must be a list');
  return entries.map((entry: unknown) => {
    const { url, mandatory } = (entry ?? {}) as { url?: unknown; mandatory?: unknown };
    const match = typeof url === 'string' ? /^s3:\/\/([^/]+)\/(.+)$/.exec(url) : null;
    if (!match || typeof url !== 'string') throw new Error(`Manifest file is invalid: entry url ${JSON.stringify(url)} is not s3://bucket/key`);
    if (mandatory !== undefined && typeof mandatory !== 'boolean') throw new Error('Manifest file is invalid: "mandatory" must be true or false');
    return { url, bucket: match[1] as string, key: match[2] as string, mandatory: mandatory === true };
  });
}

function withoutLeadingComments(sql: string): string {
  return sql.replace(/^(\s*(--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/))*\s*/, '');
}

function describeRun(run: StatementRun): object {
  return {
    Id: run.id,
    Status: run.status,
    QueryString: run.sql,
    CreatedAt: run.createdAt,
    UpdatedAt: run.updatedAt,
    Duration: Math.round((run.updatedAt - run.createdAt) * 1e9),
    ResultRows: run.resultRows,
    ResultSize: -1,
    HasResultSet: run.columns !== undefined,
    ...(run.error !== undefined ? { Error: run.error } : {}),
  };
}

function setStatus(run: StatementRun, status: Status): void {
  run.status = status;
  run.updatedAt = Date.now() / 1000;
}

function toField(value: unknown, typeName: string): FieldValue {
  if (value === null || value === undefined) return { isNull: true };
  if (['int2', 'int4', 'int8'].includes(typeName)) return { longValue: Number(value) };
  if (['float4', 'float8'].includes(typeName)) return { doubleValue: Number(value) };
  if (typeName === 'bool') return { booleanValue: Boolean(value) };
  return { stringValue: String(value) };
}

function checkConnection(input: Record<string, unknown>): Record<string, string> {
  const pick = (name: string) => (typeof input[name] === 'string' ? { [name]: input[name] as string } : {});
  const connection = { ...pick('Database'), ...pick('WorkgroupName'), ...pick('ClusterIdentifier'), ...pick('DbUser'), ...pick('SecretArn') };
  if (!connection.Database) throw new ApiError('ValidationException', 'Database is required');
  if (Boolean(connection.WorkgroupName) === Boolean(connection.ClusterIdentifier)) {
    throw new ApiError('ValidationException', 'Either WorkgroupName or ClusterIdentifier must be specified');
  }
  if (connection.WorkgroupName && connection.DbUser) {
    throw new ApiError('ValidationException', 'DbUser is not supported for a serverless workgroup: the database user is derived from the IAM identity');
  }
  if (connection.DbUser && connection.SecretArn) throw new ApiError('ValidationException', 'Specify either DbUser or SecretArn, not both');
  return connection;
}

function checkParameters(sqls: string[], parameters: unknown): Record<string, string> {
  const params: Record<string, string> = {};
  if (parameters === undefined) return params;
  if (!Array.isArray(parameters) || parameters.length === 0) throw new ApiError('ValidationException', 'Parameters must be a non-empty list');
  const referenced = new Set(sqls.flatMap((sql) => parameterNames(sql)));
  for (const [index, parameter] of (parameters as Array<{ name?: unknown; value?: unknown }>).entries()) {
    if (typeof parameter.name !== 'string' || typeof parameter.value !== 'string') {
      throw new ApiError('ValidationException', 'Each parameter needs a name and a string value');
    }
    if (parameter.value === '') {
      throw new ApiError('ValidationException', `1 validation error detected: Value '' at 'parameters.${index + 1}.member.value' failed to satisfy constraint: Member must have length greater than or equal to 1`);
    }
    if (!referenced.has(parameter.name)) {
      throw new ApiError('ValidationException', `Parameter ${parameter.name} is not referenced in the SQL statement`);
    }
    params[parameter.name] = parameter.value;
  }
  if (sqls.some((sql) => usesDoubleColonCast(sql))) throw new ApiError('ValidationException', 'a statement with parameters uses a :: cast: write CAST(… AS …)');
  return params;
}

function requireString(input: Record<string, unknown>, name: string): string {
  const value = input[name];
  if (typeof value !== 'string' || value === '') throw new ApiError('ValidationException', `${name} is required`);
  return value;
}

function requireStrings(input: Record<string, unknown>, name: string): string[] {
  const value = input[name];
  if (!Array.isArray(value) || value.length === 0 || value.some((item) => typeof item !== 'string')) {
    throw new ApiError('ValidationException', `${name} must be a non-empty list of strings`);
  }
  return value as string[];
}

async function readBody(request: IncomingMessage): Promise<string> {
  return (await readAll(request)).toString('utf8');
}

async function readAll(stream: AsyncIterable<Buffer | string>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

function send(response: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...(status >= 400 && '__type' in body ? { 'x-amzn-errortype': String((body as { __type: string }).__type) } : {}),
  });
  response.end(text);
}
