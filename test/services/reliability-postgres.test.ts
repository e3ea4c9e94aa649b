/**
 * DESIGN.md §8 on a real PostgreSQL server (scripts/services/postgres.sh), with the task bundle as
 * the container runs it:
 * - the connection cut in the middle of a COPY (a TCP proxy that cuts it after some megabytes);
 * - the connection killed in the middle of a load's transaction (pg_terminate_backend while it
 *   has emptied the table it replaces and waits inside its INSERT);
 * - a corrupt gzip part in the lake;
 * each ending in exit 75 (or 65) with the model exactly as before, and a rerun equal to a clean load;
 * - create-tables started several times at once on a new schema: each migration applied once;
 * - two whole pipeline runs with different run ids at the same time on one warehouse: both
 *   succeed, with reports equal to a run alone, one set of model rows and each run's own counts;
 *   no secret in any step's command line (/proc/<pid>/cmdline, sampled while they run).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { FileLake } from '../../tasks/core/lake/file-lake';
import { layout } from '../../tasks/core/lake/layout';
import { WarehouseNames } from '../../tasks/core/warehouse/identifiers';
import { openWarehouse } from '../../tasks/core/warehouse/open-warehouse';
import type { Warehouse } from '../../tasks/core/warehouse/warehouse';
import { createTables } from '../../tasks/create-tables/index';
import { migrationsFor } from '../../tasks/create-tables/migrations';
import { buildBundle, childCommandLines, outcome, runBundle, tableChecksums, type Bundle } from '../reliability/support';
import { startTcpFaultProxy, type TcpFaultProxy } from '../support/fault-proxy';
import { silentLogger } from '../support/silent-logger';
import { writeFixtureRun, writeLargeLinks } from '../support/warehouse-fixture';
import { serviceEnv } from './support';

const RUN = 'fixture-1';
const PASSWORD = `pgpassword-${randomBytes(12).toString('hex')}`;

let bundle: Bundle;
let work: string;
let lake: FileLake;
let warehouse: Warehouse;
let admin: pg.Client;
let proxy: TcpFaultProxy;
const schemas: string[] = [];

const postgresUrl = () => serviceEnv('MOVALYTICS_TEST_POSTGRES_URL');
/** The same server, reached through the fault proxy. */
function proxiedUrl(): string {
  const url = new URL(postgresUrl());
  url.hostname = proxy.host;
  url.port = String(proxy.port);
  return url.href;
}

async function freshSchema(): Promise<WarehouseNames> {
  const names = new WarehouseNames(`rel_${randomBytes(4).toString('hex')}`, '');
  schemas.push(names.schema);
  const created = await cli(names, ['create-tables']);
  expect(outcome(created)).toEqual({ code: 0, errors: [] });
  return names;
}

function cli(names: WarehouseNames, command: string[], options: { url?: string; runId?: string } = {}) {
  return runBundle(bundle, [...command, '--warehouse', options.url ?? postgresUrl(), '--warehouse-schema', names.schema, '--run-id', options.runId ?? RUN, '--lake', lake.url], {
    env: { PGPASSWORD: PASSWORD },
  });
}

beforeAll(async () => {
  [bundle, work] = await Promise.all([buildBundle(), mkdtemp(path.join(tmpdir(), 'movalytics-rel-pg-'))]);
  lake = new FileLake(pathToFileURL(path.join(work, 'lake')).href);
  await writeFixtureRun(lake, RUN);
  const url = new URL(postgresUrl());
  proxy = await startTcpFaultProxy(url.hostname, Number(url.port));
  warehouse = await openWarehouse(postgresUrl(), undefined, {});
  admin = new pg.Client({ connectionString: postgresUrl() });
  await admin.connect();
}, 240_000);

