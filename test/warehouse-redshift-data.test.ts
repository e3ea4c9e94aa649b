/**
 * The warehouse integration suite through the Redshift Data API (the real SDK client against the
 * local endpoint, which executes on PGlite and COPYs from the S3 test server), then what is
 * particular to Redshift: statement states, errors, paging, throttling, physical design, COPY.
 */
import { DescribeStatementCommand, ExecuteStatementCommand, BatchExecuteStatementCommand, RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { setTimeout as sleep } from 'node:timers/promises';
import { ExitCode } from '../tasks/core/errors';
import { FileLake } from '../tasks/core/lake/file-lake';
import { getJson } from '../tasks/core/lake/lake';
import { layout } from '../tasks/core/lake/layout';
import { stagedDataset } from '../tasks/core/staged';
import { createTables } from '../tasks/create-tables/index';
import { readWarehouseConfig } from '../tasks/core/warehouse/config';
import { WarehouseNames, quoteIdentifier } from '../tasks/core/warehouse/identifiers';
import { RedshiftDataWarehouse } from '../tasks/core/warehouse/redshift-data-warehouse';
import type { Warehouse } from '../tasks/core/warehouse/warehouse';
import { putGzip } from './support/warehouse-fixture';
import { describeWarehouseSuite } from './support/warehouse-suite';
import { redshiftDataTarget, TEST_COPY_ROLE, TEST_WORKGROUP_URL, type RedshiftDataTestTarget } from './support/warehouse-targets';
import { silentLogger } from './support/silent-logger';

describeWarehouseSuite('the Redshift Data API', () => redshiftDataTarget(), { interruptible: false });

const silent = silentLogger();

describe('Redshift Data API adapter against the local endpoint', () => {
  let target: RedshiftDataTestTarget;
  let warehouse: Warehouse;
  let client: RedshiftDataClient;
  const connection = { WorkgroupName: 'movalytics-test', Database: 'dev' };

  beforeAll(async () => {
    target = await redshiftDataTarget({ pageSize: 100 });
    warehouse = await target.warehouse();
    client = new RedshiftDataClient({ endpoint: target.server.endpoint, region: 'us-east-1', maxAttempts: 1 });
  }, 60_000);
  afterAll(async () => {
    client?.destroy();
    await target?.close();
  });

  async function finalStatus(id: string): Promise<string | undefined> {
    for (;;) {
      const described = await client.send(new DescribeStatementCommand({ Id: id }));
      if (['FINISHED', 'FAILED', 'ABORTED'].includes(described.Status ?? '')) return described.Status;
      await sleep(5);
    }
  }

  it('statements go SUBMITTED -> STARTED -> FINISHED, one at a time', async () => {
    const release = target.server.hold();
    const first = await client.send(new ExecuteStatementCommand({ ...connection, Sql: 'SELECT 1 AS one' }));
    const second = await client.send(new ExecuteStatementCommand({ ...connection, Sql: 'SELECT 2 AS two' }));
    let firstStatus: string | undefined;
    while ((firstStatus = (await client.send(new DescribeStatementCommand({ Id: first.Id }))).Status) === 'SUBMITTED') await sleep(5);
    expect(firstStatus).toBe('STARTED');
    expect((await client.send(new DescribeStatementCommand({ Id: second.Id }))).Status).toBe('SUBMITTED');
    release();
    expect(await finalStatus(first.Id as string)).toBe('FINISHED');
    expect(await finalStatus(second.Id as string)).toBe('FINISHED');
  });

  it('reads every page of a result, with values typed as Redshift types them', async () => {
    const rows = await warehouse.query(
      "SELECT g AS n, CAST(g AS BIGINT) * 3000000000 AS big, CAST(g / 2.0 AS NUMERIC(8, 2)) AS half, CAST(g AS DOUBLE PRECISION) / 4 AS quarter, g % 2 = 0 AS even, CAST('2020-01-01' AS DATE) + g AS day, CAST(NULL AS VARCHAR) AS nothing FROM generate_series(1, 250) AS g ORDER BY g",
    );
    expect(rows).toHaveLength(250);
    expect(rows[0]).toEqual({ n: 1, big: 3000000000, half: '0.50', quarter: 0.25, even: false, day: '2020-01-02', nothing: null });
    expect(rows[249]).toMatchObject({ n: 250, even: true });
  });

  it('binds named parameters as text; every parameter must be referenced', async () => {
    expect(await warehouse.query('SELECT CAST(:a AS INTEGER) + CAST(:b AS INTEGER) AS total, :label AS label', { a: 40, b: 2, label: 'x', unused: 'y' })).toEqual([
      { total: 42, label: 'x' },
    ]);
    await expect(client.send(new ExecuteStatementCommand({ ...connection, Sql: 'SELECT 1', Parameters: [{ name: 'x', value: '1' }] }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });

  it('a FAILED statement surfaces the server error text and its statement id', async () => {
    const failure = await warehouse.execute('SELECT * FROM no_such_table').catch((error: unknown) => error);
    expect(failure).toMatchObject({
      exitCode: ExitCode.unexpected,
      message: expect.stringMatching(/ERROR: relation "no_such_table" does not exist/),
      context: { statement: 'SELECT * FROM no_such_table', statementId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
    });
  });

  it('a batch is one transaction: a failing statement rolls back the earlier ones, the later ones are ABORTED', async () => {
    const statements = ['CREATE TABLE batch_probe (a INTEGER)', 'INSERT INTO batch_probe VALUES (1)', "INSERT INTO batch_probe VALUES ('not a number')", 'INSERT INTO batch_probe VALUES (2)'];
    const failure = await warehouse.transaction(statements).catch((error: unknown) => error);
    expect(failure).toMatchObject({
      exitCode: ExitCode.badData,
      message: expect.stringMatching(/invalid input syntax for type integer/),
      context: { statement: statements[2], statementId: expect.stringMatching(/:3$/) },
    });
    const batchId = String((failure as { context: { statementId: string } }).context.statementId).replace(/:3$/, '');
    const described = await client.send(new DescribeStatementCommand({ Id: batchId }));
    expect(described.Status).toBe('FAILED');
    expect(described.SubStatements?.map((sub) => sub.Status)).toEqual(['FINISHED', 'FINISHED', 'FAILED', 'ABORTED']);
    expect(await warehouse.query("SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_name = 'batch_probe'")).toEqual([{ n: 0 }]);
    const ok = await client.send(new BatchExecuteStatementCommand({ ...connection, Sqls: ['SELECT 1', 'SELECT 2'] }));
    expect(await finalStatus(ok.Id as string)).toBe('FINISHED');
  });

  it('throttling: retried by the SDK, then a TransientError (75) once retries run out', async () => {
    target.server.throttle(2);
    expect(await warehouse.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    target.server.throttle(1000);
    await expect(warehouse.query('SELECT 1 AS one')).rejects.toMatchObject({ exitCode: ExitCode.transient, context: { code: 'ThrottlingException' } });
    target.server.throttle(0);
  }, 60_000);

  it('an endpoint that refuses connections is a TransientError (75)', async () => {
    const { target: config } = readWarehouseConfig(
      { warehouse: TEST_WORKGROUP_URL, 'warehouse-schema': 'movalytics', 'warehouse-table-prefix': '' },
      { AWS_ENDPOINT_URL_REDSHIFT_DATA: 'http://127.0.0.1:9', AWS_REGION: 'us-east-1' },
    );
    if (config.kind !== 'redshift') throw new Error('expected Redshift');
    const closed = new RedshiftDataWarehouse(config);
    await expect(closed.query('SELECT 1')).rejects.toMatchObject({ exitCode: ExitCode.transient });
    await closed.close();
  }, 60_000);

  it('create-tables applies the physical design on Redshift only: ratings distributed on movie_id, dimensions on every node', async () => {
    const names = new WarehouseNames('physical', '');
    await createTables({ warehouse, names, logger: silent });
    const design = target.server.physicalDesign.filter((entry) => entry.table.startsWith('"physical".'));
    expect(design).toContainEqual({ table: '"physical"."ratings"', clause: 'DISTSTYLE KEY DISTKEY movie_id', columns: ['movie_id'] });
    expect(design).toContainEqual({ table: '"physical"."ratings"', clause: 'SORTKEY (movie_id, user_id)', columns: ['movie_id', 'user_id'] });
    expect(design).toContainEqual({ table: '"physical"."genres"', clause: 'DISTSTYLE ALL', columns: [] });
    expect(design).toContainEqual({ table: '"physical"."movies"', clause: 'DISTSTYLE ALL', columns: [] });
  });

  it('accepts Redshift table attributes after checking them, and refuses malformed ones', async () => {
    await warehouse.execute('CREATE TABLE attributed (a INTEGER ENCODE az64 DISTKEY, b VARCHAR(10) ENCODE zstd) DISTSTYLE KEY COMPOUND SORTKEY (a, b)');
    expect(await warehouse.query('SELECT COUNT(*) AS n FROM attributed')).toEqual([{ n: 0 }]);
    await expect(warehouse.execute('CREATE TABLE bad_encoding (a INTEGER ENCODE sideways)')).rejects.toMatchObject({ message: expect.stringMatching(/invalid encoding type/) });
    await expect(warehouse.execute('ALTER TABLE attributed ALTER DISTSTYLE SIDEWAYS')).rejects.toMatchObject({ message: expect.stringMatching(/syntax error/) });
    await expect(warehouse.execute('ALTER TABLE attributed ALTER SORTKEY (nope)')).rejects.toMatchObject({ message: expect.stringMatching(/column "nope" does not exist/) });
  });

  it('COPY is read by the server from S3 (never through the task); the adapter checks the object first', async () => {
    const names = new WarehouseNames('copying', '');
    await warehouse.execute(`CREATE SCHEMA ${quoteIdentifier(names.schema)}`);
    await warehouse.execute(`CREATE TABLE ${names.table('genres_copy')} (genre_id INTEGER, name VARCHAR(100))`);
    const columns = stagedDataset('genres').columns.map((column) => column.name);
    const key = layout.staged('genres', 'copy-run', 0);
    await putGzip(target.lake, key, ['genre_id,name', '16,Animation', '35,"Comedy, dark"']);
    const load = { lake: target.lake, keys: [key], table: names.table('genres_copy'), columns: columns.map(quoteIdentifier), header: columns, gzip: true };
    expect(await warehouse.loadFromLake(load)).toBe(2);
    expect(target.server.copies).toContainEqual({ table: names.table('genres_copy'), objects: [target.lake.urlOf(key)], rows: 2 });
    expect(target.server.statements.find((sql) => sql.includes(target.lake.urlOf(key)))).toMatch(new RegExp(`IAM_ROLE '${TEST_COPY_ROLE}'[\\s\\S]*GZIP`));
    expect(await warehouse.query(`SELECT name FROM ${names.table('genres_copy')} ORDER BY genre_id`)).toEqual([{ name: 'Animation' }, { name: 'Comedy, dark' }]);

    await target.lake.put(`${key}.bak`, 'x');
    await expect(warehouse.loadFromLake(load)).rejects.toMatchObject({ exitCode: ExitCode.usage, message: expect.stringMatching(/COPY would also read .*part-00000\.csv\.gz\.bak/) });
    await target.lake.delete(`${key}.bak`);
    await putGzip(target.lake, key, ['id,label', '1,x']);
    await expect(warehouse.loadFromLake(load)).rejects.toMatchObject({ exitCode: ExitCode.badData, message: expect.stringMatching(/wrong CSV header/) });
    const fileLake = new FileLake('file:///tmp/movalytics-not-s3');
    await expect(warehouse.loadFromLake({ ...load, lake: fileLake })).rejects.toMatchObject({ exitCode: ExitCode.usage, message: expect.stringMatching(/only from an S3 lake/) });
    const { target: roleless } = readWarehouseConfig(
      { warehouse: TEST_WORKGROUP_URL, 'warehouse-schema': 'x', 'warehouse-table-prefix': '' },
      { AWS_ENDPOINT_URL_REDSHIFT_DATA: target.server.endpoint, AWS_REGION: 'us-east-1' },
    );
    if (roleless.kind !== 'redshift') throw new Error('expected Redshift');
    const withoutRole = new RedshiftDataWarehouse(roleless);
    await expect(withoutRole.loadFromLake(load)).rejects.toMatchObject({ exitCode: ExitCode.usage, message: expect.stringMatching(/--copy-iam-role/) });
    await withoutRole.close();
  });

  it('a staged dataset of several parts loads in ONE COPY through a manifest; a mandatory part missing at COPY time fails it with exit 65', async () => {
    const names = new WarehouseNames('manifested', '');
    await warehouse.execute(`CREATE SCHEMA ${quoteIdentifier(names.schema)}`);
    const table = names.table('genres_parts');
    await warehouse.execute(`CREATE TABLE ${table} (genre_id INTEGER, name VARCHAR(100))`);
    const columns = stagedDataset('genres').columns.map((column) => column.name);
    const keys = [0, 1, 2].map((part) => layout.staged('genres', 'manifest-run', part));
    const parts = [['16,Animation', '35,"Comedy, dark"'], ['18,Drama'], ['27,Horror', '99,Documentary']];
    for (const [index, key] of keys.entries()) await putGzip(target.lake, key, ['genre_id,name', ...(parts[index] ?? [])]);
    const load = { lake: target.lake, keys, table, columns: columns.map(quoteIdentifier), header: columns, gzip: true };

    const before = target.server.statements.length;
    expect(await warehouse.loadFromLake(load)).toBe(5);
    const executed = target.server.statements.slice(before);
    const manifestKey = layout.copyManifest(layout.stagedPrefix('genres', 'manifest-run'));
    expect(manifestKey).toBe('manifests/copy/staged/genres/manifest-run.json');
    expect(executed).toHaveLength(1);
    expect(executed[0]).toMatch(new RegExp(`^COPY ${table.replace(/[".]/g, '\\$&')} [\\s\\S]*FROM '${target.lake.urlOf(manifestKey)}'\\s+IAM_ROLE '${TEST_COPY_ROLE}'\\s+MANIFEST\\s+FORMAT AS CSV\\s+IGNOREHEADER 1\\s+EMPTYASNULL[\\s\\S]*GZIP`, 'm'));
    expect(await getJson(target.lake, manifestKey)).toEqual({ entries: keys.map((key) => ({ url: target.lake.urlOf(key), mandatory: true })) });
    expect(target.server.copies.at(-1)).toEqual({ table, objects: keys.map((key) => target.lake.urlOf(key)), rows: 5 });
    expect(await warehouse.query(`SELECT genre_id FROM ${table} ORDER BY genre_id`)).toEqual([16, 18, 27, 35, 99].map((genre_id) => ({ genre_id })));

    // A part that vanishes between the adapter's header checks and the COPY (held at STARTED).
    const release = target.server.hold();
    const held = target.server.nextHeld();
    const failing = warehouse.loadFromLake(load).catch((error: unknown) => error);
    try {
      expect(await held).toMatch(/MANIFEST/);
      await target.lake.delete(keys[1] as string);
    } finally {
      release();
    }
    expect(await failing).toMatchObject({
      exitCode: ExitCode.badData,
      message: expect.stringMatching(/NoSuchKey: mandatory manifest entry .*part-00001\.csv\.gz not found/),
      context: { statementId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
    });
    expect(await warehouse.query(`SELECT COUNT(*) AS n FROM ${table}`)).toEqual([{ n: 5 }]);
    // Missing before the COPY: the adapter's own header check finds it first, with the same code.
    await expect(warehouse.loadFromLake(load)).rejects.toMatchObject({ exitCode: ExitCode.badData, message: expect.stringMatching(/lake object not found/) });
  });
});
