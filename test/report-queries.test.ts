/**
 * The report's genre query on more genres than one BIGINT mask holds (63): the genres past the
 * 63rd are counted by its COUNT(DISTINCT) branch, the others by the masks; both must give the
 * numbers counted here in TypeScript. (The pipeline tests cover TMDB's 20 genres.)
 */
import { createLogger } from '../tasks/core/log';
import { WarehouseNames } from '../tasks/core/warehouse/identifiers';
import { createTables } from '../tasks/create-tables/index';
import { queryReport } from '../tasks/report/queries';
import { pgliteTarget } from './support/warehouse-targets';
import type { WarehouseTestTarget } from './support/warehouse-targets';
import { Writable } from 'node:stream';

const silent = createLogger('test', { json: true, level: 'error', stream: new Writable({ write: (_chunk, _encoding, done) => done() }) });
const GENRES = 70;
const MOVIES = 12;
const USERS = 9;

/** Movie m has genres m, m + 12, m + 24, ... up to 70: every genre has a movie, some past the 63rd. */
const genresOf = (movie: number): number[] => Array.from({ length: GENRES }, (_, i) => i + 1).filter((genre) => genre % MOVIES === movie % MOVIES);
/** User u rated the movies whose number divides by neither u nor u + 1 (a spread of overlaps). */
const ratings = Array.from({ length: USERS }, (_, u) => u + 1).flatMap((user) =>
  Array.from({ length: MOVIES }, (_, m) => m + 1)
    .filter((movie) => movie % (user + 1) !== 0 || movie === user)
    .map((movie) => ({ user, movie, rating: ((user + movie) % 10) / 2 + 0.5 })),
);

let target: WarehouseTestTarget;
beforeAll(async () => {
  target = await pgliteTarget();
}, 120_000);
afterAll(() => target?.close());

it('counts users, ratings and means per genre past the 63rd exactly as per genre below it', async () => {
  const warehouse = await target.warehouse();
  const names = new WarehouseNames('genres_test', '');
  await createTables({ warehouse, names, logger: silent });
  const values = (rows: string[]) => rows.join(', ');
  await warehouse.execute(`INSERT INTO ${names.table('genres')} (genre_id, name) VALUES ${values(Array.from({ length: GENRES }, (_, i) => `(${1000 + i + 1}, 'G${i + 1}')`))}`);
  await warehouse.execute(`INSERT INTO ${names.table('movies')} (movie_id, title) VALUES ${values(Array.from({ length: MOVIES }, (_, m) => `(${m + 1}, 'M${m + 1}')`))}`);
  const pairs = Array.from({ length: MOVIES }, (_, m) => m + 1).flatMap((movie) => genresOf(movie).map((genre) => `(${movie}, ${1000 + genre})`));
  await warehouse.execute(`INSERT INTO ${names.table('movie_genres')} (movie_id, genre_id) VALUES ${values(pairs)}`);
  await warehouse.execute(
    `INSERT INTO ${names.table('ratings')} (user_id, movie_id, movielens_id, rating) VALUES ${values(ratings.map((r) => `(${r.user}, ${r.movie}, ${r.movie}, ${r.rating})`))}`,
  );

  const report = await queryReport(warehouse, names, { runId: 'r', minRatings: 1, now: new Date() });

  const expected = Array.from({ length: GENRES }, (_, i) => i + 1)
    .map((genre) => {
      const rated = ratings.filter((r) => genresOf(r.movie).includes(genre));
      const sum = rated.reduce((total, r) => total + r.rating, 0);
      return { genre: `G${genre}`, ratings_count: rated.length, users: new Set(rated.map((r) => r.user)).size, mean_rating: sum / rated.length };
    })
    .sort((a, b) => b.ratings_count - a.ratings_count || a.genre.localeCompare(b.genre));
  expect(expected.filter((genre) => Number(genre.genre.slice(1)) > 63)).toHaveLength(7);
  expect(report.popular_genres).toHaveLength(GENRES);
  expect(report.popular_genres.map(({ genre, ratings_count, users }) => ({ genre, ratings_count, users }))).toEqual(
    expected.map(({ genre, ratings_count, users }) => ({ genre, ratings_count, users })),
  );
  report.popular_genres.forEach((genre, i) => expect(genre.mean_rating).toBeCloseTo(expected[i]?.mean_rating ?? NaN, 12));
}, 120_000);