afterAll(async () => {
  for (const schema of schemas) await admin?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
  await admin?.end();
  await warehouse?.close();
  await proxy?.close();
  await bundle?.remove();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the PostgreSQL connection fails mid-way', () => {
  it('cut in the middle of a COPY: exit 75, the model as it was; the rerun loads every row', async () => {
    const names = await freshSchema();
    const bigRun = 'big-links';
    const rows = 300_000;
    await writeLargeLinks(lake, bigRun, rows);
    expect(outcome(await cli(names, ['load', 'links']))).toEqual({ code: 0, errors: [] });
    const before = await tableChecksums(warehouse, names);

    proxy.cutAfterClientBytes(2 * 1024 * 1024);
    const cut = await cli(names, ['load', 'links'], { url: proxiedUrl(), runId: bigRun });
    proxy.cutAfterClientBytes(undefined);
    expect(outcome(cut)).toEqual({ code: 75, errors: [expect.stringMatching(/load failed: warehouse connection failed/)] });
    expect(proxy.cuts).toBeGreaterThanOrEqual(1);
    expect(await tableChecksums(warehouse, names)).toEqual(before);

    const rerun = await cli(names, ['load', 'links'], { url: proxiedUrl(), runId: bigRun });
    expect(outcome(rerun)).toEqual({ code: 0, errors: [] });
    const [counts] = await warehouse.query(`SELECT COUNT(*) AS row_count, MAX(tmdb_id) AS max_tmdb FROM ${names.table('links')}`);
    // The fixture's links (ids 1-9) are replaced by the big run's rows with the same ids.
    expect(counts).toEqual({ row_count: rows, max_tmdb: rows + 1_000_000 });
    const leftovers = await warehouse.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = '${names.schema}' AND table_name LIKE 'stage_%'`);
    expect(leftovers).toEqual([]);
  }, 300_000);

  it('killed in the middle of an upsert (rows deleted, insert under way): exit 75, every replaced row back; the rerun equals the clean load', async () => {
    const names = await freshSchema();
    expect(outcome(await cli(names, ['load', 'movies', 'genres']))).toEqual({ code: 0, errors: [] });
    const clean = await tableChecksums(warehouse, names);
    // The test holds an advisory lock; the load's INSERT into movies waits for it inside a
    // trigger, after its TRUNCATE of the table it replaces: the transaction is caught half-way.
    await admin.query(`CREATE FUNCTION "${names.schema}".wait_for_test() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_advisory_lock(7331); PERFORM pg_advisory_unlock(7331); RETURN NULL; END $$`);
    await admin.query(`CREATE TRIGGER wait_for_test AFTER INSERT ON ${names.table('movies')} FOR EACH STATEMENT EXECUTE FUNCTION "${names.schema}".wait_for_test()`);
    await admin.query('SELECT pg_advisory_lock(7331)');
    const load = cli(names, ['load', 'movies']);
    let killed = false;
    while (!killed) {
      const { rows } = await admin.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE application_name = 'movalytics' AND wait_event_type = 'Lock' AND wait_event = 'advisory' AND query LIKE 'INSERT INTO "${names.schema}"."movies"%'`,
      );
      if (rows[0]) {
        await admin.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
        killed = true;
      } else await sleep(50);
    }
    const terminated = await load;
    await admin.query('SELECT pg_advisory_unlock(7331)');
    expect(outcome(terminated)).toEqual({ code: 75, errors: [expect.stringMatching(/load failed: (warehouse connection failed|warehouse busy or unavailable): terminating connection due to administrator command/)] });
    expect(await tableChecksums(warehouse, names)).toEqual(clean);

    await admin.query(`DROP TRIGGER wait_for_test ON ${names.table('movies')}`);
    expect(outcome(await cli(names, ['load', 'movies']))).toEqual({ code: 0, errors: [] });
    expect(await tableChecksums(warehouse, names)).toEqual(clean);
  }, 300_000);

  it('a corrupt gzip part in the lake: exit 65 naming the object, the model as it was', async () => {
    const names = await freshSchema();
    const runId = 'corrupt-part';
    await writeFixtureRun(lake, runId);
    const part = layout.staged('genres', runId, 1);
    const chunks: Buffer[] = [];
    for await (const chunk of await lake.get(part)) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    await lake.put(part, Buffer.concat([bytes.subarray(0, 20), Buffer.from('not gzip at all'), bytes.subarray(35)]));
    const before = await tableChecksums(warehouse, names);
    const run = await cli(names, ['load', 'genres'], { runId });
    expect(outcome(run)).toEqual({ code: 65, errors: [expect.stringMatching(/load failed: not a valid gzip object.*part-00001\.csv\.gz/)] });
    expect(await tableChecksums(warehouse, names)).toEqual(before);
  }, 120_000);
});

describe('create-tables started several times at once on a new schema', () => {
  // The list itself is pinned by warehouse-units.test.ts; here each must be applied exactly once.
  const MIGRATIONS = migrationsFor('postgres');
  it('every run succeeds, each migration is applied by exactly one of them and recorded once', async () => {
    const names = new WarehouseNames(`rel_${randomBytes(4).toString('hex')}`, '');
    schemas.push(names.schema);
    // In-process, each on a connection of its own: they start within a millisecond of each other,
    // so all of them find the schema missing and every migration unapplied.
    const connections = await Promise.all(Array.from({ length: 4 }, () => openWarehouse(postgresUrl(), undefined, {})));
    try {
      const outputs = await Promise.all(connections.map((connection) => createTables({ warehouse: connection, names, logger: silentLogger() })));
      const applied = outputs.flatMap((output) => output.applied as string[]).sort();
      expect(applied).toEqual(MIGRATIONS.map((migration) => `${migration.version}_${migration.name}`));
      const alreadyApplied = outputs.map((output) => Number(output.already_applied));
      expect(alreadyApplied.reduce((sum, count) => sum + count, 0)).toBe(MIGRATIONS.length * (connections.length - 1));
    } finally {
      await Promise.all(connections.map((connection) => connection.close()));
    }
    expect(await warehouse.query(`SELECT version, COUNT(*) AS times FROM ${names.table('schema_migrations')} GROUP BY version ORDER BY version`)).toEqual(
      MIGRATIONS.map((migration) => ({ version: migration.version, times: 1 })),
    );
    const ratingType = await warehouse.query(
      `SELECT data_type FROM information_schema.columns WHERE table_schema = '${names.schema}' AND table_name = 'ratings' AND column_name = 'rating'`,
    );
    expect(ratingType).toEqual([{ data_type: 'double precision' }]);
  });
});

