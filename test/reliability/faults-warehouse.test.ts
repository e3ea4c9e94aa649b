/**
 * DESIGN.md §8 under fire, on the warehouse and source side, with the task bundle as the container
 * runs it:
 * - Redshift Data API statements that end FAILED (the rest of their transaction ABORTED), a Data
 *   API that throttles, a load killed between its COPY and its commit: success after retries, or
 *   exit 75 or 1 naming the statement with the model untouched, and a rerun that leaves the
 *   tables equal to a clean load (`throttling that never ends` is classified by warehouse-units);
 * - the Kaggle API answering 429 with Retry-After: waited for, then success; or exit 75;
 * - a lake folder the task may not write: exit 2 naming it, nothing written;
 * - the embedded warehouse (PGlite) held by another process: the task waits its turn, or gives up
 *   with exit 75 after --warehouse-lock-timeout-ms.
 */
import { DescribeStatementCommand, RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { FileLake } from '../../tasks/core/lake/file-lake';
import { lockDirectory } from '../../tasks/core/warehouse/directory-lock';
import { WarehouseNames } from '../../tasks/core/warehouse/identifiers';
import { createTables } from '../../tasks/create-tables/index';
import { load } from '../../tasks/load/index';
import { REAL_SAMPLE_DIR } from '../support/real-sample';
import { buildZip, folderEntries, startKaggleServer, type KaggleServer } from '../support/servers/kaggle-server';
import { warehouseArgs } from '../support/warehouse-cli';
import { writeFixtureRun } from '../support/warehouse-fixture';
import { redshiftDataTarget, type RedshiftDataTestTarget } from '../support/warehouse-targets';
import { buildBundle, lakeSnapshot, outcome, runBundle, tableChecksums, type Bundle } from './support';
import { silentLogger } from '../support/silent-logger';

const RUN = 'fixture-1';
const silent = silentLogger();

let bundle: Bundle;
let work: string;
beforeAll(async () => {
  [bundle, work] = await Promise.all([buildBundle(), mkdtemp(path.join(tmpdir(), 'movalytics-faults-'))]);
  // Readable by any user: one test runs the bundle as an unprivileged user.
  await chmod(path.dirname(bundle.script), 0o755);
  await chmod(work, 0o755);
}, 120_000);
afterAll(async () => {
  await bundle?.remove();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('Redshift Data API: FAILED and ABORTED statements, throttling, a load killed before its commit', () => {
  let target: RedshiftDataTestTarget;
  let clean: Record<string, string>;
  const schemas: string[] = [];

  const freshSchema = async (): Promise<WarehouseNames> => {
    const names = new WarehouseNames(`r_${randomBytes(4).toString('hex')}`, '');
    schemas.push(names.schema);
    await createTables({ warehouse: await target.warehouse(), names, logger: silent });
    return names;
  };
  const loadCli = (names: WarehouseNames, datasets: string[]) =>
    runBundle(bundle, warehouseArgs(target, names.schema, RUN, ['load', ...datasets]), { env: target.cliEnv });
  const checksums = async (names: WarehouseNames) => tableChecksums(await target.warehouse(), names);
  const execute = async (sql: string) => (await target.warehouse()).execute(sql);

  beforeAll(async () => {
    target = await redshiftDataTarget();
    await writeFixtureRun(target.lake, RUN);
    const names = await freshSchema();
    const deps = { warehouse: await target.warehouse(), names, lake: target.lake, logger: silent, runId: RUN, now: () => new Date() };
    await load(deps, { datasets: ['genres', 'movies'], maxRejectRatio: 0.001 });
    clean = await checksums(names);
  }, 180_000);
  afterAll(async () => {
    for (const schema of schemas) await execute(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await target?.close();
  });

  it('a statement FAILED by a serialization conflict: exit 75 naming it, the rest of its transaction ABORTED, the model unchanged; then an unknown failure exits 1; the rerun equals a clean load', async () => {
    const names = await freshSchema();
    const empty = await checksums(names);
    const failing = (message: string) =>
      `CREATE OR REPLACE FUNCTION "${names.schema}".refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '${message}'; END $$`;
    await execute(failing('Serializable isolation violation on table - 104738, transactions forming the cycle are: 1, 2'));
    await execute(`CREATE TRIGGER refuse BEFORE INSERT ON ${names.table('movies')} FOR EACH STATEMENT EXECUTE FUNCTION "${names.schema}".refuse()`);

    const conflict = await loadCli(names, ['genres', 'movies']);
    expect(outcome(conflict)).toEqual({ code: 75, errors: [expect.stringMatching(/load failed: Redshift statement failed, may pass on retry: ERROR: Serializable isolation violation.*statementId=[0-9a-f-]+:\d/)] });
    const [, parent, failedIndex] = /statementId=([0-9a-f-]+):(\d+)/.exec(conflict.errors[0] as string) ?? [];
    const client = new RedshiftDataClient({ endpoint: target.server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    const described = await client.send(new DescribeStatementCommand({ Id: parent }));
    client.destroy();
    const statuses = (described.SubStatements ?? []).map((sub) => sub.Status);
    expect(described.Status).toBe('FAILED');
    expect(statuses[Number(failedIndex) - 1]).toBe('FAILED');
    expect(statuses.slice(Number(failedIndex))).toEqual(statuses.slice(Number(failedIndex)).map(() => 'ABORTED'));
    expect(statuses.slice(Number(failedIndex)).length).toBeGreaterThan(0);
    // genres and movies switch in ONE transaction: movies failed, so both are as they were (empty).
    expect(await checksums(names)).toEqual(empty);

    await execute(failing('division by zero'));
    const unknown = await loadCli(names, ['movies']);
    expect(outcome(unknown)).toEqual({ code: 1, errors: [expect.stringMatching(/load failed: SQL failed on Redshift: ERROR: division by zero.*statementId=/)] });
    expect((await checksums(names)).movies).toBe(empty.movies);

    await execute(`DROP TRIGGER refuse ON ${names.table('movies')}`);
    const rerun = await loadCli(names, ['genres', 'movies']);
    expect(outcome(rerun)).toEqual({ code: 0, errors: [] });
    expect(await checksums(names)).toEqual({ ...empty, genres: clean.genres, movies: clean.movies });
  }, 180_000);

  it('a Data API that throttles: the SDK retries and the load succeeds', async () => {
    const names = await freshSchema();
    target.server.throttle(3);
    const run = await loadCli(names, ['genres']);
    target.server.throttle(0);
    expect(outcome(run)).toEqual({ code: 0, errors: [] });
    expect((await checksums(names)).genres).toBe(clean.genres);
  }, 180_000);

  it('a load killed after its COPY, before its transaction: the model unchanged, the rerun drops the leftover staging and equals a clean load', async () => {
    const names = await freshSchema();
    const empty = await checksums(names);
    // The endpoint lets statements through one at a time (each release lets at most the one
    // waiting at its gate pass); once the COPY has run, the task is killed, several statements
    // before its transaction could start.
    let pid = 0;
    let exited = false;
    let checked = target.server.statements.length;
    let release = target.server.hold();
    const isCopy = (sql: string) => /\bCOPY\b[\s\S]*\bFROM\s+'s3:\/\//i.test(sql);
    const stepper = (async () => {
      while (!exited) {
        const open = release;
        open();
        release = target.server.hold();
        const seen = target.server.statements.length;
        for (let waited = 0; waited < 50 && target.server.statements.length === seen && !exited; waited += 5) await sleep(5);
        const ran = target.server.statements.slice(checked);
        checked += ran.length;
        if (ran.some(isCopy)) {
          process.kill(pid, 'SIGKILL');
          break;
        }
      }
      release();
    })();
    const killed = await runBundle(bundle, warehouseArgs(target, names.schema, RUN, ['load', 'movies']), { env: target.cliEnv, onSpawn: (child) => (pid = child) });
    exited = true;
    await stepper;
    expect(outcome(killed)).toEqual({ code: null, errors: [] });
    expect(killed.signal).toBe('SIGKILL');
    expect(await checksums(names)).toEqual(empty);
    const leftovers = async () =>
      (await (await target.warehouse()).query(`SELECT table_name FROM information_schema.tables WHERE table_schema = '${names.schema}' AND table_name LIKE 'stage_%'`)).length;
    expect(await leftovers()).toBe(1);
    expect(outcome(await loadCli(names, ['movies']))).toEqual({ code: 0, errors: [] });
    expect(await checksums(names)).toEqual({ ...empty, movies: clean.movies });
    expect(await leftovers()).toBe(0);
  }, 180_000);
});

describe('the Kaggle API throttles (429 with Retry-After)', () => {
  const DATASET = 'rounakbanik/the-movies-dataset';
  const kaggleEnv = { KAGGLE_USERNAME: 'movie-fan', KAGGLE_KEY: 'kaggle-key-for-tests' };
  let kaggle: KaggleServer;
  beforeAll(async () => {
    const zip = await buildZip(await folderEntries(REAL_SAMPLE_DIR, (name) => name.endsWith('.csv') && name !== 'CUSR0000SS62031.csv'));
    kaggle = await startKaggleServer({ username: kaggleEnv.KAGGLE_USERNAME, key: kaggleEnv.KAGGLE_KEY, datasets: { [DATASET]: zip } });
  });
  afterAll(() => kaggle?.close());

  const extract = (lake: FileLake, extra: string[] = []) =>
    runBundle(bundle, ['extract-movies', '--movies-source', DATASET, '--kaggle-api-url', kaggle.apiUrl, '--run-id', RUN, '--lake', lake.url, ...extra], {
      env: kaggleEnv,
    });
  const freshLake = async () => new FileLake(pathToFileURL(await mkdtemp(path.join(work, 'lake-'))).href);

  it('waits as told and succeeds; the raw objects are the source files byte for byte', async () => {
    const lake = await freshLake();
    kaggle.apiFaults.push({ status: 429, retryAfter: '1' }, { status: 429, retryAfter: '1' });
    const run = await extract(lake);
    expect(outcome(run)).toEqual({ code: 0, errors: [] });
    expect(run.stderr.match(/HTTP 429[^"]*; retrying in 1000 ms/g)).toHaveLength(2);
    const raw = await lakeSnapshot(lake, 'raw/');
    const direct = await freshLake();
    expect(outcome(await runBundle(bundle, ['extract-movies', '--movies-source', REAL_SAMPLE_DIR, '--run-id', RUN, '--lake', direct.url]))).toEqual({ code: 0, errors: [] });
    expect(raw).toEqual(await lakeSnapshot(direct, 'raw/'));
  }, 120_000);

  it('throttling that outlasts the attempts: exit 75, nothing in the lake', async () => {
    const lake = await freshLake();
    for (let i = 0; i < 3; i++) kaggle.apiFaults.push({ status: 429, retryAfter: '3600' });
    const run = await extract(lake, ['--http-attempts', '3', '--http-max-wait-ms', '50']);
    expect(outcome(run)).toEqual({ code: 75, errors: [expect.stringMatching(/extract-movies failed: gave up on Kaggle dataset rounakbanik\/the-movies-dataset after 3 attempts: HTTP 429/)] });
    expect(await lakeSnapshot(lake)).toEqual({});
  }, 120_000);
});

describe('a lake folder the task may not write', () => {
  it('exit 2 naming the folder, and nothing written', async () => {
    const root = path.join(work, 'read-only-lake');
    await mkdir(root);
    await chmod(root, 0o555);
    const lake = new FileLake(pathToFileURL(root).href);
    // root may write anywhere: meet the folder as the image's unprivileged user (uid 1000) would.
    const user = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const run = await runBundle(bundle, ['extract-cpi', '--cpi-source', path.join(REAL_SAMPLE_DIR, 'CUSR0000SS62031.csv'), '--run-id', RUN, '--lake', lake.url], {
      cwd: work,
      ...user,
    });
    expect(outcome(run)).toEqual({ code: 2, errors: [expect.stringMatching(/extract-cpi failed: the lake is not writable.*read-only-lake/)] });
    expect(await readdir(root)).toEqual([]);
  }, 60_000);
});

describe('a lake on a full disk', () => {
  it('exit 75 naming the disk full and the object, and no half object left', async () => {
    const root = path.join(work, 'full-lake');
    await mkdir(root);
    // A file system of 8 KiB of its own, mounted for the task alone (a mount namespace, as root);
    // the files left on it once the task has ended are listed on stderr.
    const listLeft = 'echo "listed:" >&2; find "$0" -type f | sed "s/^/left: /" >&2';
    const fullDisk = ['unshare', '--mount', 'sh', '-c', `mount -t tmpfs -o size=8k tmpfs "$0" || exit 9; "$@"; code=$?; ${listLeft}; exit $code`, root];
    const lake = pathToFileURL(root).href;
    const run = await runBundle(bundle, ['extract-movies', '--movies-source', REAL_SAMPLE_DIR, '--run-id', RUN, '--lake', lake], { wrapper: fullDisk });
    expect(outcome(run)).toEqual({
      code: 75,
      errors: [expect.stringMatching(/extract-movies failed: the lake's disk is full \(ENOSPC\): no room for the object \(object=file:.*full-lake\/raw\/movies\/.+\.csv\)/)],
    });
    expect(run.stderr).toMatch(/^listed:$/m);
    expect(run.stderr).not.toMatch(/^left: /m);
  }, 60_000);
});

describe('the embedded warehouse (PGlite) admits one process at a time', () => {
  it('a second process waits for the lock and then succeeds; with --warehouse-lock-timeout-ms it gives up with exit 75', async () => {
    const dataDir = path.join(work, 'pglite');
    const args = ['create-tables', '--warehouse', `pglite://${dataDir}`, '--run-id', RUN, '--lake', pathToFileURL(path.join(work, 'lake-pglite')).href];
    const lock = await lockDirectory(dataDir, { timeoutMs: 0 });
    const impatient = await runBundle(bundle, [...args, '--warehouse-lock-timeout-ms', '300']);
    expect(outcome(impatient)).toEqual({ code: 75, errors: [expect.stringMatching(/create-tables failed: embedded warehouse is busy: another process holds its lock.*holder=pid \d+ on /)] });

    let released = false;
    const patient = await runBundle(bundle, args, {
      onLine: (line) => {
        if (!released && /waiting for the embedded warehouse lock/.test(line)) {
          released = true;
          void lock.release();
        }
      },
    });
    expect(released).toBe(true);
    expect(outcome(patient)).toEqual({ code: 0, errors: [] });
    expect(patient.result).toMatchObject({ status: 'success', already_applied: 0 });
    // The task let go of the data directory when it ended.
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
  }, 120_000);
});
