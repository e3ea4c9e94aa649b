/**
 * The warehouse integration suite through the Redshift Data API (the real SDK client against the
 * local endpoint, which executes on PGlite and COPYs from the S3 test server), then what is
 * particular to Redshift: statement states, errors, paging, throttling, physical design, COPY.
 */
import { BatchExecuteStatementCommand, CancelStatementCommand, DescribeStatementCommand, ExecuteStatementCommand, RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { setTimeout as sleep } from 'node:timers/promises';
import { ExitCode } from '../tasks/core/errors';
import { FileLake } from '../tasks/core/lake/file-lake';
import { getJson } from '../tasks/core/lake/lake';
import { layout } from '../tasks/core/lake/layout';
import { stagedDataset } from '../tasks/core/staged';
import { createTables } from '../tasks/create-tables/index';
import { migrationsFor } from '../tasks/create-tables/migrations';
import { readWarehouseConfig, type WarehouseArgs } from '../tasks/core/warehouse/config';
import { WarehouseNames, quoteIdentifier } from '../tasks/core/warehouse/identifiers';
import { RedshiftDataWarehouse, type RedshiftDataTarget } from '../tasks/core/warehouse/redshift-data-warehouse';
import type { Warehouse } from '../tasks/core/warehouse/warehouse';
import { STAGED_DATASETS } from '../tasks/core/staged';
import { load } from '../tasks/load/index';
import { sqlScript } from '../tasks/core/warehouse/sql-files';
import { EXPECTED_RATINGS, putGzip, writeFixtureRun } from './support/warehouse-fixture';
import { PIPELINE_STEPS } from '../tasks/pipeline/steps';
import { describeWarehouseSuite } from './support/warehouse-suite';
import { redshiftDataTarget, TEST_COPY_ROLE, TEST_WORKGROUP_URL, type RedshiftDataTestTarget } from './support/warehouse-targets';
import { silentLogger } from './support/silent-logger';

describeWarehouseSuite('the Redshift Data API', () => redshiftDataTarget(), { interruptible: false });

const silent = silentLogger();
/** A load records rows_staged and rows_loaded, and the source's ledger (3 more) for a table holding its source's records. */
const metricsOf = (dataset: string): number => (stagedDataset(dataset).holdsSourceRecords ? 5 : 2);

describe('Redshift Data API adapter against the local endpoint', () => {
  let target: RedshiftDataTestTarget;
  let warehouse: Warehouse;
  let client: RedshiftDataClient;
  const connection = { WorkgroupName: 'movalytics-test', Database: 'dev' };

  beforeAll(async () => {
    target = await redshiftDataTarget({ pageBytes: 4096 });
    warehouse = await target.warehouse();
    client = new RedshiftDataClient({ endpoint: target.server.endpoint, region: 'us-east-1', maxAttempts: 1 });
  }, 60_000);
  afterAll(async () => {
    client?.destroy();
    await target?.close();
  });

  /** A fresh schema holding one table shaped like the staged genres, and the staged columns. */
  async function genresTable(schema: string, name: string, nameType: string): Promise<{ table: string; columns: string[] }> {
    const names = new WarehouseNames(schema, '');
    await warehouse.execute(`CREATE SCHEMA ${quoteIdentifier(names.schema)}`);
    const table = names.table(name);
    await warehouse.execute(`CREATE TABLE ${table} (genre_id INTEGER, name ${nameType})`);
    return { table, columns: stagedDataset('genres').columns.map((column) => column.name) };
  }

  /** An adapter of its own on the local endpoint, configured as the CLI would be. */
  function configuredWarehouse(extraArgs: Partial<WarehouseArgs>, overrides: Partial<RedshiftDataTarget> = {}): RedshiftDataWarehouse {
    const { target: config } = readWarehouseConfig(
      { warehouse: TEST_WORKGROUP_URL, 'warehouse-schema': 'x', 'warehouse-table-prefix': '', ...extraArgs },
      { AWS_ENDPOINT_URL_REDSHIFT_DATA: target.server.endpoint, AWS_REGION: 'us-east-1' },
    );
    if (config.kind !== 'redshift') throw new Error('expected Redshift');
    return new RedshiftDataWarehouse({ ...config, poll: { initialMs: 5, maxMs: 20 }, ...overrides });
  }

  async function finalStatus(id: string): Promise<string | undefined> {
    for (;;) {
      const described = await client.send(new DescribeStatementCommand({ Id: id }));
      if (['FINISHED', 'FAILED', 'ABORTED'].includes(described.Status ?? '')) return described.Status;
      await sleep(5);
    }
  }

  it('statements go SUBMITTED -> PICKED -> STARTED -> FINISHED, one at a time', async () => {
    const release = target.server.hold();
    const first = await client.send(new ExecuteStatementCommand({ ...connection, Sql: 'SELECT 1 AS one' }));
    const second = await client.send(new ExecuteStatementCommand({ ...connection, Sql: 'SELECT 2 AS two' }));
    let firstStatus: string | undefined;
    while (['SUBMITTED', 'PICKED'].includes((firstStatus = (await client.send(new DescribeStatementCommand({ Id: first.Id }))).Status) ?? '')) await sleep(1);
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
    // As Redshift types its aggregates: SUM of BIGINT is NUMERIC (a decimal string), of INTEGER BIGINT, COUNT BIGINT.
    expect(await warehouse.query('SELECT SUM(CAST(g AS BIGINT)) AS big_sum, SUM(g) AS int_sum, COUNT(*) AS n FROM generate_series(1, 4) AS g')).toEqual([
      { big_sum: '10', int_sum: 10, n: 4 },
    ]);
  });

  it('refuses what the Data API refuses: over 40 statements in a batch, a statement over 100 KB, an empty parameter value', async () => {
    const refusal = (request: Promise<unknown>) => request.then(() => 'accepted', (error: { name?: string; message?: string }) => `${error.name}: ${error.message}`);
    const sqls = (count: number) => Array.from({ length: count }, (_, index) => `SELECT ${index}`);
    expect(await refusal(client.send(new BatchExecuteStatementCommand({ ...connection, Sqls: sqls(41) })))).toMatch(/^ValidationException: .*less than or equal to 40/);
    const forty = await client.send(new BatchExecuteStatementCommand({ ...connection, Sqls: sqls(40) }));
    expect(await finalStatus(forty.Id as string)).toBe('FINISHED');
    const long = `SELECT '${'x'.repeat(100 * 1024)}' AS x`;
    expect(await refusal(client.send(new ExecuteStatementCommand({ ...connection, Sql: long })))).toBe('ValidationException: Cannot process query string larger than 100kB');
    expect(await refusal(client.send(new ExecuteStatementCommand({ ...connection, Sql: 'SELECT :a AS a', Parameters: [{ name: 'a', value: '' }] })))).toMatch(
      /^ValidationException: .*'parameters.1.member.value' failed to satisfy constraint: Member must have length greater than or equal to 1/,
    );
    expect(await refusal(client.send(new ExecuteStatementCommand({ ...connection, Sql: "SELECT CAST(:a AS INTEGER), 'x'::text", Parameters: [{ name: 'a', value: '1' }] })))).toMatch(/:: cast/);
    // The adapter says so before sending: a batch over the limit, an empty parameter.
    await expect(warehouse.transaction(sqls(41))).rejects.toThrow(/at most 40 statements, got 41/);
    await expect(warehouse.query('SELECT :a AS a', { a: '' })).rejects.toThrow(/:a is empty/);
  });

  it('a Serverless workgroup takes no DbUser; a cluster takes DbUser, SecretArn or neither (IAM identity)', async () => {
    const refusal = (request: Promise<unknown>) => request.then(() => 'accepted', (error: { name?: string }) => error.name);
    expect(await refusal(client.send(new ExecuteStatementCommand({ ...connection, DbUser: 'loader', Sql: 'SELECT 1' })))).toBe('ValidationException');
    for (const auth of [{ DbUser: 'loader' }, { SecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:dw-AbCdEf' }, {}]) {
      expect(await refusal(client.send(new ExecuteStatementCommand({ ClusterIdentifier: 'dw-1', Database: 'dev', ...auth, Sql: 'SELECT 1' })))).toBe('accepted');
    }
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
    const withoutRole = configuredWarehouse({});
    await expect(withoutRole.loadFromLake(load)).rejects.toMatchObject({ exitCode: ExitCode.usage, message: expect.stringMatching(/--copy-iam-role/) });
    await withoutRole.close();
  });

  it('a staged dataset of several parts loads in ONE COPY through a manifest; a mandatory part missing at COPY time fails it with exit 65', async () => {
    const { table, columns } = await genresTable('manifested', 'genres_parts', 'VARCHAR(100)');
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
  it('a COPY region is stated in the statement sent, and nothing of the SQL file comments is', async () => {
    const { table, columns } = await genresTable('regional', 'genres_region', 'VARCHAR(100)');
    const key = layout.staged('genres', 'region-run', 0);
    // A name written \N is a name: Redshift's default null string is \N, the staged convention is an empty field.
    await putGzip(target.lake, key, ['genre_id,name', '16,Animation', '35,\\N', '99,']);
    const regional = configuredWarehouse({ 'copy-iam-role': TEST_COPY_ROLE, 'copy-region': 'eu-west-1' });
    try {
      const load = { lake: target.lake, keys: [key], table, columns: columns.map(quoteIdentifier), header: columns, gzip: true };
      expect(await regional.loadFromLake(load)).toBe(3);
    } finally {
      await regional.close();
    }
    const sent = target.server.statements.find((sql) => sql.includes(target.lake.urlOf(key))) ?? '';
    expect(sent).toMatch(/^COPY /);
    expect(sent).toMatch(/\nNULL AS ''\n[\s\S]*GZIP\nREGION 'eu-west-1'$/);
    expect(sent).not.toMatch(/--|and\/or/);
    expect(await warehouse.query(`SELECT genre_id, name FROM ${table} ORDER BY genre_id`)).toEqual([
      { genre_id: 16, name: 'Animation' },
      { genre_id: 35, name: '\\N' },
      { genre_id: 99, name: null },
    ]);
  });

  /** The fixture run written under `run`, a schema of its own created, and the loads' dependencies. */
  async function fixtureSchema(run: string, schema: string) {
    await writeFixtureRun(target.lake, run);
    const names = new WarehouseNames(schema, '');
    await createTables({ warehouse, names, logger: silent });
    return { run, names, deps: { warehouse, names, lake: target.lake, logger: silent, runId: run, now: () => new Date('2026-01-02T03:04:05Z') } };
  }

  it('the loads of every dataset at once all commit: each replace locks load_stats and its model table first', async () => {
    const { run, names, deps } = await fixtureSchema('parallel-1', 'parallel');
    const datasets = STAGED_DATASETS.map((dataset) => dataset.name);
    const outcomes = await Promise.allSettled(datasets.map((dataset) => load(deps, { datasets: [dataset], maxRejectRatio: 0.001 })));
    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([]);
    const stats = await warehouse.query(`SELECT dataset, COUNT(*) AS metrics FROM ${names.table('load_stats')} WHERE run_id = '${run}' GROUP BY dataset ORDER BY dataset`);
    expect(stats).toEqual([...datasets].sort().map((dataset) => ({ dataset, metrics: metricsOf(dataset) })));
  });

  it("the DAG's loads at once (load_movies: 11 datasets in ONE batch, within the Data API's 40 statements) all commit, in one global lock order", async () => {
    const { run, names, deps } = await fixtureSchema('dag-groups-1', 'dag_groups');
    const groups = PIPELINE_STEPS.filter((step) => step.argv[0] === 'load' && !step.argv.includes('ratings')).map((step) => step.argv.slice(1));
    expect(Math.max(...groups.map((group) => group.length))).toBe(11);
    // Twice: the second replaces every table whole, as concurrently.
    for (let round = 0; round < 2; round++) {
      const outcomes = await Promise.allSettled(groups.map((datasets) => load(deps, { datasets, maxRejectRatio: 0.001 })));
      expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([]);
    }
    await load(deps, { datasets: ['ratings'], maxRejectRatio: 0.5 });
    const stats = await warehouse.query(`SELECT dataset, COUNT(*) AS metrics FROM ${names.table('load_stats')} WHERE run_id = '${run}' AND dataset <> 'ratings' GROUP BY dataset ORDER BY dataset`);
    expect(stats).toEqual(STAGED_DATASETS.map((dataset) => dataset.name).sort().map((dataset) => ({ dataset, metrics: metricsOf(dataset) })));
    expect(await warehouse.query(`SELECT COUNT(*) AS n FROM ${names.table('movies')}`)).toEqual([{ n: 4 }]);
    expect(await warehouse.query(`SELECT COUNT(*) AS n FROM ${names.table('ratings')}`)).toEqual([{ n: EXPECTED_RATINGS.length }]);
  });

  it('the stand-in surfaces what Redshift would: two transactions writing one table at once without LOCK fail with error 1023 (75)', async () => {
    await warehouse.execute('CREATE TABLE conflict_probe (a INTEGER)');
    const release = target.server.hold();
    const held = target.server.nextHeld();
    const first = warehouse.transaction(['DELETE FROM conflict_probe WHERE a = 1', 'INSERT INTO conflict_probe VALUES (1)']);
    await held;
    const second = warehouse.transaction(['DELETE FROM conflict_probe WHERE a = 2', 'INSERT INTO conflict_probe VALUES (2)']).catch((error: unknown) => error);
    await sleep(50);
    release();
    await first;
    expect(await second).toMatchObject({ exitCode: ExitCode.transient, message: expect.stringMatching(/1023 DETAIL: Serializable isolation violation on table/) });
    // Locked first, the second waits for the first and sees its commit: no conflict.
    const releaseLocked = target.server.hold();
    const heldLocked = target.server.nextHeld();
    const third = warehouse.transaction(['LOCK TABLE conflict_probe', 'DELETE FROM conflict_probe WHERE a = 3', 'INSERT INTO conflict_probe VALUES (3)']);
    await heldLocked;
    const fourth = warehouse.transaction(['LOCK TABLE conflict_probe', 'DELETE FROM conflict_probe WHERE a = 4', 'INSERT INTO conflict_probe VALUES (4)']);
    await sleep(50);
    releaseLocked();
    await Promise.all([third, fourth]);
    expect(await warehouse.query('SELECT a FROM conflict_probe ORDER BY a')).toEqual([{ a: 1 }, { a: 3 }, { a: 4 }]);
  });

  it('a migration cut into batches and stopped between two is completed by the next run, recorded once', async () => {
    const names = new WarehouseNames('interrupted', '');
    let transactions = 0;
    const failing: Warehouse = {
      kind: warehouse.kind,
      description: warehouse.description,
      maxBatchStatements: 40,
      query: (sql, params) => warehouse.query(sql, params),
      execute: (sql, params) => warehouse.execute(sql, params),
      transaction: async (statements, params) => {
        // The task dies after 0001's first batch committed.
        if (++transactions === 2) throw new Error('killed');
        return warehouse.transaction(statements, params);
      },
      loadFromLake: (lakeLoad) => warehouse.loadFromLake(lakeLoad),
      close: async () => undefined,
    };
    await expect(createTables({ warehouse: failing, names, logger: silent })).rejects.toThrow('killed');
    expect(await warehouse.query(`SELECT COUNT(*) AS n FROM ${names.table('schema_migrations')}`)).toEqual([{ n: 0 }]);
    const output = await createTables({ warehouse, names, logger: silent });
    const every = migrationsFor('redshift');
    expect(output.applied).toEqual(every.map((migration) => `${migration.version}_${migration.name}`));
    expect(await warehouse.query(`SELECT version FROM ${names.table('schema_migrations')} ORDER BY version`)).toEqual(
      every.map(({ version }) => ({ version })),
    );
    const statements = sqlScript('migrations/0001_create_model', names).length;
    expect(statements).toBeGreaterThan(40);
  });
  it('a statement past its deadline is cancelled (CancelStatement) and the task exits 75; its transaction never commits', async () => {
    await warehouse.execute('CREATE TABLE deadline_probe (a INTEGER)');
    const impatient = configuredWarehouse({}, { statementTimeoutMs: 200 });
    const release = target.server.hold();
    try {
      await expect(impatient.transaction(['INSERT INTO deadline_probe VALUES (1)', 'INSERT INTO deadline_probe VALUES (2)'])).rejects.toMatchObject({
        exitCode: ExitCode.transient,
        message: expect.stringMatching(/still running after 0 s: cancelled/),
      });
    } finally {
      release();
      await impatient.close();
    }
    const [cancelled] = target.server.cancelled.slice(-1);
    expect(await finalStatus(cancelled as string)).toBe('ABORTED');
    expect(await warehouse.query('SELECT COUNT(*) AS n FROM deadline_probe')).toEqual([{ n: 0 }]);
  });

  it('a statement aborted by someone else (an operator, workload management) is transient (75)', async () => {
    const release = target.server.hold();
    const held = target.server.nextHeld();
    const running = warehouse.query('SELECT 1 AS one').catch((error: unknown) => error);
    try {
      await held;
      expect(await client.send(new CancelStatementCommand({ Id: target.server.lastSubmittedId() }))).toMatchObject({ Status: true });
    } finally {
      release();
    }
    expect(await running).toMatchObject({ exitCode: ExitCode.transient, message: expect.stringMatching(/Redshift aborted the statement/) });
  });

  it('a COPY Redshift refuses for its data shows the load errors: object, line, column, reason (65)', async () => {
    const { table, columns } = await genresTable('load_errors', 'genres_bad', 'VARCHAR(10)');
    const load = (key: string) => ({ lake: target.lake, keys: [key], table, columns: columns.map(quoteIdentifier), header: columns, gzip: true });
    const notANumber = layout.staged('genres', 'bad-run', 0);
    await putGzip(target.lake, notANumber, ['genre_id,name', '16,Animation', 'x35,Comedy']);
    await expect(warehouse.loadFromLake(load(notANumber))).rejects.toMatchObject({
      exitCode: ExitCode.badData,
      message: expect.stringMatching(/Load into table .* failed.*Load errors: .*part-00000\.csv\.gz line 3, column genre_id: invalid input syntax for type integer/),
      context: { object: target.lake.urlOf(notANumber), line: 3, column: 'genre_id' },
    });
    // VARCHAR(10) holds 10 bytes on Redshift: five two-byte letters fit, six do not.
    const tooLong = layout.staged('genres', 'long-run', 0);
    await putGzip(target.lake, tooLong, ['genre_id,name', '1,ééééé', '2,éééééé']);
    await expect(warehouse.loadFromLake(load(tooLong))).rejects.toMatchObject({
      exitCode: ExitCode.badData,
      context: { object: target.lake.urlOf(tooLong), line: 3, column: 'name' },
      message: expect.stringMatching(/String length exceeds DDL length/),
    });
    expect(await warehouse.query(`SELECT COUNT(*) AS n FROM ${table}`)).toEqual([{ n: 0 }]);
  });
});