describe('two pipeline runs with different run ids at the same time on one warehouse', () => {
  const ALONE = 'alone';
  const RUN_IDS = ['concurrent-a', 'concurrent-b'];
  let sample: string;

  const pipeline = (names: WarehouseNames, runId: string, onSpawn?: (pid: number) => void) =>
    runBundle(
      bundle,
      ['run', '--movies-source', sample, '--run-id', runId, '--lake', lake.url, '--warehouse', postgresUrl(), '--warehouse-schema', names.schema, '--min-ratings', '2'],
      { env: { PGPASSWORD: PASSWORD }, cwd: work, ...(onSpawn ? { onSpawn } : {}) },
    );
  const report = async (runId: string) => {
    const text = await readFile(path.join(work, 'lake', 'reports', runId, 'report.json'), 'utf8');
    // Everything but the run's own id and time; the source ledgers name the run's own objects
    // (raw/movies/<run_id>/…, rejects/<source>/<run_id>/…) and its id.
    const answers = JSON.parse(text.replaceAll(`/${runId}/`, '/<run>/')) as Record<string, unknown>;
    const ledgers = (answers.source_ledgers as Array<Record<string, unknown>>).map((ledger) => ({ ...ledger, run_id: ledger.run_id === runId ? '<run>' : ledger.run_id }));
    const normalized: Record<string, unknown> = { ...answers, source_ledgers: ledgers };
    return Object.fromEntries(Object.entries(normalized).filter(([key]) => key !== 'run_id' && key !== 'generated_at'));
  };

  beforeAll(async () => {
    sample = path.join(work, 'sample');
    const generated = await runBundle(bundle, ['generate-sample', '--scale', 'tiny', '--seed', '7', '--out', sample]);
    expect(outcome(generated)).toEqual({ code: 0, errors: [] });
  }, 120_000);

  it('both succeed; the model equals one run alone, each report equals the lone run, load_stats keeps both runs; no secret on any command line', async () => {
    const alone = new WarehouseNames(`rel_${randomBytes(4).toString('hex')}`, '');
    const shared = new WarehouseNames(`rel_${randomBytes(4).toString('hex')}`, '');
    schemas.push(alone.schema, shared.schema);
    expect(outcome(await pipeline(alone, ALONE))).toEqual({ code: 0, errors: [] });

    const cmdlines = new Set<string>();
    const parents: number[] = [];
    let running = true;
    const sampler = (async () => {
      while (running) {
        for (const line of await childCommandLines(parents)) cmdlines.add(line);
        await sleep(50);
      }
    })();
    const runs = await Promise.all(RUN_IDS.map((runId) => pipeline(shared, runId, (pid) => parents.push(pid))));
    running = false;
    await sampler;
    expect(runs.map(outcome)).toEqual(RUN_IDS.map(() => ({ code: 0, errors: [] })));

    expect(await tableChecksums(warehouse, shared)).toEqual(await tableChecksums(warehouse, alone));
    // The model is one: its ratings are those of whichever run loaded them last, and every
    // report says which run that was; apart from that, each run's report is the lone run's.
    const withoutRatingsRun = (report: Record<string, unknown>) => ({
      ...report,
      coverage: { ...(report.coverage as Record<string, unknown>), ratings_run_id: undefined },
    });
    const lone = withoutRatingsRun(await report(ALONE));
    for (const runId of RUN_IDS) {
      const concurrent = await report(runId);
      expect(withoutRatingsRun(concurrent)).toEqual(lone);
      expect(RUN_IDS).toContain((concurrent.coverage as Record<string, unknown>).ratings_run_id);
    }
    const stats = await warehouse.query(`SELECT run_id, COUNT(DISTINCT dataset) AS datasets FROM ${shared.table('load_stats')} GROUP BY run_id ORDER BY run_id`);
    expect(stats).toEqual(RUN_IDS.map((runId) => ({ run_id: runId, datasets: 19 })));

    // The steps of both runs were seen as they ran, and none had a secret among its arguments.
    expect(cmdlines.size).toBeGreaterThanOrEqual(5);
    expect([...cmdlines].filter((line) => line.includes(PASSWORD))).toEqual([]);
    expect([...cmdlines].every((line) => line.includes('movalytics.js'))).toBe(true);
  }, 600_000);
});
