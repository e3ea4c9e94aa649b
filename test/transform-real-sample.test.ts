/**
 * Every transform on the genuine extracts in /work/shared/data/real-sample: manifests balance with
 * the exact counts of the files (computed independently with Python's csv + ast.literal_eval),
 * staged CSV has exactly the contract's columns under a strict parser, every staged dataset COPYs
 * into a PGlite table built from the contract, a rerun writes identical bytes, and splitting into
 * parts then rerunning with fewer parts leaves no stale part.
 */
import { PGlite } from '@electric-sql/pglite';
import { createHash } from 'node:crypto';
import type { Lake } from '../tasks/core/lake/lake';
import { getJson } from '../tasks/core/lake/lake';
import { layout } from '../tasks/core/lake/layout';
import { STAGED_DATASETS, TRANSFORM_SOURCES, type ColumnType, type StagedDataset, type TransformManifest } from '../tasks/core/staged';
import { freshS3Lake } from './support/s3';
import { fileLake, parseStrictCsv, putRealSample, readGzipText, readObject, runTransform, temporaryDirectory, removeTemporaryDirectories } from './transform-support';

const RUN = 'real-1';

/** Counts from the real files, computed with Python (csv.DictReader + ast.literal_eval, distinct keys). */
const EXPECTED: Record<string, { input: number; outputs: Record<string, number> }> = {
  movies: {
    input: 400,
    outputs: {
      movies: 400,
      genres: 20,
      movie_genres: 966,
      collections: 57,
      companies: 451,
      movie_companies: 867,
      countries: 30,
      movie_countries: 495,
      languages: 37,
      movie_languages: 532,
      release_dates: 227,
    },
  },
  credits: { input: 15, outputs: { people: 671, cast_members: 330, crew_members: 379 } },
  keywords: { input: 30, outputs: { keywords: 233, movie_keywords: 252 } },
  links: { input: 9125, outputs: { links: 9125 } },
  cpi: { input: 138, outputs: { cpi: 138 } },
};

const SQL_TYPES: Record<ColumnType, string> = {
  integer: 'integer',
  bigint: 'bigint',
  numeric: 'numeric',
  double: 'double precision',
  text: 'text',
  date: 'date',
  boolean: 'boolean',
};

/** The staging table of a dataset, built from the contract (column order, types, NOT NULL). */
function createTableFromContract(dataset: StagedDataset): string {
  const columns = dataset.columns.map((c) => `"${c.name}" ${SQL_TYPES[c.type]}${c.nullable ? '' : ' NOT NULL'}`);
  return `CREATE TABLE "${dataset.name}" (${columns.join(', ')})`;
}

async function snapshot(lake: Lake): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  for (const prefix of ['staged/', 'rejects/', 'manifests/']) {
    for (const object of await lake.list(prefix)) {
      hashes[object.key] = createHash('sha256').update(await readObject(lake, object.key)).digest('hex');
    }
  }
  return hashes;
}

afterAll(removeTemporaryDirectories);

