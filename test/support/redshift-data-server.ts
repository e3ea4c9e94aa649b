/**
 * A local Redshift Data API endpoint for tests: it speaks the real protocol (HTTP POST, AWS JSON
 * 1.1, `X-Amz-Target: RedshiftData.<Operation>`) to the real SDK client, and executes statements
 * on PGlite.
 *
 * - ExecuteStatement / BatchExecuteStatement return an Id at once; statements then run one at a
 *   time, going SUBMITTED → STARTED → FINISHED or FAILED (Error: `ERROR: <message>`). A batch is
 *   one transaction; after a failing statement the rest are ABORTED.
 * - Parameters are named (`:name`), every one must be referenced, values are text.
 * - DescribeStatement reports status, Error, ResultRows, HasResultSet and sub-statements.
 * - GetStatementResult returns typed Records with ColumnMetadata, `pageSize` records per page
 *   with a NextToken.
 * - `COPY … FROM 's3://bucket/prefix' IAM_ROLE …` reads every object under the prefix from the
 *   S3 server (gunzipping with GZIP, skipping IGNOREHEADER lines), as Redshift does; with
 *   MANIFEST it reads the manifest object, then every object it lists, and FAILS when a
 *   `mandatory` one is missing (NoSuchKey), as Redshift does.
 * - Redshift-only physical design (DISTSTYLE/DISTKEY/SORTKEY/ENCODE) is grammar-checked, checked
 *   against the table's columns, recorded in `physicalDesign`, and not run (see redshift-sql.ts).
 * - `throttle(n)` answers the next n requests with ThrottlingException.
 */
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { parameterNames, toPositional } from '../../tasks/core/warehouse/sql-text';
import { parseAlterPhysical, parseCopyFromS3, stripCreateTableAttributes, type CopyFromS3, type PhysicalDesign } from './redshift-sql';

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
}

export interface CopyRecord {
  table: string;
  objects: string[];
  rows: number;
}

type Queryable = Pick<Transaction, 'query'>;

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

class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
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

export interface RedshiftDataServerOptions {
  /** PGlite data directory (on disk: in-memory PGlite is much slower). */
  dataDir: string;
  /** The S3 server COPY reads from. */
  s3: S3Client;
  /** Records per GetStatementResult page. */
  pageSize?: number;
}

export class RedshiftDataServer {
  /** Every statement run, as received (COPY and physical design included), for assertions. */
  readonly statements: string[] = [];
  readonly copies: CopyRecord[] = [];
  readonly physicalDesign: PhysicalDesign[] = [];
  private readonly submitted = new Map<string, Submitted>();
  private queue: Promise<void> = Promise.resolve();
  private throttled = 0;
  private gate: Promise<void> | undefined;
  private heldWaiters: Array<(sql: string) => void> = [];

  private constructor(
    private readonly server: Server,
    private readonly db: PGlite,
    private readonly s3: S3Client,
    private readonly pageSize: number,
  ) {}

