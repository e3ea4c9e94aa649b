/**
 * Amazon Redshift through the Redshift Data API (HTTPS, no driver, no open connection): a
 * serverless workgroup or a provisioned cluster, authenticated by a Secrets Manager secret or by
 * IAM (temporary database credentials).
 *
 * Every statement is submitted, then DescribeStatement is polled with backoff until it is
 * FINISHED; FAILED and ABORTED statements surface with the server's error text and the statement
 * id. Transactions use BatchExecuteStatement (one transaction for the whole batch). Results are
 * read page by page with GetStatementResult. Loads are `COPY … FROM 's3://…' IAM_ROLE …`: Redshift
 * reads the lake itself and the data never passes through the task; several objects load in one
 * COPY through a manifest written beside them in the lake (`manifests/copy/…`).
 */
import {
  BatchExecuteStatementCommand,
  CancelStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  RedshiftDataClient,
  type ColumnMetadata,
  type DescribeStatementResponse,
  type Field,
  type SqlParameter,
} from '@aws-sdk/client-redshift-data';
import { setTimeout as sleep } from 'node:timers/promises';
import { createGunzip } from 'node:zlib';
import { DataError, MovalyticsError, TransientError, UsageError } from '../errors';
import { putJson, type Lake } from '../lake/lake';
import { layout } from '../lake/layout';
import type { Logger } from '../log';
import { checkHeader, readHeader } from './csv-body';
import { classifyRedshiftApiError, classifyRedshiftStatementError, statementForError } from './errors';
import { sqlStatement } from './sql-files';
import { parameterNames, usesDoubleColonCast } from './sql-text';
import { sqlTimestamp, type LakeLoad, type Row, type SqlParams, type SqlValue, type Warehouse } from './warehouse';

export interface RedshiftDataTarget {
  /** Exactly one of workgroupName (serverless) and clusterIdentifier (provisioned). */
  workgroupName?: string;
  clusterIdentifier?: string;
  database: string;
  /** Provisioned cluster with IAM authentication: the database user to get credentials for. */
  dbUser?: string;
  secretArn?: string;
  region?: string;
  /** A Data API endpoint other than AWS's (AWS_ENDPOINT_URL_REDSHIFT_DATA), e.g. a local stand-in. */
  endpoint?: string;
  description: string;
  copy: RedshiftCopyOptions;
  /** First and longest wait between two DescribeStatement calls. */
  poll?: { initialMs: number; maxMs: number };
  /** Longest wait for one statement; then it is cancelled (CancelStatement) and the task exits 75. */
  statementTimeoutMs?: number;
}

export interface RedshiftCopyOptions {
  /** The IAM role(s) Redshift assumes to read the lake (`arn:aws:iam::123456789012:role/name`). */
  iamRole?: string;
  /** The lake bucket's region, when it differs from the warehouse's. */
  region?: string;
}

/** BatchExecuteStatement takes 1 to 40 statements (the API model's `SqlList`). */
export const REDSHIFT_MAX_BATCH_STATEMENTS = 40;
/** Short statements finish within the first poll or two; long COPYs are polled every 2 s. */
const DEFAULT_POLL = { initialMs: 25, maxMs: 2000 };
/**
 * A statement still running after this is cancelled rather than left behind: a task that gave up
 * must not leave a COPY or a replace that may still commit. Well beyond a full load's minutes,
 * and below the hours Airflow gives a load task before killing it.
 */
const DEFAULT_STATEMENT_TIMEOUT_MS = 2 * 60 * 60 * 1000;
/** Load errors are matched by time: allow for the clocks of the task and of Redshift to differ. */
const LOAD_ERROR_CLOCK_SKEW_MS = 5 * 60 * 1000;
const S3_URL = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/[A-Za-z0-9!_.*()/=+-]+$/;

export class RedshiftDataWarehouse implements Warehouse {
  readonly kind = 'redshift';
  readonly description: string;
  readonly maxBatchStatements = REDSHIFT_MAX_BATCH_STATEMENTS;
  private readonly client: RedshiftDataClient;
  private readonly poll: { initialMs: number; maxMs: number };
  private readonly statementTimeoutMs: number;

