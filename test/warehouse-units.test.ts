/**
 * The warehouse's small parts, without a database: identifiers, SQL text, the SQL files (every
 * placeholder resolves; the load SQL is built from the staged contract), CSV bodies, configuration,
 * error classes, migrations, the embedded warehouse's lock.
 */
import { NOT_SENT_TO_REDSHIFT } from './support/redshift-dialect';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import pg from 'pg';
import { DataError, ExitCode, TransientError, UsageError } from '../tasks/core/errors';
import { redact } from '../tasks/core/log';
import { STAGED_DATASETS, stagedDataset } from '../tasks/core/staged';
import { migrationBatches } from '../tasks/create-tables/batches';
import { listMigrations, migrationsFor } from '../tasks/create-tables/migrations';
import { bodyAfterHeader, recordChunks } from '../tasks/core/warehouse/csv-body';
import { readWarehouseConfig, type WarehouseArgs } from '../tasks/core/warehouse/config';
import { lockDirectory } from '../tasks/core/warehouse/directory-lock';
import { PgliteWarehouse } from '../tasks/core/warehouse/pglite-warehouse';
import { classifyPostgresError, classifyRedshiftStatementError } from '../tasks/core/warehouse/errors';
import { checkIdentifier, WarehouseNames } from '../tasks/core/warehouse/identifiers';
import { listSqlFiles, readSqlFile, renderSql, sqlRoot, sqlScript, sqlStatement } from '../tasks/core/warehouse/sql-files';
import { parameterNames, splitStatements, sqlCode, toPositional } from '../tasks/core/warehouse/sql-text';
import { resultsTable } from '../tasks/quality-check/results-table';
import { LOADABLE_DATASETS } from '../tasks/load/index';
import { columnType, datasetFragments, emptyModelFile, insertModelFile, lockStatement, statsFragments } from '../tasks/load/load-sql';

async function collect(source: AsyncIterable<Buffer>): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const chunk of source) out.push(chunk);
  return out;
}

const args = (warehouse: string, extra: Partial<WarehouseArgs> = {}): WarehouseArgs => ({
  warehouse,
  'warehouse-schema': 'movalytics',
  'warehouse-table-prefix': '',
  ...extra,
});

describe('identifiers', () => {
  it('accept plain lower-case names and refuse anything that could carry SQL', () => {
    expect(checkIdentifier('schema', 'movalytics_dev')).toBe('movalytics_dev');
    for (const bad of ['', 'Movies', 'a-b', 'x"; DROP TABLE y; --', 'a b', '1abc', 'a'.repeat(64), 'é']) {
      expect(() => checkIdentifier('schema', bad)).toThrow(UsageError);
    }
    expect(() => new WarehouseNames('ok', 'x; drop')).toThrow(/invalid table prefix/);
  });

  it('qualify and quote table names; staging names are per run, distinct and short enough', () => {
    const names = new WarehouseNames('movalytics', 'dev_');
    expect(names.table('movies')).toBe('"movalytics"."dev_movies"');
    const prefixed = new WarehouseNames('s', 'p'.repeat(20));
    const longRunId = `${'x'.repeat(98)}.1`;
    for (const dataset of LOADABLE_DATASETS) {
      expect(prefixed.staging(dataset, longRunId).split('.')[1]?.length).toBeLessThanOrEqual(63 + 2);
    }
    expect(names.staging('links', 'a-b')).not.toBe(names.staging('links', 'a_b'));
    expect(names.staging('links', 'run-1')).toMatch(/^"movalytics"\."dev_stage_links_run_1_[0-9a-f]{8}"$/);
  });
});

describe('SQL text', () => {
  it('splits scripts on semicolons outside literals and comments', () => {
    const script = "-- a comment; not a statement\nSELECT 'a;b', \"c;d\" FROM t; /* x; y */ INSERT INTO t VALUES ('it''s;'); -- trailing\n";
    expect(splitStatements(script)).toEqual(["SELECT 'a;b', \"c;d\" FROM t", "INSERT INTO t VALUES ('it''s;')"]);
  });

  it('turns named parameters into positional ones, skipping casts, literals and comments', () => {
    const sql = "SELECT CAST(:run_id AS VARCHAR(100)), x::text, ':not_me', :count -- :nor_me\nWHERE a = :run_id";
    expect(parameterNames(sql)).toEqual(['run_id', 'count']);
    expect(toPositional(sql, { run_id: 'r1', count: 3, unused: true })).toEqual({
      text: "SELECT CAST($1 AS VARCHAR(100)), x::text, ':not_me', $2 -- :nor_me\nWHERE a = $1",
      values: ['r1', 3],
    });
    expect(() => toPositional('SELECT :missing', {})).toThrow(/:missing has no value/);
  });
});

