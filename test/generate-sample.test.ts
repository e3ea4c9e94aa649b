/**
 * generate-sample at tiny scale: the files have the real headers and formats, parse strictly,
 * hold every quirk, match their generate-sample.json, are reproducible from the seed, and the
 * command runs from the CLI to a folder and to an S3 lake.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseString } from 'fast-csv';
import { buildCli } from '../tasks/cli';
import { buildCatalogue } from '../tasks/generate-sample/catalogue';
import { MOVIES_HEADER } from '../tasks/generate-sample/movie-record';
import { emptyMoviesCounts, movieChunks } from '../tasks/generate-sample/movies-file';
import { pyFloat, pyRepr, pyString } from '../tasks/generate-sample/python-literal';
import { SCALES } from '../tasks/generate-sample/scales';
import type { SampleSummary } from '../tasks/generate-sample/summary';
import {
  DATA_FILES,
  doublyMapped,
  generateInto,
  headerBytes,
  quirksFound,
  readLinks,
  readMovies,
  readRatings,
  readStrict,
  REAL_COUNTERPART,
  REAL_SAMPLE,
  removeTemporaryFolders,
  sha256,
  temporaryFolder,
  type GeneratedSample,
} from './generate-sample-helpers';
import { freshS3Lake } from './support/s3';

let sample: GeneratedSample;
beforeAll(async () => {
  sample = await generateInto({ scale: 'tiny', seed: 7 });
});
afterAll(removeTemporaryFolders);

describe('generate-sample --scale tiny', () => {
  it.each(DATA_FILES)('writes %s with the header of the real file, byte for byte', async (name) => {
    const generated = await headerBytes(path.join(sample.dir, name));
    expect(generated.toString('latin1')).toBe((await headerBytes(path.join(REAL_SAMPLE, REAL_COUNTERPART[name]))).toString('latin1'));
  });

  it('names the CPI date column observation_date when asked, as newer FRED downloads do', async () => {
    const newer = await generateInto({ scale: 'tiny', seed: 7, cpiDateHeader: 'observation_date' });
    expect((await headerBytes(path.join(newer.dir, 'CUSR0000SS62031.csv'))).toString()).toBe('observation_date,CUSR0000SS62031\n');
    expect(newer.summary.cpi_date_header).toBe('observation_date');
  });

  it.each(DATA_FILES)('writes %s that a strict CSV parser reads with the right column count', async (name) => {
    const real = await readStrict(path.join(REAL_SAMPLE, REAL_COUNTERPART[name]));
    const generated = await readStrict(path.join(sample.dir, name));
    expect(generated.headers).toEqual(real.headers);
    expect(generated.invalidRows).toBe(0);
    expect(generated.rows).toBe(sample.summary.files[name]?.records);
  });

  it('records true counts in generate-sample.json', async () => {
    const written = JSON.parse(await readFile(path.join(sample.dir, 'generate-sample.json'), 'utf8')) as SampleSummary;
    expect(written).toEqual(sample.summary);
    const { counts } = written;
    expect(written).toMatchObject({ scale: 'tiny', seed: 7, cpi_date_header: 'DATE' });
    for (const name of DATA_FILES) expect(written.files[name]?.bytes).toBe((await stat(path.join(sample.dir, name))).size);

    const movies = await readMovies(path.join(sample.dir, 'movies_metadata.csv'));
    expect(movies.rows).toBe(counts.movies_rows);
    expect(movies.ids.size).toBe(counts.movie_ids_unique);
    expect(movies.rows - movies.ids.size).toBe(counts.movie_duplicate_rows);
    expect([...movies.ids.values()].filter((n) => n > 1)).toHaveLength(counts.movie_duplicated_ids);
    expect(counts).toMatchObject({ movies_rows: 52, movie_ids_unique: 50, movie_duplicate_rows: 2, movie_corrupt_rows: 0 });
    const firstCopies = [...new Map(movies.records.map((m) => [m.id, m])).values()];
    expect(firstCopies.filter((m) => Number(m.revenue) > 0)).toHaveLength(counts.movies_with_revenue);
    expect(firstCopies.filter((m) => Number(m.budget) > 0)).toHaveLength(counts.movies_with_budget);
    expect(movies.records.filter((m) => m.overview?.includes('\n'))).toHaveLength(counts.movies_multiline_records);

    const links = await readLinks(path.join(sample.dir, 'links.csv'));
    expect(links.entries).toHaveLength(counts.links);
    expect(links.entries.filter((l) => l.tmdbId === '')).toHaveLength(counts.links_empty_tmdb_id);
    expect(doublyMapped(links.entries)).toHaveLength(counts.links_doubly_mapped_tmdb_ids);
    const absent = new Set(links.entries.filter((l) => l.tmdbId !== '' && !movies.ids.has(l.tmdbId)).map((l) => l.tmdbId));
    expect(absent.size).toBe(counts.links_tmdb_ids_absent_from_movies);
    expect(counts).toMatchObject({ links: 56, links_empty_tmdb_id: 2, links_doubly_mapped_tmdb_ids: 2, links_tmdb_ids_absent_from_movies: 2 });

    const ratings = await readRatings(path.join(sample.dir, 'ratings.csv'));
    expect({ ratings: ratings.ratings, users: ratings.users }).toEqual({ ratings: 500, users: 20 });
    expect(counts).toMatchObject({ ratings: 500, users: 20, rated_movielens_ids: ratings.perMovie.size });
    expect(ratings.sum / ratings.ratings).toBeCloseTo(counts.mean_rating, 5);

    expect((await readStrict(path.join(sample.dir, 'credits.csv'))).rows).toBe(counts.credits_rows);
    expect((await readStrict(path.join(sample.dir, 'keywords.csv'))).rows).toBe(counts.keywords_rows);
    expect(counts).toMatchObject({ cpi_months: 451, cpi_missing_values: 0, cpi_first_month: '1980-01-01', cpi_last_month: '2017-07-01' });
  });

  it('holds every quirk of the real files', async () => {
    const quirks = await quirksFound(sample.dir);
    expect(Object.entries(quirks).filter(([, found]) => !found)).toEqual([]);
    expect(Object.keys(quirks).length).toBeGreaterThanOrEqual(20);
  });

  it('writes ratings in 0.5 steps, sorted, one per user and movie, timestamped 1995–2017', async () => {
    const ratings = await readRatings(path.join(sample.dir, 'ratings.csv'));
    expect(ratings.badValues).toEqual([]);
    expect(ratings.repeats).toBe(0);
    expect(ratings.outOfOrder).toBe(0);
    expect(ratings.minTimestamp).toBeGreaterThanOrEqual(Date.UTC(1995, 0, 1) / 1000);
    expect(ratings.maxTimestamp).toBeLessThan(Date.UTC(2018, 0, 1) / 1000);
  });

  it('has a user who rated both MovieLens ids of one TMDB movie', async () => {
    const links = await readLinks(path.join(sample.dir, 'links.csv'));
    const twice = new Set(doublyMapped(links.entries));
    const tmdbOf = new Map(links.entries.map((l) => [l.movieId, l.tmdbId]));
    const seen = new Map<string, number>();
    const ratings = await readStrict(path.join(sample.dir, 'ratings.csv'), (row) => {
      const tmdbId = tmdbOf.get(row.movieId ?? '') ?? '';
      if (twice.has(tmdbId)) seen.set(`${row.userId}:${tmdbId}`, (seen.get(`${row.userId}:${tmdbId}`) ?? 0) + 1);
    });
    expect(ratings.rows).toBe(500);
    const both = [...seen.values()].filter((n) => n === 2).length;
    expect(both).toBeGreaterThanOrEqual(1);
    expect(both).toBe(sample.summary.counts.users_rating_both_ids_of_a_movie);
  });

  it('is deterministic: the same seed gives identical bytes, another seed different ones', async () => {
    const again = await generateInto({ scale: 'tiny', seed: 7 });
    const other = await generateInto({ scale: 'tiny', seed: 8 });
    for (const name of [...DATA_FILES, 'generate-sample.json']) {
      expect(`${name} ${await sha256(path.join(again.dir, name))}`).toBe(`${name} ${await sha256(path.join(sample.dir, name))}`);
    }
    for (const name of DATA_FILES) {
      expect(`${name} ${await sha256(path.join(other.dir, name))}`).not.toBe(`${name} ${await sha256(path.join(sample.dir, name))}`);
    }
  });
});

describe('the generate-sample command', () => {
  it('runs from the CLI, exits 0 and prints the task result as the last stdout line', async () => {
    const dir = await temporaryFolder('cli');
    const resultFile = path.join(dir, 'result', 'return.json');
    const run = await runCli(['generate-sample', '--scale', 'tiny', '--seed', '7', '--out', dir, '--result-file', resultFile, '--log-level', 'error']);
    expect(run.exitCode).toBe(0);
    const last = run.stdout.trimEnd().split('\n').pop() ?? '';
    const result = JSON.parse(last) as { status: string; task: string; exit_code: number; counts: { ratings: number }; files: Record<string, number> };
    expect(result).toMatchObject({ task: 'generate-sample', status: 'success', exit_code: 0, scale: 'tiny', seed: 7 });
    expect(result.counts.ratings).toBe(500);
    expect(result.files['ratings.csv']).toBe(sample.summary.files['ratings.csv']?.bytes);
    expect((await readFile(resultFile, 'utf8')).trim()).toBe(last);
    for (const name of DATA_FILES) expect(await sha256(path.join(dir, name))).toBe(await sha256(path.join(sample.dir, name)));
  });

  it('streams the files into an S3 lake with the same bytes', async () => {
    const lake = await freshS3Lake('samples/tiny');
    const run = await runCli(['generate-sample', '--scale', 'tiny', '--seed', '7', '--out', lake.url, '--log-level', 'error']);
    expect(run.exitCode).toBe(0);
    expect((await lake.list('')).map((o) => o.key)).toEqual([...DATA_FILES, 'generate-sample.json'].sort());
    for (const name of DATA_FILES) {
      const hash = createHash('sha256');
      for await (const chunk of await lake.get(name)) hash.update(chunk as Buffer);
      expect(`${name} ${hash.digest('hex')}`).toBe(`${name} ${await sha256(path.join(sample.dir, name))}`);
    }
  });

  it('refuses a seed that is not an integer with exit code 2', async () => {
    const dir = await temporaryFolder('bad-seed');
    const run = await runCli(['generate-sample', '--scale', 'tiny', '--seed', '1.5', '--out', dir, '--log-level', 'error']);
    expect(run.exitCode).toBe(2);
    expect(JSON.parse(run.stdout.trimEnd().split('\n').pop() ?? '')).toMatchObject({ status: 'failed', exit_code: 2 });
  });
});

describe('Python literals as the Kaggle columns hold them', () => {
  it('quotes, escapes and formats like Python repr()', () => {
    expect(pyString("Workin' Man Films")).toBe(`"Workin' Man Films"`);
    expect(pyString(`Jack "Jackie" O'Neil`)).toBe(`'Jack "Jackie" O\\'Neil'`);
    expect(pyString('a\\b\nc')).toBe(`'a\\\\b\\nc'`);
    expect(pyRepr({ id: 1, poster_path: null, adult: true, names: ['é', 'x'] })).toBe(`{'id': 1, 'poster_path': None, 'adult': True, 'names': ['é', 'x']}`);
    expect([8.2e-5, 81, 1e-6, 0.0001, 0.00012, 21.946943].map(pyFloat)).toEqual(['8.2e-05', '81.0', '1e-06', '0.0001', '0.00012', '21.946943']);
  });
});

/** Runs the CLI in this process, capturing stdout (the task result) and the exit code it sets. */
async function runCli(args: string[]): Promise<{ exitCode: number; stdout: string }> {
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
    return true;
  }) as typeof process.stdout.write;
  try {
    await buildCli(args).parseAsync();
  } finally {
    process.stdout.write = write;
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { exitCode, stdout: chunks.join('') };
}

