/**
 * generate-sample at small scale (the size of ratings_small.csv): clean of corrupt rows but with
 * duplicates and every other quirk, and data shaped so that the business questions have answers:
 * a long tail of users and movies, a realistic mean rating, revenue for a fraction of movies,
 * release dates mostly after 1980, the 20 real genres.
 */
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import {
  DATA_FILES,
  generateInto,
  quirksFound,
  readLinks,
  readMovies,
  readRatings,
  readStrict,
  removeTemporaryFolders,
  type GeneratedSample,
} from './generate-sample-helpers';

const REAL_GENRES = new Map([
  [28, 'Action'], [12, 'Adventure'], [16, 'Animation'], [35, 'Comedy'], [80, 'Crime'], [99, 'Documentary'], [18, 'Drama'],
  [10751, 'Family'], [14, 'Fantasy'], [10769, 'Foreign'], [36, 'History'], [27, 'Horror'], [10402, 'Music'], [9648, 'Mystery'],
  [10749, 'Romance'], [878, 'Science Fiction'], [10770, 'TV Movie'], [53, 'Thriller'], [10752, 'War'], [37, 'Western'],
]);

let sample: GeneratedSample;
beforeAll(async () => {
  sample = await generateInto({ scale: 'small', seed: 42 });
});
afterAll(removeTemporaryFolders);

describe('generate-sample --scale small', () => {
  it('parses strictly (no corrupt rows at this scale) and matches its counts', async () => {
    for (const name of DATA_FILES) {
      const read = await readStrict(path.join(sample.dir, name));
      expect({ name, invalid: read.invalidRows, rows: read.rows }).toEqual({ name, invalid: 0, rows: sample.summary.files[name]?.records });
    }
    expect(sample.summary.counts).toMatchObject({
      movies_rows: 9089,
      movie_ids_unique: 9084,
      movie_duplicate_rows: 5,
      movie_duplicated_ids: 4,
      movie_corrupt_rows: 0,
      users: 671,
      ratings: 100004,
      links: 9125,
      links_empty_tmdb_id: 13,
    });
  });

  it('holds duplicates and every other quirk of the real files', async () => {
    const quirks = await quirksFound(sample.dir);
    expect(Object.entries(quirks).filter(([, found]) => !found)).toEqual([]);
  });

  it('rates like MovieLens: 0.5 steps, mean ~3.5, a long tail of users and of movies', async () => {
    const ratings = await readRatings(path.join(sample.dir, 'ratings.csv'));
    expect({ bad: ratings.badValues.length, repeats: ratings.repeats, outOfOrder: ratings.outOfOrder }).toEqual({ bad: 0, repeats: 0, outOfOrder: 0 });
    expect(ratings.sum / ratings.ratings).toBeGreaterThan(3.3);
    expect(ratings.sum / ratings.ratings).toBeLessThan(3.7);
    const perUser = [...ratings.perUser.values()].sort((a, b) => a - b);
    const medianUser = perUser[perUser.length >> 1] ?? 0;
    expect(perUser.length).toBe(671);
    expect(perUser.at(-1)).toBeGreaterThanOrEqual(1000);
    expect(perUser.at(-1)).toBeGreaterThan(10 * medianUser);
    expect(perUser.filter((n) => n < 20).length).toBeGreaterThan(671 / 5);
    const perMovie = [...ratings.perMovie.values()].sort((a, b) => a - b);
    expect(perMovie.at(-1)).toBeGreaterThan(0.25 * 671);
    expect(perMovie.filter((n) => n < 10).length).toBeGreaterThan(0.3 * perMovie.length);
    expect(ratings.minTimestamp).toBeGreaterThanOrEqual(Date.UTC(1995, 0, 1) / 1000);
    expect(ratings.maxTimestamp).toBeLessThan(Date.UTC(2018, 0, 1) / 1000);
  });

  it('gives movies revenue, dates and genres that answer the business questions', async () => {
    const movies = await readMovies(path.join(sample.dir, 'movies_metadata.csv'));
    const unique = [...new Map(movies.records.map((m) => [m.id, m])).values()];
    const withRevenue = unique.filter((m) => Number(m.revenue) > 0);
    expect(withRevenue.length / unique.length).toBeGreaterThan(0.12);
    expect(withRevenue.length / unique.length).toBeLessThan(0.25);
    expect(unique.filter((m) => Number(m.budget) > 0).length / unique.length).toBeGreaterThan(0.12);
    const years = unique.filter((m) => m.release_date).map((m) => Number(m.release_date?.slice(0, 4)));
    expect(Math.min(...years)).toBeGreaterThanOrEqual(1900);
    expect(Math.max(...years)).toBeLessThanOrEqual(2017);
    expect(years.filter((y) => y >= 1980).length / years.length).toBeGreaterThan(0.6);
    expect(years.filter((y) => y < 1980).length).toBeGreaterThan(100);
    const genreLists = unique.map((m) => [...(m.genres ?? '').matchAll(/\{'id': (\d+), 'name': '([^']+)'\}/g)].map(([, id, name]) => [Number(id), name]));
    for (const [id, name] of genreLists.flat()) expect(REAL_GENRES.get(id as number)).toBe(name);
    expect(new Set(genreLists.flat().map(([id]) => id)).size).toBe(20);
    expect(genreLists.filter((list) => list.length >= 2).length / unique.length).toBeGreaterThan(0.3);
    const meanRevenue = (months: number[]) => {
      const earning = withRevenue.filter((m) => m.release_date && months.includes(Number(m.release_date.slice(5, 7))));
      return earning.reduce((sum, m) => sum + Number(m.revenue), 0) / earning.length;
    };
    expect(meanRevenue([5, 6, 7])).toBeGreaterThan(meanRevenue([1, 2]));
  });

  it('maps MovieLens ids to TMDB ids like links_small.csv', async () => {
    const links = await readLinks(path.join(sample.dir, 'links.csv'));
    const movies = await readMovies(path.join(sample.dir, 'movies_metadata.csv'));
    expect(links.entries.length).toBeGreaterThan(movies.ids.size);
    const movieLensIds = links.entries.map((l) => Number(l.movieId));
    expect(movieLensIds).toEqual([...movieLensIds].sort((a, b) => a - b));
    expect(new Set(movieLensIds).size).toBe(movieLensIds.length);
    const linked = new Set(links.entries.map((l) => l.tmdbId));
    expect([...movies.ids.keys()].filter((id) => !linked.has(id))).toEqual([]);
  });

  it('covers 1980-01 to 2017-07 in the CPI file, three decimals, no missing values at this scale', async () => {
    const lines = (await readFile(path.join(sample.dir, 'CUSR0000SS62031.csv'), 'utf8')).trimEnd().split('\n').slice(1);
    expect(lines).toHaveLength(451);
    expect(lines[0]).toMatch(/^1980-01-01,\d+\.\d{3}$/);
    expect(lines.at(-1)).toMatch(/^2017-07-01,\d+\.\d{3}$/);
    expect(lines.every((line) => /^\d{4}-\d{2}-01,\d+\.\d{3}$/.test(line))).toBe(true);
  });
});