describe('SQL files', () => {
  const fragments = {
    schema: '"s"', staging: '"s"."stage"',
    model: '"s"."model"', key_columns: 'a', table: '"s"."t"', columns: 'a', freeze: '', source: "'s3://b/k'", iam_role: "'arn'", options: '',
    // The quality templates' (tasks/quality-check/contract-sql.ts).
    subject: "'t'", key_is_null: 'a IS NULL', column: '"a"', parent: '"s"."p"', parent_key: '"a"', null_is_orphan: '1 = 1',
    other_columns: 'b', staging_columns: 'a INTEGER', models: '"s"."model"', n: '1', ...statsFragments([false, true]),
    // The sharded ratings load's (tasks/load/ratings-shard.ts, ratings-commit.ts).
    next: '"s"."next"', model_name: '"ratings"', comment: "'c'",
    // The ratings summaries' readers (tasks/quality-check/ratings-profile.ts, tasks/report/queries.ts).
    ratings_profile: 'SELECT 1', verified: 'SELECT 1', ratings_per_movie: 'SELECT 1', users_per_genre: 'SELECT 1', ratings_unwritten: 'SELECT 1',
    // The count of the ratings' writes (ratingsWritesFragments in tasks/core/warehouse/ratings-summaries.ts).
    count_writes_function: '"s"."count_ratings_writes"', load_stats_name: "'load_stats'", ratings_name: `'"s"."ratings"'`,
  };

  it('every placeholder of every file is a model table or a fragment the code supplies', () => {
    const names = new WarehouseNames('s', '');
    const files = [
      ...['bootstrap', 'copy', 'fragments', 'migrations', 'quality', 'report', 'ratings-summary', 'load/ratings', 'load/ratings/summary'].flatMap((folder) => listSqlFiles(folder).map((name) => `${folder}/${name}`)),
      ...listSqlFiles('load').map((name) => `load/${name}`),
    ];
    expect(files.length).toBeGreaterThan(40);
    for (const file of files) expect(() => sqlScript(file, names, fragments)).not.toThrow();
    expect(() => renderSql('SELECT * FROM {{moviez}}', {}, names)).toThrow(/{{moviez}} is neither a model table nor given/);
  });

  it('SQL shared by several files is written once in sql/fragments/ and filled in where named', () => {
    const names = new WarehouseNames('s', 'p_');
    const latest = sqlStatement('fragments/latest-ratings-load', names);
    expect(latest).toContain('FROM "s"."p_load_stats"');
    for (const file of ['quality/ratings-profile', 'report/coverage', 'ratings-summary/recorded', 'ratings-summary/verified']) {
      expect(readSqlFile(file)).not.toContain('ORDER BY recorded_at');
      expect(sqlStatement(file, names, { ratings_profile: 'SELECT 1', ratings_unwritten: 'SELECT 1' })).toContain(`latest AS (${latest})`);
    }
  });

  it('the load SQL of every contract dataset comes from the generic templates, built from the contract', () => {
    const names = new WarehouseNames('s', '');
    // sql/load holds no per-dataset folder but the ratings' (which have no staged contract).
    expect(readdirSync(path.join(sqlRoot(), 'load'), { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name)).toEqual(['ratings']);
    for (const dataset of STAGED_DATASETS) {
      const fragments = datasetFragments(dataset, names, 'r1');
      const create = sqlStatement('load/create-staging', names, fragments);
      const found = create.slice(create.indexOf('(') + 1, create.lastIndexOf(')')).split(/,\n/).map((line) => line.trim());
      const expected = dataset.columns.map((column) => `"${column.name}" ${columnType(column)}${column.nullable ? '' : ' NOT NULL'}`);
      expect({ dataset: dataset.name, columns: found }).toEqual({ dataset: dataset.name, columns: expected });
      const insert = sqlStatement(insertModelFile(dataset, true), names, fragments);
      const allKey = dataset.key.length === dataset.columns.length;
      expect({ dataset: dataset.name, distinct: /SELECT DISTINCT/.test(insert), ranked: /ROW_NUMBER\(\) OVER \(PARTITION BY/.test(insert) }).toEqual({ dataset: dataset.name, distinct: allKey, ranked: !allKey });
      // Staged rows that repeat no key are each their key's row: inserted as they are.
      const unique = sqlStatement(insertModelFile(dataset, false), names, fragments).replace(/^--.*\n/gm, '').replace(/\s+/g, ' ').trim();
      expect(unique).toBe(`INSERT INTO ${fragments.model as string} (${fragments.columns as string}) SELECT ${fragments.columns as string} FROM ${fragments.staging as string}`);
    }
    expect(sqlStatement(insertModelFile(stagedDataset('cpi'), true), names, datasetFragments(stagedDataset('cpi'), names, 'r1'))).toContain(
      'ROW_NUMBER() OVER (PARTITION BY "month" ORDER BY "value")',
    );
    expect(columnType({ name: 'v', type: 'numeric', nullable: true, numeric: { precision: 12, scale: 6 } })).toBe('NUMERIC(12, 6)');
    expect(() => columnType({ name: 'v', type: 'text', nullable: true, maxBytes: 0 })).toThrow(/invalid type size/);
    // The lock order is global: the contract's, whatever order a load names its datasets in.
    expect(lockStatement(names, ['cpi', 'movies', 'genres'])).toBe('LOCK TABLE "s"."load_stats", "s"."movies", "s"."genres", "s"."cpi"');
    expect(emptyModelFile('redshift')).toBe('load/empty-model.redshift');
    expect(sqlStatement(emptyModelFile('redshift'), names, { model: names.table('movies') })).toBe('DELETE FROM "s"."movies"');
    expect(sqlStatement(emptyModelFile('postgres'), names, { model: names.table('movies') })).toBe('TRUNCATE "s"."movies"');
  });

  it('migrations are versioned in order; the physical design is Redshift-only', () => {
    const migrations = listMigrations();
    expect(migrations.map((migration) => migration.version)).toEqual(['0001', '0002', '0003', '0004', '0005', '0006', '0007', '0008', '0009']);
    expect(migrationsFor('postgres').map((migration) => migration.name)).toEqual(['create_model', 'describe_bookkeeping', 'rating_as_double', 'cpi_value_as_published', 'ratings_ledger_metrics', 'source_ledger_metrics', 'ratings_summaries', 'ratings_writes_metrics']);
    expect(migrationsFor('redshift').map((migration) => migration.name)).toEqual(['create_model', 'physical_design', 'describe_bookkeeping', 'rating_as_double', 'cpi_value_as_published', 'ratings_ledger_metrics', 'source_ledger_metrics', 'ratings_summaries', 'ratings_writes_metrics']);
    const shared = splitStatements(readSqlFile('migrations/0001_create_model'))
      .filter((statement) => !statement.startsWith('COMMENT ON'))
      .join(';\n');
    expect(shared).not.toMatch(/DISTSTYLE|DISTKEY|SORTKEY|ENCODE|ON CONFLICT|SERIAL|CREATE INDEX|\bTEXT\b/i);
  });
});

describe('SQL that runs on Redshift', () => {
  /** PostgreSQL constructs Redshift refuses or reads otherwise (developer guide, "Unsupported PostgreSQL features"). */
  const POSTGRES_ONLY: Array<[RegExp, string]> = [
    [/::/, 'a :: cast (the Data API reads :name as a parameter): CAST(… AS …)'],
    [/\bON\s+CONFLICT\b/i, 'ON CONFLICT: DELETE … USING + INSERT, or MERGE'],
    [/\bRETURNING\b/i, 'RETURNING'],
    [/\bDISTINCT\s+ON\b/i, 'DISTINCT ON: ROW_NUMBER() OVER (…)'],
    [/\bFILTER\s*\(\s*WHERE\b/i, 'an aggregate FILTER: SUM(CASE WHEN … END)'],
    [/\b(BIG)?SERIAL\b|\bGENERATED\b/i, 'SERIAL / GENERATED: IDENTITY'],
    [/\bTEXT\b/i, 'TEXT, which Redshift turns into VARCHAR(256): a length of its own'],
    [/\b(string_agg|array_agg|unnest|generate_series|jsonb?_\w+)\s*\(/i, 'a function Redshift lacks or runs on the leader node only'],
    [/\bARRAY\s*\[|\bLATERAL\b/i, 'arrays and LATERAL'],
    [/\bCREATE\s+(UNIQUE\s+)?INDEX\b/i, 'CREATE INDEX (Redshift has sort keys)'],
    [/\bTRUNCATE\b/i, 'TRUNCATE, which commits the transaction it runs in on Redshift: DELETE'],
  ];
  // Files that only PGlite or PostgreSQL run, and the benchmark's own.
  const postgresOnly = (file: string) => NOT_SENT_TO_REDSHIFT.some((pattern) => pattern.test(file));

  it('no file Redshift may run uses a PostgreSQL-only construct (comments and literals aside)', () => {
    const folders = ['bootstrap', 'catalog', 'copy', 'fragments', 'load', 'migrations', 'quality', 'report', 'bench'];
    const files = folders.flatMap((folder) => listSqlFiles(folder).map((name) => `${folder}/${name}`));
    const nested = listSqlFiles('load/ratings').map((file) => `load/ratings/${file}`);
    // A file with a `.redshift` twin is the other warehouses' version: Redshift runs the twin.
    const hasRedshiftTwin = (file: string) => files.includes(`${file}.redshift`);
    const checked = [...files, ...nested].filter((file) => !postgresOnly(file) && !hasRedshiftTwin(file));
    expect(checked.length).toBeGreaterThan(50);
    const found = checked.flatMap((file) => POSTGRES_ONLY.filter(([pattern]) => pattern.test(sqlCode(readSqlFile(file)))).map(([, why]) => `${file}: ${why}`));
    expect(found).toEqual([]);
    expect(POSTGRES_ONLY.filter(([pattern]) => pattern.test(sqlCode("SELECT a::text, string_agg(b, ',') FROM t -- TEXT"))).length).toBe(3);
  });
});

describe('migration batches', () => {
  const claim = ['LOCK TABLE m', 'SELECT refuse'];
  const record = 'INSERT INTO m VALUES (1)';
  const creates = (count: number) => Array.from({ length: count }, (_, index) => `CREATE TABLE IF NOT EXISTS t${index} (a INTEGER)`);

  it('a migration within the limit stays one transaction: claim, statements, record', () => {
    expect(migrationBatches({ migration: '0001_x', claim, statements: creates(37), record, maxStatements: 40 })).toEqual([[...claim, ...creates(37), record]]);
    expect(migrationBatches({ migration: '0001_x', claim, statements: creates(200), record, maxStatements: undefined })).toHaveLength(1);
  });

  it('beyond it: every batch claims the version first, within the limit; the record comes last, once', () => {
    const statements = creates(120);
    const batches = migrationBatches({ migration: '0001_x', claim, statements, record, maxStatements: 40 });
    expect(batches.length).toBe(4);
    for (const batch of batches) {
      expect(batch.length).toBeLessThanOrEqual(40);
      expect(batch.slice(0, 2)).toEqual(claim);
    }
    expect(batches.flat().filter((statement) => statement === record)).toHaveLength(1);
    expect(batches.at(-1)?.at(-1)).toBe(record);
    expect(batches.flatMap((batch) => batch.filter((statement) => !claim.includes(statement) && statement !== record))).toEqual(statements);
  });

  it('refuses to cut a migration holding a statement that must not run twice', () => {
    const statements = [...creates(50), 'ALTER TABLE t1 ADD COLUMN b INTEGER'];
    expect(() => migrationBatches({ migration: '0009_x', claim, statements, record, maxStatements: 40 })).toThrow(/0009_x .*ALTER TABLE t1 ADD COLUMN b INTEGER.* not safe to run twice/);
  });

  it('every shared migration fits Redshift: in one batch, or made of rerunnable statements', () => {
    for (const migration of migrationsFor('redshift').filter((candidate) => !candidate.redshiftOnly)) {
      expect(() => migrationBatches({ migration: migration.file, claim, statements: sqlScript(migration.file, new WarehouseNames('s', '')), record, maxStatements: 40 })).not.toThrow();
    }
  });
});

describe('CSV bodies for COPY', () => {
  it('check and drop the header (BOM, CRLF, quoted names), keeping every byte after it', async () => {
    const source = Readable.from([Buffer.from('\uFEFF"userId",movieId\r'), Buffer.from('\n1,2\r\n3,4')]);
    expect(Buffer.concat(await collect(bodyAfterHeader(source, ['userId', 'movieId'], 'x'))).toString()).toBe('1,2\r\n3,4');
    expect(await collect(bodyAfterHeader(Readable.from([Buffer.from('a,b')]), ['a', 'b'], 'x'))).toEqual([]);
    await expect(collect(bodyAfterHeader(Readable.from([Buffer.from('a,c\n1,2\n')]), ['a', 'b'], 'lake://x'))).rejects.toMatchObject({
      exitCode: ExitCode.badData,
      message: 'wrong CSV header: expected "a,b", found "a,c"',
      context: { object: 'lake://x', line: 1 },
    });
    await expect(collect(bodyAfterHeader(Readable.from([]), ['a'], 'x'))).rejects.toBeInstanceOf(DataError);
  });

  it('cut chunks only after whole records, quoted newlines included', async () => {
    const records = ['1,"two\nlines"\n', '2,"a ""quoted"" word"\n', '3,plain\n', '4,"x\ny\nz"\n'];
    const chunks = await collect(recordChunks(Readable.from(records.join('').split('').map((char) => Buffer.from(char))), 8));
    expect(Buffer.concat(chunks).toString()).toBe(records.join(''));
    const cuts = chunks.map((chunk) => chunk.toString());
    expect(cuts.length).toBeGreaterThan(1);
    for (const cut of cuts) expect(records.join('').startsWith(cuts.slice(0, cuts.indexOf(cut) + 1).join(''))).toBe(true);
    let offset = 0;
    const boundaries = new Set(records.map((_record, index) => records.slice(0, index + 1).join('').length));
    for (const cut of cuts) expect(boundaries.has((offset += cut.length))).toBe(true);
  });
});

describe('warehouse configuration', () => {
  it('pglite:// paths; the default lives under .data/warehouse', () => {
    expect(readWarehouseConfig(args('pglite:///tmp/w h'), {}).target).toEqual({ kind: 'pglite', dataDir: '/tmp/w h', description: 'pglite:///tmp/w h', lock: {} });
    const lockArgs = { ...args('pglite:///tmp/w'), 'warehouse-lock-timeout-ms': 5000, 'warehouse-lock-lease-ms': 2000 };
    expect(readWarehouseConfig(lockArgs, {}).target).toMatchObject({ lock: { timeoutMs: 5000, leaseMs: 2000 } });
    expect(() => readWarehouseConfig({ ...lockArgs, 'warehouse-lock-lease-ms': 0 }, {})).toThrow(UsageError);
    expect(readWarehouseConfig(args('pglite://rel/dir'), {}).target).toMatchObject({ dataDir: path.resolve('rel/dir') });
  });

  it('a postgres:// password is refused on the command line, taken from MOVALYTICS_WAREHOUSE or PGPASSWORD, and masked', () => {
    const url = 'postgres://loader:s3cr3t-pw@db.example:5432/dw';
    expect(() => readWarehouseConfig(args(url), {})).toThrow(/visible in the process list/);
    const fromEnv = readWarehouseConfig(args(url), { MOVALYTICS_WAREHOUSE: url }).target;
    expect(fromEnv).toEqual({ kind: 'postgres', url: 'postgres://loader@db.example:5432/dw', password: 's3cr3t-pw', description: 'postgres://loader@db.example:5432/dw' });
    expect(redact('connecting with s3cr3t-pw')).toBe('connecting with ***');
    expect(readWarehouseConfig(args('postgres://loader@db/dw'), { PGPASSWORD: 'from-pgpassword' }).target).toMatchObject({ password: 'from-pgpassword' });
  });

  it('redshift-data:// workgroups and clusters, validated', () => {
    const env = { AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_REDSHIFT_DATA: 'http://127.0.0.1:1' };
    expect(readWarehouseConfig(args('redshift-data://workgroup/analytics/dev', { 'copy-iam-role': 'arn:aws:iam::123456789012:role/copy' }), env).target).toEqual({
      kind: 'redshift', workgroupName: 'analytics', database: 'dev', region: 'eu-west-1', endpoint: 'http://127.0.0.1:1',
      description: 'redshift-data://workgroup/analytics/dev', copy: { iamRole: 'arn:aws:iam::123456789012:role/copy' },
    });
    const secret = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:dw-AbCdEf';
    const withSecret = `redshift-data://cluster/dw-1/dev?secret_arn=${secret}`;
    expect(readWarehouseConfig(args(withSecret), { MOVALYTICS_WAREHOUSE: withSecret }).target).toMatchObject({ clusterIdentifier: 'dw-1', secretArn: secret });
    expect(readWarehouseConfig(args('redshift-data://cluster/dw-1/dev?db_user=loader'), {}).target).toMatchObject({ clusterIdentifier: 'dw-1', dbUser: 'loader' });
    expect(readWarehouseConfig(args('redshift-data://cluster/dw-1/dev'), {}).target).toMatchObject({ clusterIdentifier: 'dw-1' });
    expect(readWarehouseConfig(args('redshift-data://cluster/dw-1/dev'), {}).target).not.toHaveProperty('dbUser');
    const both = `redshift-data://cluster/dw-1/dev?db_user=loader&secret_arn=${secret}`;
    expect(() => readWarehouseConfig(args(both), { MOVALYTICS_WAREHOUSE: both })).toThrow(/db_user or a secret ARN, not both/);
    expect(() => readWarehouseConfig(args('redshift-data://workgroup/analytics/dev?db_user=loader'), {})).toThrow(/Serverless workgroup takes no db_user/);
    expect(readWarehouseConfig(args('redshift-data://workgroup/analytics/dev', { 'redshift-statement-timeout-ms': 60_000 }), {}).target).toMatchObject({ statementTimeoutMs: 60_000 });
    expect(() => readWarehouseConfig(args('redshift-data://workgroup/analytics/dev', { 'redshift-statement-timeout-ms': 0 }), {})).toThrow(/redshift-statement-timeout-ms/);
    for (const bad of ['redshift-data://workgroup/analytics/dev?password=x', 'redshift-data://serverless/analytics/dev', "redshift-data://workgroup/analytics/dev'--"]) {
      expect(() => readWarehouseConfig(args(bad), {})).toThrow(UsageError);
    }
    expect(() => readWarehouseConfig(args('redshift-data://workgroup/analytics/dev', { 'copy-iam-role': "arn:aws:iam::1:role/x' --" }), {})).toThrow(/--copy-iam-role/);
    expect(() => readWarehouseConfig(args('mysql://x/y'), {})).toThrow(/unsupported warehouse URL/);
    expect(() => readWarehouseConfig(args('pglite:///tmp/x', { 'warehouse-schema': 'x; DROP' }), {})).toThrow(/invalid warehouse schema/);
  });
});

describe('warehouse errors', () => {
  it('map PostgreSQL errors by SQLSTATE to retry (75), fix-the-data (65), fix-the-config (2) or a bug (1)', () => {
    const databaseError = (code: string) => Object.assign(new pg.DatabaseError('boom', 4, 'error'), { code });
    expect(classifyPostgresError(databaseError('40001'), 'SELECT 1')).toBeInstanceOf(TransientError);
    expect(classifyPostgresError(databaseError('57P01'), 'SELECT 1')).toBeInstanceOf(TransientError);
    expect(classifyPostgresError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), undefined)).toBeInstanceOf(TransientError);
    expect(classifyPostgresError(databaseError('28P01'), undefined)).toBeInstanceOf(UsageError);
    expect(classifyPostgresError(databaseError('22P02'), 'COPY x FROM STDIN').exitCode).toBe(ExitCode.badData);
    const bug = classifyPostgresError(databaseError('42P01'), 'SELECT *\n  FROM nowhere');
    expect(bug).toMatchObject({ exitCode: ExitCode.unexpected, context: { statement: 'SELECT * FROM nowhere', sqlstate: '42P01' } });
  });

  it('read Redshift error texts the same way', () => {
    expect(classifyRedshiftStatementError('ERROR: 1023 DETAIL: Serializable isolation violation on table', 'DELETE', 'id').exitCode).toBe(ExitCode.transient);
    expect(classifyRedshiftStatementError("ERROR: Load into table 'x' failed. Check 'stl_load_errors'", 'COPY', 'id').exitCode).toBe(ExitCode.badData);
    expect(classifyRedshiftStatementError('ERROR: permission denied for schema s', 'SELECT', 'id').exitCode).toBe(ExitCode.usage);
    expect(classifyRedshiftStatementError('ERROR: syntax error', 'SELEC', 'id')).toMatchObject({ exitCode: ExitCode.unexpected, context: { statementId: 'id' } });
    for (const transient of [
      'ERROR: canceling statement due to statement timeout',
      'ERROR: Query (12345) cancelled by WLM abort action of Query Monitoring Rule "long_running".',
      'ERROR: Query (12345) cancelled by WLM abort action of Query Monitoring Rule',
      'ERROR: 1023 DETAIL: Serializable isolation violation on table - 156701, transactions forming the cycle are: 1002637, 1002652 (pid:9766)',
    ]) {
      expect(classifyRedshiftStatementError(transient, 'SELECT', 'id').exitCode).toBe(ExitCode.transient);
    }
  });
});

describe('the embedded warehouse lock', () => {
  it('a renewed lease is never taken over: the waiter gives up with 75 naming the holder; a lease not renewed is taken over', async () => {
    const directory = path.join(await mkdtemp(path.join(tmpdir(), 'lock-')), 'warehouse');
    const held = await lockDirectory(directory, { timeoutMs: 0, leaseMs: 500 });
    // Five leases long: the holder's heartbeat keeps it.
    await expect(lockDirectory(directory, { timeoutMs: 2500, leaseMs: 500 })).rejects.toMatchObject({
      exitCode: ExitCode.transient,
      context: { holder: expect.stringMatching(new RegExp(`^pid ${process.pid} on \\S+ since \\d{4}-`)) },
    });
    await held.release();
    expect(existsSync(`${directory}.lock`)).toBe(false);
    const again = await lockDirectory(directory, { timeoutMs: 200 });
    await again.release();
    // The lock of a killed holder (here of an older release: a bare pid, pid 1 as in a container) is never renewed.
    await writeFile(`${directory}.lock`, '1');
    const takenOver = await lockDirectory(directory, { timeoutMs: 60_000, leaseMs: 100 });
    expect(JSON.parse(await readFile(`${directory}.lock`, 'utf8'))).toMatchObject({ pid: process.pid });
    await takenOver.release();
  });
});

describe('a PGlite holder whose lock was taken over', () => {
  it('stops with 75 naming the lock before its next statement, and leaves the directory to the new holder', async () => {
    const directory = path.join(await mkdtemp(path.join(tmpdir(), 'lock-')), 'warehouse');
    const warehouse = await PgliteWarehouse.open(directory, undefined, { timeoutMs: 0, leaseMs: 200 });
    await warehouse.execute('CREATE TABLE kept (n integer)');
    // What a process taking the lock over leaves behind: the lock file naming its own token.
    const newHolder = `${JSON.stringify({ token: 'new-holder', host: 'elsewhere', pid: 7, since: new Date().toISOString() })}\n`;
    await writeFile(`${directory}.lock`, newHolder);
    // The very next statement: the holder reads the lock file itself, not only its heartbeat's flag.
    const failure: unknown = await warehouse.execute('INSERT INTO kept VALUES (1)').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(TransientError);
    expect(failure).toMatchObject({ exitCode: ExitCode.transient, context: { lock: `${directory}.lock` } });
    expect((failure as Error).message).toMatch(/embedded warehouse lock was taken over by another process/);
    await expect(warehouse.query('SELECT 1')).rejects.toBeInstanceOf(TransientError);
    await warehouse.close();
    expect(await readFile(`${directory}.lock`, 'utf8')).toBe(newHolder);
  });
});

describe('quality results table', () => {
  it('shows one line per subject, and checks that could not run', () => {
    const table = resultsTable([
      { name: 'keys_unique', describe: '', passed: false, failures: 1, subjects: [{ subject: 'movies', value: 2, expected: '= 0', passed: false }] },
      { name: 'cpi_monthly', describe: '', passed: false, failures: 1, subjects: [], error: 'SQL failed' },
    ]);
    expect(table.split('\n')).toEqual([
      'check        subject                value  expected    result',
      '-----------  ---------------------  -----  ----------  ------',
      'keys_unique  movies                 2      = 0         FAILED',
      'cpi_monthly  (check could not run)         SQL failed  ERROR',
    ]);
  });
});