  constructor(
    private readonly target: RedshiftDataTarget,
    private readonly logger?: Logger,
  ) {
    this.description = target.description;
    this.poll = target.poll ?? DEFAULT_POLL;
    this.statementTimeoutMs = target.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
    this.client = new RedshiftDataClient({
      ...(target.region ? { region: target.region } : {}),
      ...(target.endpoint ? { endpoint: target.endpoint } : {}),
      maxAttempts: 6,
    });
  }

  async query(sql: string, params: SqlParams = {}): Promise<Row[]> {
    const description = await this.run(sql, params);
    return description.HasResultSet ? this.results(description.Id as string, sql) : [];
  }

  async execute(sql: string, params: SqlParams = {}): Promise<number> {
    return rowCount(await this.run(sql, params));
  }

  async transaction(statements: readonly string[], params: SqlParams = {}): Promise<number[]> {
    if (statements.length > this.maxBatchStatements) {
      throw new TypeError(`a Redshift transaction takes at most ${this.maxBatchStatements} statements, got ${statements.length}`);
    }
    const all = statements.join(';\n');
    const submitted = await this.call(all, () =>
      this.client.send(
        new BatchExecuteStatementCommand({
          ...this.connection(),
          Sqls: [...statements],
          Parameters: parametersFor(statements, params),
        }),
      ),
    );
    const described = await this.wait(submitted.Id as string, all);
    return (described.SubStatements ?? []).map((sub) => (sub.ResultRows !== undefined && sub.ResultRows >= 0 ? sub.ResultRows : 0));
  }

