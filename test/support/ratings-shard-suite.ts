/**
 * The sharded ratings load (`load ratings --shard I/N`, then `--shards N`) against the unsharded
 * one, on every warehouse (PGlite and the Redshift Data API endpoint in the unit suite, PostgreSQL
 * in the services suite): the same model rows, ledger and rejects for 1 to 3 shards whose cuts
 * fall inside one user's ratings (each holding a duplicate pair), reruns and failed attempts leave
 * no duplicate, and what cannot be committed is refused. PGlite and PostgreSQL build a next table
 * and swap it in; Redshift stages each shard's parts and COPYs them all with one manifest.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { ExitCode } from '../../tasks/core/errors';
import { getJson, type Lake } from '../../tasks/core/lake/lake';
import { layout } from '../../tasks/core/lake/layout';
import { nominalStart } from '../../tasks/core/shard';
import { STAGED_DATASETS } from '../../tasks/core/staged';
import { WarehouseNames } from '../../tasks/core/warehouse/identifiers';
import type { Row } from '../../tasks/core/warehouse/warehouse';
import { createTables } from '../../tasks/create-tables/index';
import type { LoadDeps } from '../../tasks/load/deps';
import { load } from '../../tasks/load/index';
import { shardManifestKey, type RatingsShardManifest } from '../../tasks/load/ratings-shard';
import { buildCli, type BuiltCli } from './cli-process';
import { runWarehouseCli, warehouseArgs } from './warehouse-cli';
import { RAW_RATINGS_LINES, writeFixtureRun } from './warehouse-fixture';
import type { WarehouseTestTarget } from './warehouse-targets';
import { silentLogger } from './silent-logger';

const STAGED_NAMES = STAGED_DATASETS.map((dataset) => dataset.name);
const silent = silentLogger();
const RATIO = 0.5;

/**
 * Users 8 to 67 after the fixture's users 1 to 7, each with 9 ratings: MovieLens 1 and 9 (one
 * TMDB movie, a duplicate pair whose later rating wins), 2, 3, 6 (mapped), 7 (unmapped), 8 (not
 * loaded), and a reject every 10th user. Cuts at size/2 and size/3 land inside a user.
 */
export function shardedRatingsLines(): string[] {
  const lines: string[] = [];
  for (let user = 8; user < 68; user++) {
    const at = 1_000_000 + user * 100;
    lines.push(`${user},1,${(user % 9) * 0.5 + 0.5},${at + 5}`, `${user},2,3.5,${at}`, `${user},3,4,${at + 1}`, `${user},6,2.5,${at + 2}`);
    lines.push(`${user},9,${(user % 7) * 0.5 + 1},${at + (user % 2 === 0 ? 9 : 1)}`, `${user},7,3,${at}`, `${user},8,1,${at}`, `${user},2,4.5,${at + 7}`);
    lines.push(user % 10 === 0 ? `${user},3,6,${at}` : `${user},12345,2,${at}`);
  }
  return lines;
}

/** What a load in the shard tests runs with: the target's warehouse, a silent logger, a fixed clock and `lake` (default: the target's). */
export async function shardLoadDeps(target: WarehouseTestTarget, names: WarehouseNames, runId: string, lake: Lake = target.lake): Promise<LoadDeps> {
  return { warehouse: await target.warehouse(), names, lake, logger: silent, runId, now: () => new Date('2026-01-02T03:04:05Z') };
}

/** A fresh schema of `target` with the staged datasets of a run already in `lake` (default: the target's) loaded. */
export async function schemaWithStagedRun(target: WarehouseTestTarget, runId: string, lake: Lake = target.lake): Promise<WarehouseNames> {
  const names = new WarehouseNames(`t_${randomBytes(4).toString('hex')}`, '');
  await createTables({ warehouse: await target.warehouse(), names, logger: silent });
  await load(await shardLoadDeps(target, names, runId, lake), { datasets: STAGED_NAMES, maxRejectRatio: 0.001 });
  return names;
}

