/**
 * ONE integration suite for every warehouse: create-tables, loads of a hand-made run, idempotent
 * reloads, the ratings mapping, an interrupted load, the quality checks and identifier
 * validation. `npm test` runs it on PGlite and through the local Redshift Data API endpoint; the
 * real-services suite runs it on PostgreSQL. Each test works in a schema of its own.
 */
import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { ExitCode, MovalyticsError } from '../../tasks/core/errors';
import { getJson, type Lake } from '../../tasks/core/lake/lake';
import { layout } from '../../tasks/core/lake/layout';
import { STAGED_DATASETS } from '../../tasks/core/staged';
import { createTables } from '../../tasks/create-tables/index';
import { load } from '../../tasks/load/index';
import type { LoadDeps } from '../../tasks/load/deps';
import { qualityCheck } from '../../tasks/quality-check/index';
import { queryReport } from '../../tasks/report/queries';
import { verifySummaries } from '../../tasks/core/warehouse/ratings-summaries';
import { quoteIdentifier, WarehouseNames } from '../../tasks/core/warehouse/identifiers';
import { MODEL_DATA_TABLES, MODEL_TABLES } from '../../tasks/core/warehouse/model';
import type { Row, Warehouse } from '../../tasks/core/warehouse/warehouse';
import { encodeBinaryRows } from '../../tasks/core/warehouse/binary-copy';
import { sqlScript, sqlStatement } from '../../tasks/core/warehouse/sql-files';
import type { RowBatch, TypedColumn } from '../../tasks/core/warehouse/typed-rows';
import { datasetFragments } from '../../tasks/load/load-sql';
import { buildCli, type BuiltCli } from './cli-process';
import { runAndKill, runWarehouseCli, warehouseArgs } from './warehouse-cli';
import {
  EXPECTED_RATINGS,
  EXPECTED_RATINGS_LEDGER,
  EXPECTED_RATINGS_STATS,
  EXPECTED_REJECTS_CSV,
  putGzip,
  RAW_RATINGS_LINES,
  stagedRowCount,
  writeFixtureRun,
  writeLargeLinks,
} from './warehouse-fixture';
import type { WarehouseTestTarget } from './warehouse-targets';
import { silentLogger } from './silent-logger';

const RUN = 'fixture-1';
const STAGED_NAMES = STAGED_DATASETS.map((dataset) => dataset.name);
const silent = silentLogger();

export interface SuiteOptions {
  /**
   * The data streams through the task (PGlite, PostgreSQL), so killing the task interrupts the
   * COPY. Redshift COPYs from S3 on the server, where killing the task interrupts nothing.
   */
  interruptible: boolean;
}