  /**
   * One object: `COPY … FROM 's3://…/object'`. Several objects (the parts of a staged dataset):
   * ONE `COPY … MANIFEST` listing them all, because a GZIP object is read by a single slice and
   * only one COPY over many objects spreads them over the cluster's slices.
   */
  async loadFromLake(load: LakeLoad): Promise<number> {
    const iamRole = this.target.copy.iamRole;
    if (!iamRole) throw new UsageError('loading into Redshift needs --copy-iam-role (the role Redshift assumes to read the lake)');
    // Checked before anything is read or written: a role that would not quote stops the load here.
    const role = quoteLiteral(iamRole);
    const [only] = load.keys;
    if (only === undefined) return 0;
    if (load.keys.length === 1) {
      const source = load.lake.urlOf(only);
      await this.checkPrefixReadsOnlyObject(load, only, source);
      await this.checkObject(load, only, source);
      return this.copy(load, 'copy/redshift-from-s3', source, role);
    }
    for (const key of load.keys) await this.checkObject(load, key, load.lake.urlOf(key));
    const manifestKey = layout.copyManifest(folderOf(load.keys, load.lake));
    // `meta.content_length` is needed only for ORC/Parquet and Spectrum; CSV takes url + mandatory.
    await putJson(load.lake, manifestKey, { entries: load.keys.map((key) => ({ url: load.lake.urlOf(key), mandatory: true })) });
    const manifest = load.lake.urlOf(manifestKey);
    checkS3Url(manifest);
    return this.copy(load, 'copy/redshift-from-s3-manifest', manifest, role);
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  private async copy(load: LakeLoad, file: string, source: string, quotedRole: string): Promise<number> {
    const options = [load.gzip ? 'GZIP' : '', this.target.copy.region ? `REGION ${quoteLiteral(this.target.copy.region)}` : '']
      .filter(Boolean)
      .join('\n');
    const sql = sqlStatement(file, undefined, {
      table: load.table,
      columns: load.columns.join(', '),
      source: quoteLiteral(source),
      iam_role: quotedRole,
      options,
    });
    const startedAt = Date.now();
    try {
      const copied = await this.execute(sql);
      this.logger?.debug('copied from the lake', { object: source, objects: load.keys.length, rows: copied });
      return copied;
    } catch (error) {
      throw await this.withLoadErrors(error, load, startedAt);
    }
  }

  /**
   * A COPY that Redshift refused for its data says only "Load into table … failed. Check
   * '<system table>'": the first rows of that table for the objects of this load are read and
   * shown (file, line, column, reason). SYS_LOAD_ERROR_DETAIL on Serverless, STL_LOAD_ERRORS on a
   * provisioned cluster (Serverless has no STL tables).
   */
  private async withLoadErrors(error: unknown, load: LakeLoad, startedAt: number): Promise<unknown> {
    if (!(error instanceof DataError) || !/Load into table/i.test(error.message)) return error;
    const file = this.target.workgroupName ? 'catalog/load-errors-serverless' : 'catalog/load-errors-provisioned';
    // The objects of a load share one folder (staged parts): its URL prefixes every file_name.
    const first = load.lake.urlOf(load.keys[0] ?? '');
    const prefix = first.slice(0, first.lastIndexOf('/') + 1);
    const rows = await this.query(sqlStatement(file, undefined), { prefix, since: sqlTimestamp(new Date(startedAt - LOAD_ERROR_CLOCK_SKEW_MS)) }).catch(
      (failure: unknown) => {
        this.logger?.warn('could not read the load errors of a failed COPY', { error: String(failure) });
        return [];
      },
    );
    const [latest] = rows;
    if (!latest) return error;
    const shown = rows.map((row) => `${String(row.file_name)} line ${String(row.line_number)}, column ${String(row.column_name) || '?'}: ${String(row.reason)}`);
    return new DataError(
      `${error.message} Load errors: ${shown.join('; ')}`,
      { ...error.context, object: String(latest.file_name), line: Number(latest.line_number), column: String(latest.column_name) },
      { cause: error },
    );
  }

  /** Redshift COPY without a manifest reads every object whose key STARTS with the given one. */
  private async checkPrefixReadsOnlyObject(load: LakeLoad, key: string, source: string): Promise<void> {
    checkS3Url(source);
    const others = (await load.lake.list(key)).filter((object) => object.key !== key);
    if (others.length > 0) {
      throw new UsageError(`COPY would also read ${load.lake.urlOf(others[0]?.key ?? '')}: its key starts with the object's key`, {
        object: source,
      });
    }
  }

  /** COPY skips the header without looking at it: check it here, so a wrong file fails clearly. */
  private async checkObject(load: LakeLoad, key: string, source: string): Promise<void> {
    checkS3Url(source);
    const stream = await load.lake.get(key);
    try {
      const decoded = load.gzip ? stream.pipe(createGunzip()) : stream;
      checkHeader(await readHeader(decoded, source), load.header, source);
    } finally {
      stream.destroy();
    }
  }

  private connection() {
    const { workgroupName, clusterIdentifier, database, dbUser, secretArn } = this.target;
    return {
      Database: database,
      ...(workgroupName ? { WorkgroupName: workgroupName } : {}),
      ...(clusterIdentifier ? { ClusterIdentifier: clusterIdentifier } : {}),
      ...(dbUser ? { DbUser: dbUser } : {}),
      ...(secretArn ? { SecretArn: secretArn } : {}),
    };
  }

  private async run(sql: string, params: SqlParams): Promise<DescribeStatementResponse> {
    const submitted = await this.call(sql, () =>
      this.client.send(new ExecuteStatementCommand({ ...this.connection(), Sql: sql, Parameters: parametersFor([sql], params) })),
    );
    return this.wait(submitted.Id as string, sql);
  }

  /**
   * Polls until the statement ends; FAILED/ABORTED become errors naming the failing statement.
   * Past the deadline the statement is cancelled, so that it cannot commit after the task gave up.
   */
  private async wait(id: string, sql: string): Promise<DescribeStatementResponse> {
    let delay = this.poll.initialMs;
    const deadline = Date.now() + this.statementTimeoutMs;
    for (;;) {
      if (Date.now() > deadline) throw await this.cancel(id, sql);
      const described = await this.call(sql, () => this.client.send(new DescribeStatementCommand({ Id: id })));
      switch (described.Status) {
        case 'FINISHED':
          return described;
        case 'FAILED': {
          const failed = described.SubStatements?.find((sub) => sub.Status === 'FAILED');
          const text = failed?.Error ?? described.Error ?? 'statement failed';
          throw classifyRedshiftStatementError(text, failed?.QueryString ?? sql, failed?.Id ?? id);
        }
        case 'ABORTED':
          // Not by this task (it stops polling when it cancels): an operator or workload management.
          throw new TransientError(`Redshift aborted the statement: ${described.Error ?? 'cancelled'}`, { statement: statementForError(sql), statementId: id });
        default:
          await sleep(Math.max(1, Math.min(delay, deadline - Date.now())));
          delay = Math.min(delay * 2, this.poll.maxMs);
      }
    }
  }

  /** Cancels a statement past its deadline; the error says whether Redshift took the cancel. */
  private async cancel(id: string, sql: string): Promise<MovalyticsError> {
    const context = { statement: statementForError(sql), statementId: id };
    const seconds = Math.round(this.statementTimeoutMs / 1000);
    try {
      await this.client.send(new CancelStatementCommand({ Id: id }));
      return new TransientError(`Redshift statement still running after ${seconds} s: cancelled`, context);
    } catch (error) {
      return new TransientError(`Redshift statement still running after ${seconds} s, and cancelling it failed: ${String(error)}`, context, { cause: error });
    }
  }

  private async results(id: string, sql: string): Promise<Row[]> {
    const rows: Row[] = [];
    let token: string | undefined;
    // ColumnMetadata comes with the first page only: the names are kept from it.
    let names: string[] | undefined;
    do {
      const page = await this.call(sql, () => this.client.send(new GetStatementResultCommand({ Id: id, NextToken: token })));
      names ??= (page.ColumnMetadata ?? []).map(columnName);
      for (const record of page.Records ?? []) {
        const row: Row = {};
        record.forEach((field, index) => (row[names?.[index] ?? `column${index + 1}`] = fieldValue(field)));
        rows.push(row);
      }
      token = page.NextToken;
    } while (token);
    return rows;
  }

  private async call<T>(sql: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw classifyRedshiftApiError(error, sql);
    }
  }
}