export function describeRatingsShardSuite(name: string, openTarget: () => Promise<WarehouseTestTarget>): void {
  describe(`sharded ratings load on ${name}`, () => {
    let target: WarehouseTestTarget;
    let cli: BuiltCli;
    let streams = true;
    const schemas: string[] = [];

    /** The staged parts the shards' manifests list, shard after shard. */
    const stagedObjects = async (runId: string, count: number): Promise<string[]> => {
      const keys: string[] = [];
      for (let index = 1; index <= count; index++) {
        const manifest = await getJson<RatingsShardManifest>(target.lake, shardManifestKey(runId, { index, count }));
        keys.push(...(manifest.staged_objects ?? []));
      }
      return keys;
    };

    beforeAll(async () => {
      [target, cli] = await Promise.all([openTarget(), buildCli()]);
      streams = target.kind !== 'redshift';
    }, 240_000);
    afterAll(async () => {
      for (const schema of schemas) await query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
      await target?.close();
      await cli?.remove();
    });

    const query = async (sql: string): Promise<Row[]> => (await target.warehouse()).query(sql);
    const deps = (names: WarehouseNames, runId: string, lake?: Lake): Promise<LoadDeps> => shardLoadDeps(target, names, runId, lake);

    /** A fresh schema with the staged datasets of a fresh run loaded; the run's raw ratings are `lines` after the fixture's. */
    async function preparedRun(lines: readonly string[] = shardedRatingsLines(), raw?: string): Promise<{ names: WarehouseNames; runId: string }> {
      const runId = `shards-${randomBytes(3).toString('hex')}`;
      await writeFixtureRun(target.lake, runId, { ratingsLines: lines });
      if (raw !== undefined) await target.lake.put(layout.raw('movies', runId, 'ratings.csv'), raw);
      const names = await schemaWithStagedRun(target, runId);
      schemas.push(names.schema);
      return { names, runId };
    }

    /**
     * The ratings rows, the run's ratings ledger (with the fingerprint of its summaries), the
     * summaries themselves and its rejects file: what a load must leave.
     */
    async function outcome(names: WarehouseNames, runId: string): Promise<{ ratings: string; summaries: string[]; stats: Record<string, unknown>; rejects: string }> {
      const checksum = async (table: string): Promise<string> => {
        const [sum] = await query(`SELECT COUNT(*) AS row_count, md5(COALESCE(string_agg(t::text, '|' ORDER BY t::text), '')) AS checksum FROM ${names.table(table)} AS t`);
        return `${String(sum?.row_count)}:${String(sum?.checksum)}`;
      };
      const stats = await query(`SELECT metric, value FROM ${names.table('load_stats')} WHERE dataset = 'ratings' AND run_id = '${runId}'`);
      // The oid of the ratings table differs between warehouses: recorded, it must be the table's now.
      const [table] = await query(`SELECT CAST(CAST(to_regclass('${names.table('ratings')}') AS OID) AS BIGINT) AS oid`);
      const valueOf = (row: Row): number | string =>
        row.metric === 'ratings_table_oid' ? (Number(row.value) === Number(table?.oid) ? 'the table now' : 'another table') : Number(row.value);
      const chunks: Buffer[] = [];
      for await (const chunk of await target.lake.get(layout.rejects('ratings', runId))) chunks.push(chunk as Buffer);
      return {
        ratings: await checksum('ratings'),
        summaries: [await checksum('ratings_by_movie'), await checksum('ratings_users_by_genre')],
        stats: Object.fromEntries(stats.map((row) => [row.metric, valueOf(row)])),
        rejects: gunzipSync(Buffer.concat(chunks)).toString('utf8'),
      };
    }

    let unsharded: Awaited<ReturnType<typeof outcome>> | undefined;
    async function unshardedOutcome(): Promise<Awaited<ReturnType<typeof outcome>>> {
      if (!unsharded) {
        const { names, runId } = await preparedRun();
        await load(await deps(names, runId), { datasets: ['ratings'], maxRejectRatio: RATIO });
        unsharded = await outcome(names, runId);
      }
      return unsharded;
    }

    async function loadShards(names: WarehouseNames, runId: string, count: number, lake?: Lake): Promise<void> {
      for (let index = 1; index <= count; index++) {
        await load(await deps(names, runId, lake), { datasets: ['ratings'], maxRejectRatio: RATIO, shard: { index, count } });
      }
    }

    const commit = async (names: WarehouseNames, runId: string, count: number) =>
      load(await deps(names, runId), { datasets: ['ratings'], maxRejectRatio: RATIO, shards: count });

    it('the generated file is cut inside a user holding a duplicate pair at every nominal start', () => {
      const raw = Buffer.from([...RAW_RATINGS_LINES, ...shardedRatingsLines()].join('\r\n'));
      for (const count of [2, 3]) {
        for (let k = 2; k <= count; k++) {
          const at = nominalStart(raw.length, k, count);
          const lineStart = raw.lastIndexOf(0x0a, at - 1) + 1;
          const user = raw.toString('utf8', lineStart, raw.indexOf(0x2c, lineStart));
          // Not the user's first line: the shard boundary moves past the rest of this user.
          expect(raw.toString('utf8', raw.lastIndexOf(0x0a, lineStart - 2) + 1, lineStart).startsWith(`${user},`)).toBe(true);
          expect(Number(user)).toBeGreaterThanOrEqual(8);
        }
      }
    });

    for (const count of [1, 2, 3]) {
      it(`${count} shard(s) then the commit leave the unsharded load's ratings, ledger and rejects`, async () => {
        const expected = await unshardedOutcome();
        const { names, runId } = await preparedRun();
        await loadShards(names, runId, count);
        const output = await commit(names, runId, count);
        expect(await outcome(names, runId)).toEqual(expected);
        if (streams) {
          // The summaries were written (and summed over the shards), beside their fingerprint.
          expect(expected.summaries.every((summary) => !summary.startsWith('0:'))).toBe(true);
          expect(expected.stats).toHaveProperty('ratings_pair_sum');
        } else {
          // Redshift's load writes none (its readers aggregate the ratings), sharded or not.
          expect(expected.summaries.every((summary) => summary.startsWith('0:'))).toBe(true);
          expect(expected.stats).not.toHaveProperty('ratings_pair_sum');
          // One COPY read every shard's parts: a manifest listing them in shard order (one part: the object itself).
          const staged = await stagedObjects(runId, count);
          expect(staged).toHaveLength(count);
          const copyManifest = layout.copyManifest(layout.stagedPrefix('ratings', runId));
          if (count === 1) expect(await target.lake.head(copyManifest)).toBeUndefined();
          else expect((await getJson<{ entries: Array<{ url: string }> }>(target.lake, copyManifest)).entries.map((entry) => entry.url)).toEqual(staged.map((key) => target.lake.urlOf(key)));
        }
        expect(output.datasets).toMatchObject({ ratings: { ratings_total: expected.stats.ratings_total, first_load: true } });
        // The comments of the model came along with the table put in its place.
        const [comment] = await query(`SELECT obj_description(to_regclass('${names.table('ratings')}'), 'pg_class') AS comment`);
        expect(String(comment?.comment)).toMatch(/MovieLens user ratings/);
      }, 120_000);
    }

    it('one shard run as the plain load (as the step graph runs N = 1): --shards 1 has nothing to commit and keeps its result', async () => {
      const expected = await unshardedOutcome();
      const { names, runId } = await preparedRun();
      await load(await deps(names, runId), { datasets: ['ratings'], maxRejectRatio: RATIO });
      const output = await commit(names, runId, 1);
      expect(output.datasets).toMatchObject({ ratings: { ratings_total: expected.stats.ratings_total, first_load: true } });
      expect(await outcome(names, runId)).toEqual(expected);
    }, 120_000);

    it('one user whose ratings span several nominal cuts: a shard is left empty, the commit still equals the unsharded load', async () => {
      const prolific = Array.from({ length: 300 }, (_unused, index) => `8,${[1, 2, 3, 6, 9][index % 5]},${(index % 10) * 0.5 + 0.5},${1_000_000 + index}`);
      const lines = [...prolific, '9,1,4,1000', '9,9,3,2000'];
      const whole = await preparedRun(lines);
      await load(await deps(whole.names, whole.runId), { datasets: ['ratings'], maxRejectRatio: RATIO });
      const sharded = await preparedRun(lines);
      await loadShards(sharded.names, sharded.runId, 4);
      const shardTwo = await getJson<RatingsShardManifest>(target.lake, shardManifestKey(sharded.runId, { index: 2, count: 4 }));
      expect(shardTwo.range.end - shardTwo.range.start).toBe(0);
      await commit(sharded.names, sharded.runId, 4);
      const [expected, actual] = [await outcome(whole.names, whole.runId), await outcome(sharded.names, sharded.runId)];
      expect(actual).toEqual(expected);
    }, 120_000);

    it('a shard that fails mid-COPY and is rerun, or loaded twice, leaves no duplicate; a model loaded before is replaced', async () => {
      const expected = await unshardedOutcome();
      const { names, runId } = await preparedRun();
      await load(await deps(names, runId), { datasets: ['ratings'], maxRejectRatio: RATIO });
      await loadShards(names, runId, 3);
      await load(await deps(names, runId), { datasets: ['ratings'], maxRejectRatio: RATIO, shard: { index: 2, count: 3 } });
      await expect(
        load(await deps(names, runId, failingRangedReads(target.lake)), { datasets: ['ratings'], maxRejectRatio: RATIO, shard: { index: 3, count: 3 } }),
      ).rejects.toThrow(/connection reset mid-read/);
      // The failed attempt removed its manifest: the commit names the shard to rerun.
      await expect(commit(names, runId, 3)).rejects.toMatchObject({ exitCode: ExitCode.badData, message: expect.stringMatching(/shard 3\/3 has not been loaded.*--shard 3\/3/) });
      await load(await deps(names, runId), { datasets: ['ratings'], maxRejectRatio: RATIO, shard: { index: 3, count: 3 } });
      const output = await commit(names, runId, 3);
      expect(await outcome(names, runId)).toEqual(expected);
      expect(output.datasets).toMatchObject({ ratings: { first_load: false } });
      // Committed: the next table (the staged parts on Redshift) is gone, a second commit asks for the shards again.
      const again = streams ? /nothing to commit for 3 ratings shards/ : /shard 1\/3 staged .*part-01of03-00000\.csv\.gz, which is gone \(committed already, or removed\).*--shard 1\/3/;
      await expect(commit(names, runId, 3)).rejects.toMatchObject({ exitCode: ExitCode.badData, message: expect.stringMatching(again) });
      if (!streams) expect(await target.lake.list(layout.stagedShardPrefix('ratings', runId, { index: 2, count: 3 }))).toEqual([]);
    }, 120_000);

    it('shards of another count loaded before the commit: the complete count commits, an incomplete one is refused by name', async () => {
      const expected = await unshardedOutcome();
      const { names, runId } = await preparedRun();
      await loadShards(names, runId, 2);
      await load(await deps(names, runId), { datasets: ['ratings'], maxRejectRatio: RATIO, shard: { index: 1, count: 3 } });
      await expect(commit(names, runId, 3)).rejects.toMatchObject({
        exitCode: ExitCode.badData,
        message: expect.stringMatching(/ratings shard 2\/3 has not been loaded \(no shard manifest\): run "movalytics load ratings --shard 2\/3"/),
      });
      await commit(names, runId, 2);
      expect(await outcome(names, runId)).toEqual(expected);
      // A shard of a raw file replaced since: refused.
      const other = await preparedRun();
      await loadShards(other.names, other.runId, 2);
      await target.lake.put(layout.raw('movies', other.runId, 'ratings.csv'), [...RAW_RATINGS_LINES, '8,1,4,1000'].join('\r\n'));
      await expect(commit(other.names, other.runId, 2)).rejects.toMatchObject({ exitCode: ExitCode.badData, message: expect.stringMatching(/shard 1\/2 read another raw file/) });
      // Written again at the same size between the shards (one rating changed): refused too.
      const rewritten = await preparedRun();
      const rawKey = layout.raw('movies', rewritten.runId, 'ratings.csv');
      await load(await deps(rewritten.names, rewritten.runId), { datasets: ['ratings'], maxRejectRatio: RATIO, shard: { index: 1, count: 2 } });
      const text = Buffer.concat(await (await target.lake.get(rawKey)).toArray()).toString('utf8');
      const changed = text.replace(/,4(\.0)?,/, (match) => match.replace('4', '3'));
      expect(changed.length).toBe(text.length);
      expect(changed).not.toBe(text);
      await target.lake.put(rawKey, changed);
      await load(await deps(rewritten.names, rewritten.runId), { datasets: ['ratings'], maxRejectRatio: RATIO, shard: { index: 2, count: 2 } });
      await expect(commit(rewritten.names, rewritten.runId, 2)).rejects.toMatchObject({
        exitCode: ExitCode.badData,
        message: expect.stringMatching(/shard 1\/2 read another raw file \(the same size, written again since the shard read it\)/),
      });
    }, 120_000);

    it('refuses a file not sorted by user (exit 65, through the CLI too), naming the unsharded load', async () => {
      const unsorted = shardedRatingsLines();
      // User 20's ratings moved after user 67's: grouped, but not ascending.
      const moved = unsorted.filter((line) => line.startsWith('20,'));
      const { names, runId } = await preparedRun([...unsorted.filter((line) => !line.startsWith('20,')), ...moved]);
      for (const count of [1, 2, 3]) {
        await expect(loadShards(names, runId, count)).rejects.toMatchObject({
          exitCode: ExitCode.badData,
          message: expect.stringMatching(/not sorted by userId .*load the file as one shard with "movalytics load ratings" \(without --shard\)/),
        });
      }
      const cliRun = await runWarehouseCli(cli, target, warehouseArgs(target, names.schema, runId, ['load', 'ratings', '--shard', '2/2', '--max-reject-ratio', '0.5']));
      expect(cliRun.code).toBe(ExitCode.badData);
      expect(cliRun.stderr).toMatch(/not sorted by userId/);
      // The whole file still loads as one shard.
      await load(await deps(names, runId), { datasets: ['ratings'], maxRejectRatio: RATIO });
      expect((await outcome(names, runId)).ratings).toBe((await unshardedOutcome()).ratings);
    }, 120_000);

    it('the CLI loads two shards and commits them; flags out of place are usage errors', async () => {
      const expected = await unshardedOutcome();
      const { names, runId } = await preparedRun();
      await target.release();
      for (const args of [['--shard', '1/2'], ['--shard', '2/2'], ['--shards', '2']]) {
        const run = await runWarehouseCli(cli, target, warehouseArgs(target, names.schema, runId, ['load', 'ratings', ...args, '--max-reject-ratio', '0.5']));
        expect({ args, code: run.code }).toEqual({ args, code: 0 });
      }
      expect(await outcome(names, runId)).toEqual(expected);
      for (const args of [['load', 'movies', '--shard', '1/2'], ['load', 'ratings', '--shard', '3/2'], ['load', 'ratings', '--shard', '1/2', '--shards', '2']]) {
        const run = await runWarehouseCli(cli, target, warehouseArgs(target, names.schema, runId, args));
        expect({ args, code: run.code }).toEqual({ args, code: ExitCode.usage });
      }
    }, 180_000);
  });
}

/**
 * The lake, except that the last shard's body fails half-way (a reset connection): its third
 * ranged read of the raw ratings, after the probes of the header and of its start boundary.
 */
function failingRangedReads(lake: Lake): Lake {
  let rangedReads = 0;
  return new Proxy(lake, {
    get(inner, property, receiver) {
      if (property !== 'get') return Reflect.get(inner, property, receiver) as unknown;
      return async (key: string, range?: { start: number; end: number }): Promise<Readable> => {
        const body = await inner.get(key, range);
        if (!range || !key.endsWith('ratings.csv') || ++rangedReads !== 3) return body;
        return Readable.from(
          (async function* () {
            const chunks: Buffer[] = [];
            for await (const chunk of body) chunks.push(chunk as Buffer);
            const all = Buffer.concat(chunks);
            yield all.subarray(0, all.length >> 1);
            throw new Error('connection reset mid-read');
          })(),
        );
      };
    },
  });
}