export function describeWarehouseSuite(name: string, openTarget: () => Promise<WarehouseTestTarget>, options: SuiteOptions): void {
  describe(`warehouse suite on ${name}`, () => {
    let target: WarehouseTestTarget;
    let cli: BuiltCli;
    let fixtureWritten = false;

    beforeAll(async () => {
      [target, cli] = await Promise.all([openTarget(), buildCli()]);
    }, 240_000);
    const schemas: string[] = [];
    afterAll(async () => {
      // A shared PostgreSQL server keeps nothing of the run.
      for (const schema of schemas) await query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
      await target?.close();
      await cli?.remove();
    });

    const freshNames = () => {
      const names = new WarehouseNames(`t_${randomBytes(4).toString('hex')}`, '');
      schemas.push(names.schema);
      return names;
    };
    const lake = (): Lake => target.lake;
    const deps = async (names: WarehouseNames, runId = RUN): Promise<LoadDeps> => ({
      warehouse: await target.warehouse(),
      names,
      lake: target.lake,
      logger: silent,
      runId,
      now: () => new Date('2026-01-02T03:04:05Z'),
    });
    const query = async (sql: string): Promise<Row[]> => (await target.warehouse()).query(sql);

    async function createdSchema(): Promise<WarehouseNames> {
      const names = freshNames();
      await createTables({ warehouse: await target.warehouse(), names, logger: silent });
      return names;
    }

    async function fixture(): Promise<void> {
      if (!fixtureWritten) await writeFixtureRun(target.lake, RUN);
      fixtureWritten = true;
    }

    /** A schema with the fixture run loaded: every staged dataset, then ratings. */
    async function loadedSchema(): Promise<WarehouseNames> {
      await fixture();
      const names = await createdSchema();
      await load(await deps(names), { datasets: STAGED_NAMES, maxRejectRatio: 0.001 });
      await load(await deps(names), { datasets: ['ratings'], maxRejectRatio: 0.5 });
      return names;
    }

    async function rows(names: WarehouseNames, table: string, orderBy: string): Promise<Row[]> {
      return query(`SELECT * FROM ${names.table(table)} ORDER BY ${orderBy}`);
    }

    async function checksums(names: WarehouseNames): Promise<Record<string, string>> {
      const sums: Record<string, string> = {};
      for (const table of MODEL_DATA_TABLES) {
        const [row] = await query(
          `SELECT COUNT(*) AS row_count, md5(COALESCE(string_agg(t::text, '|' ORDER BY t::text), '')) AS checksum FROM ${names.table(table)} AS t`,
        );
        sums[table] = `${String(row?.row_count)}:${String(row?.checksum)}`;
      }
      return sums;
    }

    async function catalog(names: WarehouseNames): Promise<Row[]> {
      return query(
        `SELECT c.relname AS table_name, a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS column_type,
                obj_description(c.oid, 'pg_class') AS table_comment, col_description(c.oid, a.attnum) AS column_comment
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid
         WHERE n.nspname = '${names.schema}' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
         ORDER BY c.relname, a.attnum`,
      );
    }

    it('create-tables creates every model table with its comments; a second run (the CLI) changes nothing', async () => {
      const names = freshNames();
      const first = await createTables({ warehouse: await target.warehouse(), names, logger: silent });
      const migrations =
        target.kind === 'redshift'
          ? ['0001_create_model', '0002_physical_design', '0003_describe_bookkeeping', '0004_rating_as_double', '0005_cpi_value_as_published', '0006_ratings_ledger_metrics', '0007_source_ledger_metrics', '0008_ratings_summaries', '0009_ratings_writes_metrics']
          : ['0001_create_model', '0003_describe_bookkeeping', '0004_rating_as_double', '0005_cpi_value_as_published', '0006_ratings_ledger_metrics', '0007_source_ledger_metrics', '0008_ratings_summaries', '0009_ratings_writes_metrics'];
      expect(first.applied).toEqual(migrations);
      const before = await catalog(names);
      expect(new Set(before.map((row) => row.table_name))).toEqual(new Set(MODEL_TABLES));
      const modelColumns = before.filter((row) => MODEL_DATA_TABLES.includes(String(row.table_name)) || row.table_name === 'load_stats');
      expect(modelColumns.filter((row) => !row.column_comment || !row.table_comment)).toEqual([]);
      const migrationsBefore = await rows(names, 'schema_migrations', 'version');

      const second = await runWarehouseCli(cli, target, warehouseArgs(target, names.schema, RUN, ['create-tables']));
      expect(second.code).toBe(0);
      expect(second.result).toMatchObject({ status: 'success', applied: [], already_applied: migrations.length });
      expect(await catalog(names)).toEqual(before);
      expect(await rows(names, 'schema_migrations', 'version')).toEqual(migrationsBefore);
    });

    it('create-tables that listed the migrations before a concurrent run recorded them skips each one, its statements never run twice', async () => {
      const names = await createdSchema();
      const ratings = names.table('ratings');
      // Every DROP COLUMN leaves a dropped attribute behind: a second 0004 would add one.
      const droppedColumns = `SELECT COUNT(*) AS dropped FROM pg_attribute WHERE attrelid = CAST('${ratings}' AS regclass) AND attisdropped`;
      const [catalogBefore, migrationsBefore, droppedBefore] = [await catalog(names), await rows(names, 'schema_migrations', 'version'), await query(droppedColumns)];
      const real = await target.warehouse();
      // A run that listed the applied migrations just before the concurrent run recorded them.
      const listing = sqlStatement('bootstrap/list-applied-migrations', names);
      let staleLists = 1;
      const late: Warehouse = {
        kind: real.kind,
        description: real.description,
        query: async (sql, params) => {
          if (sql !== listing || staleLists === 0) return real.query(sql, params);
          staleLists--;
          return [];
        },
        execute: (sql, params) => real.execute(sql, params),
        transaction: (statements, params) => real.transaction(statements, params),
        ...(real.maxBatchStatements !== undefined ? { maxBatchStatements: real.maxBatchStatements } : {}),
        loadFromLake: (lakeLoad) => real.loadFromLake(lakeLoad),
        close: async () => undefined,
      };
      const output = await createTables({ warehouse: late, names, logger: silent });
      expect(staleLists).toBe(0);
      expect(output).toMatchObject({ applied: [], already_applied: migrationsBefore.length });
      expect(await rows(names, 'schema_migrations', 'version')).toEqual(migrationsBefore);
      expect(await catalog(names)).toEqual(catalogBefore);
      expect(await query(droppedColumns)).toEqual(droppedBefore);
    });

    it('0004 turns the ratings of a warehouse made before it into doubles, every value kept exactly', async () => {
      const names = freshNames();
      const warehouse = await target.warehouse();
      await warehouse.execute(`CREATE SCHEMA ${names.schema}`);
      for (const statement of sqlScript('migrations/0001_create_model', names)) await warehouse.execute(statement);
      const ratings = names.table('ratings');
      await warehouse.execute(
        `INSERT INTO ${ratings} (user_id, movie_id, movielens_id, rating, rated_at) VALUES (1, 862, 1, 0.5, '2001-02-03 04:05:06'), (2, 862, 1, 3.5, '2001-02-03 04:05:07'), (3, 949, 6, 5.0, '2001-02-03 04:05:08')`,
      );
      for (const statement of sqlScript('migrations/0004_rating_as_double', names)) await warehouse.execute(statement);
      // A DOUBLE PRECISION comes back as a number (a NUMERIC as a string), on every warehouse alike.
      expect(await query(`SELECT user_id, movie_id, movielens_id, rating, rated_at FROM ${ratings} ORDER BY user_id`)).toEqual([
        { user_id: 1, movie_id: 862, movielens_id: 1, rating: 0.5, rated_at: '2001-02-03 04:05:06' },
        { user_id: 2, movie_id: 862, movielens_id: 1, rating: 3.5, rated_at: '2001-02-03 04:05:07' },
        { user_id: 3, movie_id: 949, movielens_id: 6, rating: 5, rated_at: '2001-02-03 04:05:08' },
      ]);
      expect(await query(`SELECT SUM(rating) AS total FROM ${ratings}`)).toEqual([{ total: 9 }]);
    });

    it('loads hand-made staged files into the model: one row per key, NULL and "" kept apart, counts recorded', async () => {
      await fixture();
      const names = await createdSchema();
      const output = await load(await deps(names), { datasets: STAGED_NAMES, maxRejectRatio: 0.001 });
      const results = output.datasets as Record<string, { rows_staged: number; rows_loaded: number; rows_replaced: number }>;
      expect(results.genres).toMatchObject({ rows_staged: 9, rows_loaded: 8, rows_replaced: 0 });
      expect(results.movie_genres).toMatchObject({ rows_staged: 11, rows_loaded: 10 });

      const movies = await rows(names, 'movies', 'movie_id');
      expect(movies.map((movie) => movie.movie_id)).toEqual([862, 949, 8844, 15602]);
      expect(movies[0]).toEqual({
        movie_id: 862,
        imdb_id: 'tt0114709',
        title: 'Toy Story',
        original_title: 'Toy Story',
        original_language: 'en',
        overview: 'Led by Woody, Andy\'s toys live happily in his room. "To infinity"\nand beyond.',
        tagline: null,
        status: 'Released',
        release_date: '1995-10-30',
        runtime_minutes: '81.00',
        budget: 30000000,
        revenue: 373554033,
        popularity: 21.946943,
        vote_average: '7.70',
        vote_count: 5415,
        adult: false,
        video: false,
        homepage: 'http://toystory.disney.com/toy-story',
        poster_path: '/rhIRbceoE9lR4veEXuwCC2wARtG.jpg',
        collection_id: 10194,
      });
      expect(movies[3]).toMatchObject({ movie_id: 15602, tagline: target.emptyStringsAreNull ? null : '', budget: null, popularity: 0.000082, overview: 'A family wedding reignites the ancient feud. Ärger!' });
      expect((await rows(names, 'genres', 'genre_id')).map((genre) => `${genre.genre_id}:${genre.name}`)).toEqual([
        '12:Adventure', '14:Fantasy', '16:Animation', '28:Action', '35:Comedy', '80:Crime', '10749:Romance', '10751:Family',
      ]);
      expect(await rows(names, 'release_dates', 'release_date')).toEqual([
        { release_date: '1995-10-30', year: 1995, quarter: 4, month: 10, day: 30, day_of_week: 1 },
        { release_date: '1995-12-15', year: 1995, quarter: 4, month: 12, day: 15, day_of_week: 5 },
        { release_date: '1995-12-22', year: 1995, quarter: 4, month: 12, day: 22, day_of_week: 5 },
      ]);
      expect(await rows(names, 'links', 'movielens_id')).toContainEqual({ movielens_id: 7, imdb_id: '0114319', tmdb_id: null });
      expect(await rows(names, 'cpi', 'month')).toEqual([
        { month: '1995-09-01', value: '100.000000' },
        { month: '1995-10-01', value: '100.250000' },
        { month: '1995-11-01', value: '100.500000' },
        { month: '1995-12-01', value: '100.750000' },
      ]);
      const stats = await query(`SELECT dataset, metric, value FROM ${names.table('load_stats')} WHERE run_id = '${RUN}' AND dataset = 'genres' ORDER BY metric`);
      expect(stats).toEqual([
        { dataset: 'genres', metric: 'rows_loaded', value: 8 },
        { dataset: 'genres', metric: 'rows_staged', value: 9 },
      ]);
      expect(await getJson(lake(), layout.manifest('load-movies', RUN))).toMatchObject({ dataset: 'movies', rows_staged: 4, rows_loaded: 4 });
      for (const dataset of STAGED_NAMES) expect((results[dataset] as { rows_staged: number }).rows_staged).toBe(stagedRowCount(dataset));
    });

    it('a second load of the same run leaves identical tables (checksums of ordered rows)', async () => {
      const names = await loadedSchema();
      const before = await checksums(names);
      const again = await load(await deps(names), { datasets: [...STAGED_NAMES, 'ratings'], maxRejectRatio: 0.5 });
      expect(await checksums(names)).toEqual(before);
      const results = again.datasets as Record<string, { rows_replaced: number; rows_loaded?: number }>;
      expect(results.movies).toMatchObject({ rows_replaced: 4, rows_loaded: 4 });
      expect(results.ratings).toMatchObject({ rows_replaced: 6 });
      expect(Object.values(before).every((sum) => !sum.startsWith('0:'))).toBe(true);
    });

    it('a corrected rerun of a run id replaces all its faulty attempt loaded: the tables of one clean run on a fresh warehouse', async () => {
      const clean = await checksums(await loadedSchema());
      const runId = 'rerun-1';
      // The faulty attempt: a movie (with its genre) and ten ratings of user 999999 that the corrected source no longer has.
      const faulty = {
        parts: { movies: [[[424242, 'tt9999999', 'Not A Movie', 'Not A Movie', 'en', null, null, 'Released', '1995-12-15', null, null, null, null, null, null, false, false, null, null, null]]], movie_genres: [[[424242, 35]]] },
        ratingsLines: [1, 2, 3, 6, 1, 2, 3, 6, 9, 9].map((movielensId, index) => `999999,${movielensId},4.0,${5000 + index}`),
      };
      await writeFixtureRun(target.lake, runId, faulty);
      const names = await createdSchema();
      const loadAll = async () => {
        await load(await deps(names, runId), { datasets: STAGED_NAMES, maxRejectRatio: 0.001 });
        return load(await deps(names, runId), { datasets: ['ratings'], maxRejectRatio: 0.5 });
      };
      await loadAll();
      expect(await query(`SELECT COUNT(*) AS n FROM ${names.table('ratings')} WHERE user_id = 999999`)).toEqual([{ n: 4 }]);
      expect(await query(`SELECT COUNT(*) AS n FROM ${names.table('movies')} WHERE movie_id = 424242`)).toEqual([{ n: 1 }]);

      await writeFixtureRun(target.lake, runId);
      const rerun = await loadAll();
      expect(await checksums(names)).toEqual(clean);
      // The ledger of the rerun balances against the model, as a fresh warehouse's does.
      expect(rerun.datasets).toMatchObject({ ratings: { ...EXPECTED_RATINGS_LEDGER, rows_replaced: EXPECTED_RATINGS.length + 4, first_load: false } });
      const report = await queryReport(await target.warehouse(), names, { runId, minRatings: 1, now: new Date() });
      expect(report.coverage).toMatchObject({ ...EXPECTED_RATINGS_LEDGER, movies: 4 });
      expect(await qualityCheck({ warehouse: await target.warehouse(), names, lake: target.lake, logger: silent, runId })).toMatchObject({ failed: 0 });
    });

    it("a load of several datasets that fails at its second leaves the first one's model table as it was", async () => {
      const names = await loadedSchema();
      const before = await checksums(names);
      const runId = 'half-run';
      await writeFixtureRun(target.lake, runId, { parts: { genres: [[[37, 'Western']]] } });
      // movie_genres parts that disagree with their manifest (rewritten by an attempt that did not finish).
      await putGzip(target.lake, layout.staged('movie_genres', runId, 0), ['movie_id,genre_id', '862,37']);
      await expect(load(await deps(names, runId), { datasets: ['genres', 'movie_genres'], maxRejectRatio: 0.001 })).rejects.toMatchObject({
        exitCode: ExitCode.badData,
        message: expect.stringMatching(/the staged movie_genres parts hold 6 rows, but the transform's manifest says 11/),
      });
      expect(await checksums(names)).toEqual(before);
      expect(await query(`SELECT COUNT(*) AS n FROM ${names.table('load_stats')} WHERE run_id = '${runId}'`)).toEqual([{ n: 0 }]);
      const leftovers = await query(`SELECT table_name FROM information_schema.tables WHERE table_schema = '${names.schema}' AND table_name LIKE 'stage_%'`);
      expect(leftovers).toEqual([]);
    });

    it("staging tables, built from the staged contract, have the model's column types (sql/migrations)", async () => {
      const names = await createdSchema();
      const warehouse = await target.warehouse();
      const staging = (dataset: string) => names.staging(dataset, 'types').split('.')[1]?.replace(/"/g, '') as string;
      for (const dataset of STAGED_DATASETS) {
        await warehouse.execute(sqlStatement('load/create-staging', names, datasetFragments(dataset, names, 'types')));
      }
      const columns = await catalog(names);
      const typesOf = (table: string) => columns.filter((row) => row.table_name === table).map((row) => `${String(row.column_name)} ${String(row.column_type)}`);
      for (const dataset of STAGED_NAMES) {
        expect({ dataset, columns: typesOf(staging(dataset)) }).toEqual({ dataset, columns: typesOf(dataset) });
        expect(typesOf(dataset).length).toBeGreaterThan(1);
      }
    });

    it('maps ratings through links with the duplicate rule, counts unmapped and rejected ones', async () => {
      const names = await loadedSchema();
      expect(await rows(names, 'ratings', 'user_id, movie_id')).toEqual(EXPECTED_RATINGS);
      const stats = await query(`SELECT metric, value FROM ${names.table('load_stats')} WHERE dataset = 'ratings' AND run_id = '${RUN}'`);
      // Beside the ledger, a streaming load records the fingerprint of the summaries it wrote (ratings-summary.ts).
      // A streaming load records the fingerprint of its summaries (6 metrics), and that nothing wrote the ratings since (2).
      const fingerprint = options.interruptible ? { ratings_pair_sum: 114285, ratings_movie_halves_sum: 106304, movie_genres_rows: 10, ratings_writes_since_load: 0 } : {};
      expect(Object.fromEntries(stats.map((row) => [row.metric, row.value]))).toMatchObject({ ...EXPECTED_RATINGS_STATS, ...fingerprint });
      expect(stats).toHaveLength(Object.keys(EXPECTED_RATINGS_STATS).length + (options.interruptible ? 8 : 0));
      const rejects = gunzipSync(Buffer.concat(await chunks(await lake().get(layout.rejects('ratings', RUN))))).toString('utf8');
      expect(rejects.trimEnd()).toBe(EXPECTED_REJECTS_CSV);
      expect(await getJson(lake(), layout.manifest('load-ratings', RUN))).toMatchObject({ ...EXPECTED_RATINGS_LEDGER, rejected: 5 });
      const { ratings_total, ...buckets } = EXPECTED_RATINGS_LEDGER;
      expect(Object.values(buckets).reduce((sum, count) => sum + count, 0)).toBe(ratings_total);
      expect(ratings_total).toBe(RAW_RATINGS_LINES.length - 1);
    });

    it("the report's coverage is the ratings ledger: one rating or more in each bucket, their sum the rows read", async () => {
      const names = await loadedSchema();
      const report = await queryReport(await target.warehouse(), names, { runId: RUN, minRatings: 1, now: new Date() });
      const { ratings_total, ratings_rejected, ratings_unmapped, ratings_not_loaded, ratings_superseded, ratings_analysed } = report.coverage;
      expect({ ratings_total, ratings_rejected, ratings_unmapped, ratings_not_loaded, ratings_superseded, ratings_analysed }).toEqual(EXPECTED_RATINGS_LEDGER);
      expect(Object.values(EXPECTED_RATINGS_LEDGER).every((count) => count > 0)).toBe(true);
      expect(ratings_rejected + ratings_unmapped + ratings_not_loaded + ratings_superseded + ratings_analysed).toBe(RAW_RATINGS_LINES.length - 1);
      expect(report.coverage).toMatchObject({ movies: 4, ratings_run_id: RUN });
    });

    it('refuses ratings before links and movies, and above the reject ratio, leaving the model as it was', async () => {
      await fixture();
      const names = await createdSchema();
      await expect(load(await deps(names), { datasets: ['ratings'], maxRejectRatio: 0.5 })).rejects.toMatchObject({
        exitCode: ExitCode.usage,
        message: expect.stringMatching(/links and movies are empty: run "movalytics load links movies" first/),
      });
      await load(await deps(names), { datasets: ['links', 'movies'], maxRejectRatio: 0.001 });
      await expect(load(await deps(names), { datasets: ['ratings'], maxRejectRatio: 0.001 })).rejects.toMatchObject({
        exitCode: ExitCode.badData,
        message: expect.stringMatching(/5 of 16 ratings rejected/),
      });
      expect(await rows(names, 'ratings', 'user_id')).toEqual([]);
      await expect(load(await deps(names, 'no-such-run'), { datasets: ['genres'], maxRejectRatio: 0.001 })).rejects.toMatchObject({
        exitCode: ExitCode.badData,
        message: expect.stringMatching(/no staged genres for this run: run "movalytics transform movies" first/),
      });
      // A transform killed before its manifest: its parts are not loaded.
      await writeLargeLinks(target.lake, 'unfinished-run', 10);
      await lake().delete(layout.manifest('transform-links', 'unfinished-run'));
      await expect(load(await deps(names, 'unfinished-run'), { datasets: ['links'], maxRejectRatio: 0.001 })).rejects.toMatchObject({
        exitCode: ExitCode.badData,
        message: expect.stringMatching(/no staged links for this run: run "movalytics transform links" first \(a transform writes its manifest when it finishes\)/),
      });
      // Parts that disagree with the manifest (rewritten by a later attempt that did not finish) are refused.
      await writeLargeLinks(target.lake, 'unfinished-run', 10);
      await putGzip(target.lake, layout.staged('links', 'unfinished-run', 0), ['movielens_id,imdb_id,tmdb_id', '1,0000001,1']);
      await expect(load(await deps(names, 'unfinished-run'), { datasets: ['links'], maxRejectRatio: 0.001 })).rejects.toMatchObject({
        exitCode: ExitCode.badData,
        message: expect.stringMatching(/the staged links parts hold 1 rows, but the transform's manifest says 10/),
      });
    });

    it('a ratings file not grouped by user is read again, its duplicates resolved in the warehouse: the same model', async () => {
      await fixture();
      const names = await createdSchema();
      await load(await deps(names), { datasets: STAGED_NAMES, maxRejectRatio: 0.001 });
      const runId = 'fixture-ungrouped';
      // User 1's later rating of TMDB 862 (MovieLens 9) moved to the end: user 1 comes back.
      const lines = RAW_RATINGS_LINES.filter((line) => line !== '1,9,5.0,2000');
      await lake().put(layout.raw('movies', runId, 'ratings.csv'), [...lines, '1,9,5.0,2000'].join('\r\n'));
      const output = await load(await deps(names, runId), { datasets: ['ratings'], maxRejectRatio: 0.5 });
      expect(await rows(names, 'ratings', 'user_id, movie_id')).toEqual(EXPECTED_RATINGS);
      // A first load, through staging: nothing in the model was replaced.
      expect(output.datasets).toMatchObject({ ratings: { ...EXPECTED_RATINGS_LEDGER, rejected: 5, rows_replaced: 0 } });
      const stats = await query(`SELECT metric, value FROM ${names.table('load_stats')} WHERE dataset = 'ratings' AND run_id = '${runId}'`);
      expect(Object.fromEntries(stats.map((row) => [row.metric, row.value]))).toEqual(EXPECTED_RATINGS_STATS);
    });

    /**
     * A test only a streaming warehouse can run. Elsewhere it is still registered, named as
     * unsupported there, and asserts the reason: the warehouse offers no streaming.
     */
    function itStreaming(title: string, test: () => Promise<void>, timeout?: number): void {
      if (options.interruptible) {
        it(title, test, timeout);
        return;
      }
      it(`unsupported on ${name}: ${title} (its loads COPY from S3 on the server; no row streams through the task)`, async () => {
        expect((await target.warehouse()).streaming).toBeUndefined();
      });
    }

    itStreaming('typed rows stream in exactly (binary COPY), and a failure of the rows rolls the transaction back as thrown', async () => {
      const names = freshNames();
      const warehouse = await target.warehouse();
      const streaming = warehouse.streaming;
      if (!streaming) throw new Error(`${name} streams its loads, so it must offer streaming`);
      await warehouse.execute(`CREATE SCHEMA ${names.schema}`);
      const table = names.table('typed');
      await warehouse.execute(`CREATE TABLE ${table} (n INTEGER, r DOUBLE PRECISION, t TIMESTAMP)`);
      const columns: TypedColumn[] = [{ name: 'n', type: 'int4' }, { name: 'r', type: 'tenths' }, { name: 't', type: 'epoch_seconds' }];
      const values = [
        [-(2 ** 31), 0, 0],
        [2 ** 31 - 1, 5, -1],
        [7, 45, 946_684_800],
        [8, 99_999, 4_102_444_799],
        [9, 10, 1_260_759_144],
      ];
      const batches = async function* (): AsyncGenerator<RowBatch> {
        yield { rows: 2, values: Float64Array.from(values.slice(0, 2).flat()) };
        yield { rows: 3, values: Float64Array.from(values.slice(2).flat()) };
      };
      expect(await streaming.inTransaction((session) => session.copyRows({ table, columns, batches: batches() }))).toBe(5);
      expect(await query(`SELECT n, r, t FROM ${table} ORDER BY n`)).toEqual([
        { n: -2147483648, r: 0, t: '1970-01-01 00:00:00' },
        { n: 7, r: 4.5, t: '2000-01-01 00:00:00' },
        { n: 8, r: 9999.9, t: '2099-12-31 23:59:59' },
        { n: 9, r: 1, t: '2009-12-14 02:52:24' },
        { n: 2147483647, r: 0.5, t: '1969-12-31 23:59:59' },
      ]);
      const failure = new Error('the lake went away mid-stream');
      const failing = async function* (): AsyncGenerator<RowBatch> {
        yield { rows: 1, values: Float64Array.from([10, 10, 10]) };
        throw failure;
      };
      await expect(
        streaming.inTransaction(async (session) => {
          await session.execute(`DELETE FROM ${table}`);
          return session.copyRows({ table, columns, batches: failing() });
        }),
      ).rejects.toBe(failure);
      expect(await query(`SELECT COUNT(*) AS n FROM ${table}`)).toEqual([{ n: 5 }]);
      // Frozen rows: the server takes them only into a table emptied in the same transaction.
      const frozen = async function* (): AsyncGenerator<RowBatch> {
        yield { rows: 1, values: Float64Array.from([11, 35, 1_000]) };
      };
      await expect(streaming.inTransaction((session) => session.copyRows({ table, columns, batches: frozen(), freeze: true }))).rejects.toThrow(
        /COPY FREEZE/,
      );
      const refilled = await streaming.inTransaction(async (session) => {
        await session.execute(`TRUNCATE ${table}`);
        return session.copyRows({ table, columns, batches: frozen(), freeze: true });
      });
      expect(refilled).toBe(1);
      expect(await query(`SELECT n, r FROM ${table}`)).toEqual([{ n: 11, r: 3.5 }]);
      expect(() => encodeBinaryRows(columns, { rows: 1, values: Float64Array.from([1.5, 10, 0]) })).toThrow(/not a 32-bit integer/);
      expect(() => encodeBinaryRows(columns, { rows: 1, values: Float64Array.from([1, 4.5, 0]) })).toThrow(/not a whole number of tenths/);
      expect(() => encodeBinaryRows(columns, { rows: 1, values: Float64Array.from([1, 10, 0.5]) })).toThrow(/not a whole number of seconds/);
    });

    it('concurrent loads of two run ids (two CLI processes) do not collide', async () => {
      await fixture();
      await writeFixtureRun(target.lake, 'fixture-2');
      const names = await createdSchema();
      const command = ['load', 'genres', 'movie_genres'];
      const [first, second] = await Promise.all([
        runWarehouseCli(cli, target, warehouseArgs(target, names.schema, RUN, command)),
        runWarehouseCli(cli, target, warehouseArgs(target, names.schema, 'fixture-2', command)),
      ]);
      expect([first.code, second.code]).toEqual([0, 0]);
      expect(await rows(names, 'genres', 'genre_id')).toHaveLength(8);
      expect(await rows(names, 'movie_genres', 'movie_id, genre_id')).toHaveLength(10);
      const stats = await query(`SELECT run_id, COUNT(*) AS metrics FROM ${names.table('load_stats')} GROUP BY run_id ORDER BY run_id`);
      expect(stats).toEqual([
        { run_id: RUN, metrics: 4 },
        { run_id: 'fixture-2', metrics: 4 },
      ]);
    });

    it('quality-check passes on a clean load and fails (65) on each kind of defect, after running every check', async () => {
      const names = await loadedSchema();
      const check = async () => qualityCheck({ warehouse: await target.warehouse(), names, lake: target.lake, logger: silent, runId: RUN });
      const clean = await check();
      // A streaming load writes the ratings summaries, which one scan verifies; elsewhere the ratings are aggregated.
      const fromLoad = options.interruptible ? 'load_summaries' : 'ratings';
      expect(clean).toMatchObject({ passed: 10, failed: 0, ratings_measured_from: fromLoad });

      // A defect that changes how many ratings the model holds also unbalances the ratings ledger;
      // one that changes how many movies, links or CPI months it holds, their source's ledger.
      const defects: Array<[string, string[], string | string[]]> = [
        // links: no other table's reference checks lead to it (emptying keywords would orphan movie_keywords too).
        ['an empty table', [`DELETE FROM ${names.table('links')}`], ['tables_not_empty', 'source_ledgers_balance']],
        ['a NULL key', [`INSERT INTO ${names.table('genres')} (genre_id, name) VALUES (NULL, 'Nameless')`], 'keys_not_null'],
        ['a duplicate key', [`INSERT INTO ${names.table('movies')} (movie_id, title) VALUES (862, 'Toy Story again')`], ['keys_unique', 'source_ledgers_balance']],
        // Keys and references come from the contract (tasks/core/staged.ts): two-column keys, a NOT NULL reference.
        ['a duplicate two-column key', [`INSERT INTO ${names.table('movie_genres')} SELECT * FROM ${names.table('movie_genres')} WHERE movie_id = 949`], 'keys_unique'],
        ['a NULL part of a two-column key', [`INSERT INTO ${names.table('movie_countries')} (movie_id, country_code) VALUES (949, NULL)`], ['keys_not_null', 'references_resolve']],
        ['a movie of no loaded release date', [`UPDATE ${names.table('movies')} SET release_date = '1801-01-01' WHERE movie_id = 949`], 'references_resolve'],
        // Ratings are measured by one statement (ratings-profile.sql), their duplicates in two halves of the users.
        ['no ratings', [`DELETE FROM ${names.table('ratings')}`], ['tables_not_empty', 'ratings_ledger_balances']],
        ['a rating removed from the model after the load', [`DELETE FROM ${names.table('ratings')} WHERE user_id = 3 AND movie_id = 949`], 'ratings_ledger_balances'],
        ['a ledger bucket recorded one short', [`UPDATE ${names.table('load_stats')} SET value = value - 1 WHERE dataset = 'ratings' AND metric = 'ratings_not_loaded'`], 'ratings_ledger_balances'],
        ['a rating without its user', [`UPDATE ${names.table('ratings')} SET user_id = NULL WHERE user_id = 3 AND movie_id = 949`], 'keys_not_null'],
        // A rating without its user is counted (its half of the users is the odd one), and is no duplicate key.
        [
          'a rating without its user, given twice',
          [`UPDATE ${names.table('ratings')} SET user_id = NULL WHERE user_id = 3 AND movie_id = 949`, `INSERT INTO ${names.table('ratings')} SELECT * FROM ${names.table('ratings')} WHERE user_id IS NULL`],
          ['keys_not_null', 'ratings_ledger_balances'],
        ],
        ['a rating given twice (an even user)', [`INSERT INTO ${names.table('ratings')} SELECT * FROM ${names.table('ratings')} WHERE user_id = 2`], ['keys_unique', 'ratings_ledger_balances']],
        ['a rating given twice (an odd user)', [`INSERT INTO ${names.table('ratings')} SELECT * FROM ${names.table('ratings')} WHERE user_id = 3 AND movie_id = 949`], ['keys_unique', 'ratings_ledger_balances']],
        ['a rating of no loaded movie', [`UPDATE ${names.table('ratings')} SET movie_id = 424242 WHERE user_id = 3 AND movie_id = 949`], 'references_resolve'],
        ['a movie genre of no loaded genre', [`INSERT INTO ${names.table('movie_genres')} (movie_id, genre_id) VALUES (949, 99)`], 'references_resolve'],
        ['a movie of no loaded collection', [`UPDATE ${names.table('movies')} SET collection_id = 424242 WHERE movie_id = 949`], 'references_resolve'],
        ['a cast member of no loaded person', [`UPDATE ${names.table('cast_members')} SET person_id = 424242 WHERE credit_id IN (SELECT MIN(credit_id) FROM ${names.table('cast_members')})`], 'references_resolve'],
        ['a movie keyword of no loaded keyword', [`INSERT INTO ${names.table('movie_keywords')} (movie_id, keyword_id) VALUES (949, 424242)`], 'references_resolve'],
        // The ratings unchanged (their summaries still verified), a movie they rate gone: orphans found from the summaries.
        ['a rated movie gone from the model after the ratings load', [`DELETE FROM ${names.table('movies')} WHERE movie_id = 949`], ['references_resolve', 'source_ledgers_balance']],
        ['a rating above 5', [`UPDATE ${names.table('ratings')} SET rating = 7 WHERE user_id = 3 AND movie_id = 949`], 'ratings_in_range'],
        ['a rating between half steps', [`UPDATE ${names.table('ratings')} SET rating = 3.3 WHERE user_id = 3 AND movie_id = 949`], 'ratings_in_range'],
        ['a missing CPI month', [`DELETE FROM ${names.table('cpi')} WHERE month = '1995-10-01'`], ['cpi_monthly', 'source_ledgers_balance']],
        ['a CPI value of 0', [`UPDATE ${names.table('cpi')} SET value = 0 WHERE month = '1995-10-01'`], 'cpi_positive'],
        ['a negative CPI value', [`UPDATE ${names.table('cpi')} SET value = -50 WHERE month = '1995-10-01'`], 'cpi_positive'],
        ['a CPI month not on its first day', [`UPDATE ${names.table('cpi')} SET month = '1995-12-15' WHERE month = '1995-12-01'`], 'cpi_monthly'],
        ['a link removed from the model after the load', [`DELETE FROM ${names.table('links')} WHERE movielens_id IN (SELECT MIN(movielens_id) FROM ${names.table('links')})`], 'source_ledgers_balance'],
        ['a source ledger recorded one short', [`UPDATE ${names.table('load_stats')} SET value = value - 1 WHERE dataset = 'movies' AND metric = 'source_rows_read'`], 'source_ledgers_balance'],
        ['staged rows that never arrived', [`UPDATE ${names.table('load_stats')} SET value = value - 1 WHERE dataset = 'genres' AND metric = 'rows_staged'`], 'staged_rows_loaded'],
      ];
      for (const [defect, statements, failingCheck] of defects) {
        const table = /(?:FROM|INTO|UPDATE) ("[a-z0-9_]+"\."[a-z0-9_]+")/.exec(statements[0] as string)?.[1] as string;
        await query(`CREATE TABLE ${table.replace(/"$/, '_backup"')} AS SELECT * FROM ${table}`);
        for (const statement of statements) await query(statement);
        const error = await check().then(
          () => undefined,
          (failure: unknown) => failure,
        );
        expect({ defect, exitCode: (error as MovalyticsError | undefined)?.exitCode }).toEqual({ defect, exitCode: ExitCode.badData });
        const output = (error as MovalyticsError).output;
        const checks = output?.checks as Array<{ name: string; passed: boolean }>;
        expect({ defect, failed: checks.filter((result) => !result.passed).map((result) => result.name) }).toEqual({ defect, failed: [failingCheck].flat() });
        // A defect in the ratings no longer gives the load's fingerprint: they are measured row by row.
        const ratingsChanged = statements.join(' ').includes(names.table('ratings'));
        expect({ defect, from: output?.ratings_measured_from }).toEqual({ defect, from: ratingsChanged ? 'ratings' : fromLoad });
        expect(checks).toHaveLength(10);
        await query(`DELETE FROM ${table}`);
        await query(`INSERT INTO ${table} SELECT * FROM ${table.replace(/"$/, '_backup"')}`);
        await query(`DROP TABLE ${table.replace(/"$/, '_backup"')}`);
      }
      expect(await check()).toMatchObject({ passed: 10, failed: 0 });

      const passing = await runWarehouseCli(cli, target, warehouseArgs(target, names.schema, RUN, ['quality-check']));
      expect(passing.code).toBe(0);
      await query(`DELETE FROM ${names.table('cpi')} WHERE month = '1995-10-01'`);
      const failing = await runWarehouseCli(cli, target, warehouseArgs(target, names.schema, RUN, ['quality-check']));
      expect(failing.code).toBe(65);
      // A month gone from the model: a gap in the series, and a CPI record read that the model lacks.
      expect(failing.result).toMatchObject({ status: 'failed', exit_code: 65, passed: 8, failed: 2 });
      expect(failing.stderr).toMatch(/cpi_monthly +cpi months missing between the first and the last +1 +.*FAILED/);
      expect(failing.stderr).toMatch(/source_ledgers_balance +cpi +1 +.*FAILED/);
    });

    itStreaming("the ratings load's summaries equal the ratings' aggregates, and the report answers the same with them or without", async () => {
      const names = await loadedSchema();
      const warehouse = await target.warehouse();
      const numbers = (found: Row[]) => found.map((row) => Object.values(row).map(Number));
      expect(numbers(await query(`SELECT movie_id, ratings_count, rating_sum FROM ${names.table('ratings_by_movie')} ORDER BY movie_id`))).toEqual(
        numbers(await query(`SELECT movie_id, COUNT(*) AS n, SUM(rating) AS s FROM ${names.table('ratings')} GROUP BY movie_id ORDER BY movie_id`)),
      );
      const usersPerGenre = `SELECT mg.genre_id, COUNT(DISTINCT r.user_id) AS users FROM ${names.table('ratings')} AS r
        JOIN ${names.table('movie_genres')} AS mg ON mg.movie_id = r.movie_id GROUP BY mg.genre_id ORDER BY mg.genre_id`;
      const expectedUsers = numbers(await query(usersPerGenre));
      expect(expectedUsers.length).toBeGreaterThan(2);
      expect(numbers(await query(`SELECT genre_id, users FROM ${names.table('ratings_users_by_genre')} WHERE users > 0 ORDER BY genre_id`))).toEqual(expectedUsers);
      // Nothing wrote the ratings since the load: verified without scanning them.
      expect(await verifySummaries(warehouse, names)).toEqual({ ratings: true, genres: true, unwritten: true });

      const frame = { runId: RUN, minRatings: 1, now: new Date('2026-01-01T00:00:00Z') };
      const fromSummaries = await queryReport(warehouse, names, frame);
      expect(fromSummaries.popular_genres.length).toBeGreaterThan(2);
      // Without the fingerprint (a load that wrote none), the same answers from the ratings themselves.
      const kept = names.table('load_stats').replace(/"$/, '_kept"');
      await query(`CREATE TABLE ${kept} AS SELECT * FROM ${names.table('load_stats')}`);
      await query(`DELETE FROM ${names.table('load_stats')} WHERE metric LIKE 'ratings%sum' OR metric LIKE 'movie_genres%'`);
      expect(await verifySummaries(warehouse, names)).toEqual({ ratings: false, genres: false, unwritten: false });
      expect(await queryReport(warehouse, names, frame)).toEqual(fromSummaries);
      await query(`DELETE FROM ${names.table('load_stats')}`);
      await query(`INSERT INTO ${names.table('load_stats')} SELECT * FROM ${kept}`);

      // movie_genres changed after the load: the users per genre no longer hold, the per-movie totals still do.
      const [pair] = await query(`SELECT MIN(r.movie_id) AS movie_id FROM ${names.table('ratings')} AS r
        WHERE NOT EXISTS (SELECT 1 FROM ${names.table('movie_genres')} AS mg WHERE mg.movie_id = r.movie_id AND mg.genre_id = 28)`);
      await query(`INSERT INTO ${names.table('movie_genres')} (movie_id, genre_id) VALUES (${Number(pair?.movie_id)}, 28)`);
      expect(await verifySummaries(warehouse, names)).toEqual({ ratings: true, genres: false, unwritten: true });
      const regenred = await queryReport(warehouse, names, frame);
      const action = (report: typeof fromSummaries) => report.popular_genres.find((genre) => genre.genre === 'Action');
      expect(action(regenred)?.users).toBe(expectedUsersOf(numbers(await query(usersPerGenre)), 28));
      expect(action(regenred)?.ratings_count).toBeGreaterThan(action(fromSummaries)?.ratings_count ?? 0);
      // A rating changed after the load: neither holds, and the answers follow the ratings as they are.
      await query(`UPDATE ${names.table('ratings')} SET rating = 0.5 WHERE movie_id = ${Number(pair?.movie_id)}`);
      expect(await verifySummaries(warehouse, names)).toEqual({ ratings: false, genres: false, unwritten: false });
    });

    itStreaming('the ratings are scanned for the fingerprint once anything may have written them since the load, and only then', async () => {
      const names = await loadedSchema();
      const warehouse = await target.warehouse();
      const ratings = names.table('ratings');
      const verdict = () => verifySummaries(warehouse, names);
      expect(await verdict()).toEqual({ ratings: true, genres: true, unwritten: true });
      // A statement that wrote no row still counts; the scan then finds the ratings as the load left them.
      await query(`UPDATE ${ratings} SET rating = rating WHERE user_id < 0`);
      expect(await verdict()).toEqual({ ratings: true, genres: true, unwritten: false });
      // Each load starts the count again.
      await load(await deps(names), { datasets: ['ratings'], maxRejectRatio: 0.5 });
      expect(await verdict()).toEqual({ ratings: true, genres: true, unwritten: true });
      // The counting trigger disabled: nothing vouches for the ratings but the scan.
      await query(`ALTER TABLE ${ratings} DISABLE TRIGGER ratings_written`);
      expect(await verdict()).toEqual({ ratings: true, genres: true, unwritten: false });
      // Enabled for replica sessions only: it would not count an ordinary session's writes.
      await query(`ALTER TABLE ${ratings} ENABLE REPLICA TRIGGER ratings_written`);
      expect(await verdict()).toEqual({ ratings: true, genres: true, unwritten: false });
      await query(`ALTER TABLE ${ratings} ENABLE TRIGGER ratings_written`);
      expect(await verdict()).toEqual({ ratings: true, genres: true, unwritten: true });
      // The table dropped and made again (another table, with no trigger), then changed: the scan sees it.
      const copy = names.table('ratings_copy');
      await query(`CREATE TABLE ${copy} AS SELECT * FROM ${ratings}`);
      await query(`DROP TABLE ${ratings}`);
      await query(`ALTER TABLE ${copy} RENAME TO ${quoteIdentifier(names.tableName('ratings'))}`);
      expect(await verdict()).toEqual({ ratings: true, genres: true, unwritten: false });
      await query(`DELETE FROM ${ratings} WHERE user_id = 3`);
      expect(await verdict()).toEqual({ ratings: false, genres: true, unwritten: false });
    });

    it('refuses SQL injection through identifiers with exit 2, touching nothing', async () => {
      const names = await loadedSchema();
      const before = await checksums(names);
      const attempts = [
        ['create-tables', '--warehouse-schema', `${names.schema}"; DROP TABLE "${names.schema}"."movies"; --`],
        ['create-tables', '--warehouse-schema', names.schema, '--warehouse-table-prefix', 'x; DROP TABLE movies; --'],
        ['load', 'movies; DROP TABLE movies', '--warehouse-schema', names.schema],
      ];
      for (const attempt of attempts) {
        const run = await runWarehouseCli(cli, target, [...attempt, '--warehouse', target.url, '--run-id', RUN, ...target.cliArgs]);
        expect({ attempt, code: run.code }).toEqual({ attempt, code: 2 });
      }
      expect(await checksums(names)).toEqual(before);
    });

    itStreaming('a load killed mid-COPY leaves the model as it was, and its rerun completes', async () => {
      const names = await loadedSchema();
      const before = await checksums(names);
      const rowsBig = 1_000_000;
      await writeLargeLinks(target.lake, 'big-run', rowsBig);
      const args = warehouseArgs(target, names.schema, 'big-run', ['load', 'links', '--log-level', 'debug']);
      const killed = await runAndKill(cli, target, args, /"message":"(copied a chunk|copy in progress)"/);
      expect(killed.signal).toBe('SIGKILL');
      expect(killed.stderr).not.toMatch(/"message":"loaded links"/);
      expect(await checksums(names)).toEqual(before);

      const rerun = await runWarehouseCli(cli, target, args);
      expect(rerun.code).toBe(0);
      expect(rerun.result).toMatchObject({ status: 'success', datasets: { links: { rows_staged: rowsBig, rows_loaded: rowsBig } } });
      const [links] = await query(`SELECT COUNT(*) AS row_count, MAX(tmdb_id) AS max_tmdb FROM ${names.table('links')}`);
      expect(links).toEqual({ row_count: rowsBig, max_tmdb: rowsBig + 1000000 });
      const leftovers = await query(`SELECT table_name FROM information_schema.tables WHERE table_schema = '${names.schema}' AND table_name LIKE 'stage_%'`);
      expect(leftovers).toEqual([]);
    }, 240_000);
  });
}

async function chunks(stream: AsyncIterable<Buffer>): Promise<Buffer[]> {
  const all: Buffer[] = [];
  for await (const chunk of stream) all.push(Buffer.from(chunk));
  return all;
}

/** The users of one genre in rows of [genre_id, users]. */
function expectedUsersOf(rows: number[][], genre: number): number | undefined {
  return rows.find(([id]) => id === genre)?.[1];
}