describe('transform on the real sample', () => {
  let lake: Lake;
  const manifests: Partial<Record<string, TransformManifest>> = {};

  beforeAll(async () => {
    lake = await fileLake();
    for (const source of TRANSFORM_SOURCES) {
      await putRealSample(lake, source, RUN);
      manifests[source] = (await runTransform(lake, source, RUN)).manifest;
    }
  });

  it.each(TRANSFORM_SOURCES)('%s: the manifest balances with the exact counts of the file', async (source) => {
    const manifest = manifests[source] as TransformManifest;
    const expected = EXPECTED[source] as (typeof EXPECTED)[string];
    expect(await getJson(lake, layout.manifest(`transform-${source}`, RUN))).toEqual(manifest);
    expect(manifest).toMatchObject({
      task: `transform-${source}`,
      run_id: RUN,
      input_rows: expected.input,
      accepted: expected.input,
      rejected: 0,
      rejected_by_reason: {},
      rejects_object: null,
    });
    expect(manifest.accepted + manifest.rejected).toBe(manifest.input_rows);
    expect(manifest.source.bytes).toBe((await lake.head(manifest.source.object))?.size);
    expect(Object.fromEntries(Object.entries(manifest.outputs).map(([name, output]) => [name, output.rows]))).toEqual(expected.outputs);
    expect(await lake.head(layout.rejects(source, RUN))).toBeUndefined();
  });

  it('writes every staged dataset of the contract with exactly its columns, under a strict CSV parser', async () => {
    const written = TRANSFORM_SOURCES.flatMap((source) => Object.keys((manifests[source] as TransformManifest).outputs));
    expect(written.sort()).toEqual(STAGED_DATASETS.map((d) => d.name).sort());
    for (const dataset of STAGED_DATASETS) {
      const output = (manifests[dataset.source] as TransformManifest).outputs[dataset.name];
      expect(output?.objects).toEqual([layout.staged(dataset.name, RUN, 0)]);
      const text = await readGzipText(lake, output?.objects[0] as string);
      const csv = await parseStrictCsv(text);
      expect(csv.header).toEqual(dataset.columns.map((c) => c.name));
      expect(csv.invalidRows).toBe(0);
      expect(csv.rows).toHaveLength(output?.rows as number);
      expect(text.includes('\r')).toBe(false);
    }
  });

  it('stages values the warehouse can COPY: every dataset loads into a PGlite table built from the contract', async () => {
    const db = new PGlite(await temporaryDirectory('transform-pglite-'));
    try {
      for (const dataset of STAGED_DATASETS) {
        await db.exec(createTableFromContract(dataset));
        const output = (manifests[dataset.source] as TransformManifest).outputs[dataset.name];
        for (const key of output?.objects ?? []) {
          const blob = new Blob([await readGzipText(lake, key)]);
          await db.query(`COPY "${dataset.name}" FROM '/dev/blob' WITH (FORMAT csv, HEADER true)`, [], { blob });
        }
        const count = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${dataset.name}"`);
        expect([dataset.name, count.rows[0]?.n]).toEqual([dataset.name, output?.rows]);
      }
      const toyStory = await db.query(
        `SELECT imdb_id, release_date::text, runtime_minutes::text, budget::text, revenue::text, popularity, vote_count, adult, collection_id
           FROM movies WHERE movie_id = 862`,
      );
      expect(toyStory.rows).toEqual([
        {
          imdb_id: 'tt0114709',
          release_date: '1995-10-30',
          runtime_minutes: '81.0',
          budget: '30000000',
          revenue: '373554033',
          popularity: 21.946943,
          vote_count: 5415,
          adult: false,
          collection_id: 10194,
        },
      ]);
      // Grumpier Old Men: budget 0 in the source means unknown.
      expect((await db.query('SELECT budget, revenue FROM movies WHERE movie_id = 15602')).rows).toEqual([{ budget: null, revenue: null }]);
      const jupiter = await db.query<{ overview: string }>('SELECT overview FROM movies WHERE movie_id = 290157');
      expect(jupiter.rows[0]?.overview).toMatch(/\n - Written by James Meek$/);
      expect((await db.query('SELECT imdb_id, tmdb_id FROM links WHERE movielens_id IN (1, 720) ORDER BY 1')).rows).toEqual([
        { imdb_id: '0114709', tmdb_id: 862 },
        { imdb_id: '0118114', tmdb_id: null },
      ]);
      expect((await db.query('SELECT count(*)::int AS n FROM links WHERE tmdb_id IS NULL')).rows).toEqual([{ n: 13 }]);
      expect((await db.query("SELECT value::text FROM cpi WHERE month = '2005-01-01'")).rows).toEqual([{ value: '135.000' }]);
      expect((await db.query("SELECT name FROM keywords WHERE keyword_id = 15101")).rows).toEqual([{ name: "based on children's book" }]);
      const dates = await db.query("SELECT year, quarter, month, day, day_of_week FROM release_dates WHERE release_date = '1995-10-30'");
      expect(dates.rows).toEqual([{ year: 1995, quarter: 4, month: 10, day: 30, day_of_week: 1 }]);
      const people = await db.query<{ n: number; d: number }>('SELECT count(*)::int AS n, count(DISTINCT person_id)::int AS d FROM people');
      expect(people.rows[0]?.n).toBe(people.rows[0]?.d);
    } finally {
      await db.close();
    }
  });

  it('a rerun for the same run id writes identical objects', async () => {
    const before = await snapshot(lake);
    expect(Object.keys(before)).toHaveLength(STAGED_DATASETS.length + TRANSFORM_SOURCES.length);
    for (const source of TRANSFORM_SOURCES) await runTransform(lake, source, RUN);
    expect(await snapshot(lake)).toEqual(before);
  });

  it('splits a dataset into parts above the row threshold; a rerun with fewer parts leaves no stale part', async () => {
    const run = 'parts-1';
    await putRealSample(lake, 'movies', run);
    const split = (await runTransform(lake, 'movies', run, { partLimits: { rows: 150 } })).manifest;
    expect(split.outputs.movies?.objects).toEqual([0, 1, 2].map((part) => layout.staged('movies', run, part)));
    expect(split.outputs.movies?.rows).toBe(400);
    const rows = await Promise.all((split.outputs.movies?.objects ?? []).map(async (key) => (await parseStrictCsv(await readGzipText(lake, key))).rows));
    expect(rows.map((part) => part.length)).toEqual([150, 150, 100]);
    expect(split.outputs.movie_genres?.objects).toHaveLength(7);

    const whole = (await runTransform(lake, 'movies', run)).manifest;
    expect(whole.outputs.movies?.objects).toEqual([layout.staged('movies', run, 0)]);
    expect((await lake.list(layout.stagedPrefix('movies', run))).map((o) => o.key)).toEqual([layout.staged('movies', run, 0)]);
    expect((await lake.list(layout.stagedPrefix('movie_genres', run))).map((o) => o.key)).toEqual([layout.staged('movie_genres', run, 0)]);
    const merged = rows.flat();
    expect((await parseStrictCsv(await readGzipText(lake, layout.staged('movies', run, 0)))).rows).toEqual(merged);
  });

  it('writes the same bytes to an S3 lake as to a local folder', async () => {
    const s3 = await freshS3Lake();
    await putRealSample(s3, 'credits', RUN);
    const manifest = (await runTransform(s3, 'credits', RUN)).manifest;
    expect(manifest).toEqual(manifests.credits);
    for (const output of Object.values(manifest.outputs)) {
      for (const key of output.objects) expect((await readObject(s3, key)).equals(await readObject(lake, key))).toBe(true);
    }
  });
});