  static async start(options: RedshiftDataServerOptions): Promise<RedshiftDataServer> {
    // Values come back as Redshift sends them: numeric, date and timestamp as text.
    const db = await PGlite.create(options.dataDir, { parsers: { 1700: TEXT, 1082: TEXT, 1114: TEXT, 1184: TEXT, 20: TEXT } });
    const server = createServer();
    const instance = new RedshiftDataServer(server, db, options.s3, options.pageSize ?? 1000);
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
      default:
        throw new ApiError('UnknownOperationException', `unknown operation ${operation}`);
    }
  }

  private submit(sqls: string[], input: Record<string, unknown>, batch: boolean): object {
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
      ...(batch ? { subStatements: sqls.map((sql, index) => ({ id: `${id}:${index + 1}`, sql, status: 'SUBMITTED' as Status, createdAt: now, updatedAt: now, resultRows: -1 })) } : {}),
    };
    this.submitted.set(id, statement);
    // Statements run one at a time, after the response: a client sees SUBMITTED first.
    this.queue = this.queue.then(() => new Promise((resolve) => setImmediate(resolve))).then(() => this.execute(statement));
    return { Id: id, CreatedAt: now, ...connection };
  }

  private async execute(statement: Submitted): Promise<void> {
    setStatus(statement, 'STARTED');
    if (this.gate) for (const notify of this.heldWaiters.splice(0)) notify(statement.sql);
    await this.gate;
    const runs = statement.subStatements ?? [statement];
    try {
      await this.db.transaction(async (tx) => {
        for (const run of runs) {
          setStatus(run, 'STARTED');
          try {
            await this.run(tx, run, statement.params);
            setStatus(run, 'FINISHED');
          } catch (error) {
            run.error = `ERROR: ${error instanceof Error ? error.message : String(error)}`;
            setStatus(run, 'FAILED');
            throw error;
          }
        }
      });
      if (statement.subStatements) statement.resultRows = runs.reduce((sum, run) => sum + Math.max(run.resultRows, 0), 0);
      setStatus(statement, 'FINISHED');
    } catch {
      for (const run of runs) if (run.status === 'SUBMITTED') setStatus(run, 'ABORTED');
      statement.error = runs.find((run) => run.status === 'FAILED')?.error ?? 'ERROR: statement failed';
      setStatus(statement, 'FAILED');
    }
  }

  private async run(db: Queryable, run: StatementRun, params: Record<string, string>): Promise<void> {
    this.statements.push(run.sql);
    const sql = withoutLeadingComments(run.sql);
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
      run.resultRows = result.rows.length;
    } else {
      run.resultRows = result.affectedRows ?? 0;
    }
  }

  private async checkColumns(db: Queryable, table: string, columns: string[]): Promise<void> {
    const found = await db.query<{ attname: string }>(
      'SELECT attname FROM pg_attribute WHERE attrelid = CAST($1 AS regclass) AND attnum > 0 AND NOT attisdropped',
      [table],
    );
    const names = new Set(found.rows.map((row) => row.attname));
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
    const columns = copy.columns.map((column) => `"${column}"`).join(', ');
    const forceNull = copy.emptyAsNull && columns ? `, FORCE_NULL (${columns})` : '';
    let rows = 0;
    for (const { data: body } of objects) {
      let data = copy.gzip ? gunzipSync(body) : body;
      for (let skipped = 0; skipped < copy.ignoreHeader; skipped++) {
        const end = data.indexOf(0x0a);
        data = end < 0 ? Buffer.alloc(0) : data.subarray(end + 1);
      }
      if (data.length === 0) continue;
      const result = await db.query(`COPY ${copy.table} ${columns ? `(${columns})` : ''} FROM '/dev/blob' WITH (FORMAT csv${forceNull})`, [], {
        blob: new Blob([data]),
      });
      rows += result.affectedRows ?? 0;
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

  private describe(id: string): object {
    const [parentId, sub] = id.split(':');
    const statement = this.submitted.get(parentId ?? '');
    if (!statement) throw new ApiError('ResourceNotFoundException', `Query does not exist: ${id}`);
    const run = sub === undefined ? statement : statement.subStatements?.[Number(sub) - 1];
    if (!run) throw new ApiError('ResourceNotFoundException', `Query does not exist: ${id}`);
    return {
      ...describeRun(run),
      ...statement.connection,
      RedshiftPid: 1073,
      ...(Object.keys(statement.params).length > 0 ? { QueryParameters: Object.entries(statement.params).map(([name, value]) => ({ name, value })) } : {}),
      ...(sub === undefined && statement.subStatements ? { SubStatements: statement.subStatements.map(describeRun) } : {}),
    };
  }

  private result(id: string, nextToken: string | undefined): object {
    const [parentId, sub] = id.split(':');
    const statement = this.submitted.get(parentId ?? '');
    const run = sub === undefined ? statement : statement?.subStatements?.[Number(sub) - 1];
    if (!run) throw new ApiError('ResourceNotFoundException', `Query does not exist: ${id}`);
    if (run.status !== 'FINISHED') throw new ApiError('ValidationException', `Query has not finished: status ${run.status}`);
    if (!run.columns || !run.records) throw new ApiError('ValidationException', 'Query does not have result. Please check query status with DescribeStatement.');
    const offset = nextToken === undefined ? 0 : Number(Buffer.from(nextToken, 'base64').toString('utf8'));
    const end = offset + this.pageSize;
    return {
      Records: run.records.slice(offset, end),
      ColumnMetadata: run.columns.map((column) => ({ name: column.name, label: column.name, typeName: column.typeName, nullable: 1, isSigned: true })),
      TotalNumRows: run.records.length,
      ...(end < run.records.length ? { NextToken: Buffer.from(String(end)).toString('base64') } : {}),
    };
  }
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
  if (connection.ClusterIdentifier && !connection.DbUser && !connection.SecretArn) {
    throw new ApiError('ValidationException', 'DbUser or SecretArn is required for a provisioned cluster');
  }
  return connection;
}

function checkParameters(sqls: string[], parameters: unknown): Record<string, string> {
  const params: Record<string, string> = {};
  if (parameters === undefined) return params;
  if (!Array.isArray(parameters)) throw new ApiError('ValidationException', 'Parameters must be a list');
  const referenced = new Set(sqls.flatMap((sql) => parameterNames(sql)));
  for (const parameter of parameters as Array<{ name?: unknown; value?: unknown }>) {
    if (typeof parameter.name !== 'string' || typeof parameter.value !== 'string') {
      throw new ApiError('ValidationException', 'Each parameter needs a name and a string value');
    }
    if (!referenced.has(parameter.name)) {
      throw new ApiError('ValidationException', `Parameter ${parameter.name} is not referenced in the SQL statement`);
    }
    params[parameter.name] = parameter.value;
  }
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