describe('the corrupt rows of the full scale', () => {
  it('writes each as a stub cut in an unquoted overview, then a record shifted so that id holds a date', async () => {
    const scale = { ...SCALES.tiny, corruptMovies: 3 };
    const counts = emptyMoviesCounts();
    const text = Buffer.concat([...movieChunks(buildCatalogue(scale, 7), counts)]).toString('utf8');
    const records = await new Promise<string[][]>((resolve, reject) => {
      const rows: string[][] = [];
      parseString(text, { headers: false })
        .on('data', (row: string[]) => rows.push(row))
        .on('error', reject)
        .on('end', () => resolve(rows));
    });
    const shifted = records.filter((row) => row.length === 15);
    expect(shifted.map((row) => row[MOVIES_HEADER.indexOf('id')]).sort()).toEqual(['1997-08-20', '2012-09-29', '2014-01-01']);
    for (const row of shifted) {
      const stub = records[records.indexOf(row) - 1] ?? [];
      expect(stub).toHaveLength(10);
      expect(stub[MOVIES_HEADER.indexOf('id')]).toMatch(/^\d+$/);
      expect(row[0]).toMatch(/^ [^,"]+$/);
      expect(row[MOVIES_HEADER.indexOf('belongs_to_collection')]).toMatch(/^\d+(\.\d+)?(e-\d\d)?$/);
      expect(row[MOVIES_HEADER.indexOf('budget')]).toMatch(/^(\/\w{27}\.jpg)?$/);
    }
    expect(records.filter((row) => row.length !== 24)).toHaveLength(6);
    expect(counts).toMatchObject({ records: 55, corruptRows: 3, uniqueIds: 50 });
    expect(counts.corruptStubIds).toHaveLength(3);
  });
});
