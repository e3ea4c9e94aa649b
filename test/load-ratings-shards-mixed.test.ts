/**
 * One run's ratings shards loaded into two kinds of warehouse over one lake (a shard rerun with the
 * wrong `--warehouse`): PGlite fills a next table, Redshift stages parts in the lake. Neither commit
 * may put the other's shard together with its own; each names the shard to rerun, and once it is
 * rerun on the commit's own kind the commit leaves what the unsharded load leaves.
 */
import { randomBytes } from 'node:crypto';
import { ExitCode } from '../tasks/core/errors';
import type { TaskOutput } from '../tasks/core/result';
import type { WarehouseNames } from '../tasks/core/warehouse/identifiers';
import type { LoadDeps } from '../tasks/load/deps';
import { load } from '../tasks/load/index';
import { schemaWithStagedRun, shardedRatingsLines, shardLoadDeps } from './support/ratings-shard-suite';
import { writeFixtureRun } from './support/warehouse-fixture';
import { pgliteTarget, redshiftDataTarget, type WarehouseTestTarget } from './support/warehouse-targets';

const RATIO = 0.5;
/** What differs between two loads of the same rows: when, how long, and what was there before. */
const PER_LOAD = new Set(['rows_replaced', 'seconds', 'first_load']);
const coverage = (output: TaskOutput): Record<string, unknown> => {
  const { ratings } = output.datasets as Record<string, Record<string, unknown>>;
  return Object.fromEntries(Object.entries(ratings ?? {}).filter(([key]) => !PER_LOAD.has(key)));
};

describe('ratings shards of one run loaded into two kinds of warehouse', () => {
  let redshift: WarehouseTestTarget;
  let pglite: WarehouseTestTarget;

  beforeAll(async () => {
    [redshift, pglite] = await Promise.all([redshiftDataTarget(), pgliteTarget()]);
  }, 240_000);
  afterAll(async () => {
    await redshift?.close();
    await pglite?.close();
  });

  /** Both warehouses read the Redshift target's S3 lake: the run's files are one set. */
  const deps = (target: WarehouseTestTarget, names: WarehouseNames, runId: string): Promise<LoadDeps> => shardLoadDeps(target, names, runId, redshift.lake);
  const preparedSchema = (target: WarehouseTestTarget, runId: string): Promise<WarehouseNames> => schemaWithStagedRun(target, runId, redshift.lake);

  const loadShard = async (target: WarehouseTestTarget, names: WarehouseNames, runId: string, index: number) =>
    load(await deps(target, names, runId), { datasets: ['ratings'], maxRejectRatio: RATIO, shard: { index, count: 2 } });
  const commit = async (target: WarehouseTestTarget, names: WarehouseNames, runId: string) =>
    load(await deps(target, names, runId), { datasets: ['ratings'], maxRejectRatio: RATIO, shards: 2 });

  it('each commit refuses the shard the other kind loaded, by name; rerun on its own kind, it commits', async () => {
    const runId = `mixed-${randomBytes(3).toString('hex')}`;
    await writeFixtureRun(redshift.lake, runId, { ratingsLines: shardedRatingsLines() });
    const onRedshift = await preparedSchema(redshift, runId);
    const onPglite = await preparedSchema(pglite, runId);

    await loadShard(pglite, onPglite, runId, 1);
    await loadShard(redshift, onRedshift, runId, 2);
    await expect(commit(redshift, onRedshift, runId)).rejects.toMatchObject({
      exitCode: ExitCode.badData,
      message: expect.stringMatching(/^ratings shard 1\/2 was loaded into a next table, not staged in the lake for redshift-data:\/\/.*: run "movalytics load ratings --shard 1\/2", then commit again$/),
    });
    await expect(commit(pglite, onPglite, runId)).rejects.toMatchObject({
      exitCode: ExitCode.badData,
      message: expect.stringMatching(/^ratings shard 2\/2 was staged in the lake for Redshift, not loaded into pglite:\/\/.*: run "movalytics load ratings --shard 2\/2", then commit again$/),
    });
    // Refused before anything was written: the Redshift model is still empty.
    const rows = async (names: WarehouseNames) => Number((await (await redshift.warehouse()).query(`SELECT COUNT(*) AS n FROM ${names.table('ratings')}`))[0]?.n);
    expect(await rows(onRedshift)).toBe(0);

    await loadShard(redshift, onRedshift, runId, 1);
    const committed = await commit(redshift, onRedshift, runId);
    const whole = await preparedSchema(redshift, runId);
    const unsharded = await load(await deps(redshift, whole, runId), { datasets: ['ratings'], maxRejectRatio: RATIO });
    expect(coverage(committed)).toEqual(coverage(unsharded));
    expect(coverage(committed)).toHaveProperty('ratings_total', 16 + 60 * 9);
    expect(await rows(onRedshift)).toBe(await rows(whole));
    expect(await rows(onRedshift)).toBeGreaterThan(0);
  }, 180_000);
});