function checkS3Url(source: string): void {
  if (!S3_URL.test(source)) {
    throw new UsageError('Redshift loads only from an S3 lake with plain keys (s3://bucket/prefix)', { object: source });
  }
}

/** The one folder holding every object of a manifest load (the manifest is named after it). */
function folderOf(keys: readonly string[], lake: Lake): string {
  const folders = new Set(keys.map((key) => key.slice(0, key.lastIndexOf('/') + 1)));
  const [folder] = folders;
  if (folders.size !== 1 || !folder) {
    throw new UsageError('a Redshift COPY manifest covers the objects of one folder', { object: lake.urlOf(keys[0] ?? '') });
  }
  return folder;
}

function columnName(column: ColumnMetadata): string {
  return column.label ?? column.name ?? '';
}

function fieldValue(field: Field): SqlValue {
  if (field.isNull) return null;
  if (field.longValue !== undefined) return field.longValue;
  if (field.doubleValue !== undefined) return field.doubleValue;
  if (field.booleanValue !== undefined) return field.booleanValue;
  if (field.stringValue !== undefined) return field.stringValue;
  throw new TypeError('unsupported Redshift Data API field (binary)');
}

function rowCount(described: DescribeStatementResponse): number {
  return described.ResultRows !== undefined && described.ResultRows >= 0 ? described.ResultRows : 0;
}

/**
 * The Data API takes only the parameters that the statements reference, as text. It has no NULL
 * parameter and no empty one: SQL files express NULL themselves.
 */
function parametersFor(statements: readonly string[], params: SqlParams): SqlParameter[] | undefined {
  const used = new Set(statements.flatMap((sql) => parameterNames(sql)));
  const parameters: SqlParameter[] = [];
  for (const name of used) {
    if (!Object.prototype.hasOwnProperty.call(params, name)) throw new TypeError(`SQL parameter :${name} has no value`);
    const value = params[name];
    if (value === null || value === undefined) throw new TypeError(`SQL parameter :${name} is null: the Redshift Data API has no NULL parameter`);
    // The API refuses an empty value (ParameterValue has a minimum length of 1).
    if (String(value) === '') throw new TypeError(`SQL parameter :${name} is empty: the Redshift Data API takes no empty parameter value`);
    parameters.push({ name, value: String(value) });
  }
  if (parameters.length > 0) {
    const cast = statements.find(usesDoubleColonCast);
    if (cast !== undefined) throw new TypeError(`a statement with parameters uses a :: cast, which the Data API may read as a parameter: write CAST(… AS …) (${cast.slice(0, 80)})`);
  }
  return parameters.length > 0 ? parameters : undefined;
}

/** A literal for COPY, which takes no parameters: callers validate the value's pattern first. */
function quoteLiteral(value: string): string {
  if (/['\\]/.test(value) || [...value].some((char) => char.charCodeAt(0) < 0x20)) throw new UsageError(`refusing to quote ${JSON.stringify(value)} into SQL`);
  return `'${value}'`;
}
