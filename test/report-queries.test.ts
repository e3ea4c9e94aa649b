/**
 * Q1 and Q2 come from one statement (sql/report/rated-movies-and-genres.sql). Here on more genres
 * than one BIGINT mask holds (63): the genres past the 63rd are counted by its COUNT(DISTINCT)
 * branch, the others by the masks; both must give the numbers counted here in TypeScript. On
 * PGlite and through the Redshift Data API (its local endpoint), which types the rows its own way.
 * (The pipeline tests cover TMDB's 20 genres against the report's independent oracle.)
 */
import { WarehouseNames } from '../tasks/core/warehouse/identifiers';
import { createTables } from '../tasks/create-tables/index';
import { queryReport } from '../tasks/report/queries';
import { pgliteTarget, redshiftDataTarget, type WarehouseTestTarget } from './support/warehouse-targets';
import { silentLogger } from './support/silent-logger';

const silent = silentLogger();
const GENRES = 70;
const MOVIES = 12;
const USERS = 9;
const numbers = (count: number): number[] => Array.from({ length: count }, (_, i) => i + 1);

/** Movie m has genres m, m + 12, m + 24, ... up to 70: every genre has a movie, some past the 63rd. */
const genresOf = (movie: number): number[] => numbers(GENRES).filter((genre) => genre % MOVIES === movie % MOVIES);
/** User u rated the movies whose number u + 1 does not divide, and movie u (a spread of overlaps). */
const RATINGS = numbers(USERS).flatMap((user) =>
  numbers(MOVIES)
    .filter((movie) => movie % (user + 1) !== 0 || movie === user)
    .map((movie) => ({ user, movie, rating: ((user + movie) % 10) / 2 + 0.5 })),
);
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

describe.each([
  ['PGlite', pgliteTarget],
  ['the Redshift Data API', redshiftDataTarget],
])('on %s', (_name, openTarget: () => Promise<WarehouseTestTarget>) => {
  let target: WarehouseTestTarget;
  beforeAll(async () => {
    target = await openTarget();
  }, 120_000);
  afterAll(() => target?.close());

  /** A new schema of the model and a way to insert rows into it. */
  async function freshSchema(schema: string) {
    const warehouse = await target.warehouse();
    const names = new WarehouseNames(schema, '');
    await createTables({ warehouse, names, logger: silent });
    const insert = (table: string, columns: string, rows: string[]) =>
      warehouse.execute(`INSERT INTO ${names.table(table)} (${columns}) VALUES ${rows.join(', ')}`);
    return { warehouse, names, insert };
  }

  it('answers Q1 and Q2 from one statement; genres past the 63rd counted exactly as those below it', async () => {
    const { warehouse, names, insert } = await freshSchema('rated_test');
    await insert('genres', 'genre_id, name', numbers(GENRES).map((genre) => `(${1000 + genre}, 'G${genre}')`));
    await insert('movies', 'movie_id, title', numbers(MOVIES).map((movie) => `(${movie}, 'M${movie}')`));
    await insert('movie_genres', 'movie_id, genre_id', numbers(MOVIES).flatMap((movie) => genresOf(movie).map((genre) => `(${movie}, ${1000 + genre})`)));
    await insert('ratings', 'user_id, movie_id, movielens_id, rating', RATINGS.map((r) => `(${r.user}, ${r.movie}, ${r.movie}, ${r.rating})`));

    const report = await queryReport(warehouse, names, { runId: 'r', minRatings: 1, now: new Date() });

    const genres = numbers(GENRES)
      .map((genre) => {
        const rated = RATINGS.filter((r) => genresOf(r.movie).includes(genre));
        return { genre: `G${genre}`, ratings_count: rated.length, users: new Set(rated.map((r) => r.user)).size, mean_rating: mean(rated.map((r) => r.rating)) };
      })
      .sort((a, b) => b.ratings_count - a.ratings_count || (a.genre < b.genre ? -1 : 1));
    expect(report.popular_genres.map(({ genre, ratings_count, users }) => ({ genre, ratings_count, users }))).toEqual(
      genres.map(({ genre, ratings_count, users }) => ({ genre, ratings_count, users })),
    );
    report.popular_genres.forEach((genre, i) => expect(genre.mean_rating).toBeCloseTo(genres[i]?.mean_rating ?? NaN, 12));

    const movies = numbers(MOVIES)
      .map((movie) => ({ movie_id: movie, title: `M${movie}`, ratings: RATINGS.filter((r) => r.movie === movie).map((r) => r.rating) }))
      .map(({ ratings, ...movie }) => ({ ...movie, mean_rating: mean(ratings), ratings_count: ratings.length }))
      .sort((a, b) => b.mean_rating - a.mean_rating || b.ratings_count - a.ratings_count || a.movie_id - b.movie_id)
      .slice(0, 10);
    expect(report.highest_rated.map(({ movie_id, title, ratings_count }) => ({ movie_id, title, ratings_count }))).toEqual(
      movies.map(({ movie_id, title, ratings_count }) => ({ movie_id, title, ratings_count })),
    );
    const overall = mean(RATINGS.map((r) => r.rating));
    report.highest_rated.forEach((movie, i) => {
      const expected = movies[i];
      expect(movie.mean_rating).toBeCloseTo(expected?.mean_rating ?? NaN, 12);
      expect(movie.weighted_rating).toBeCloseTo(((expected?.ratings_count ?? NaN) * (expected?.mean_rating ?? NaN) + overall) / ((expected?.ratings_count ?? NaN) + 1), 12);
    });
  }, 120_000);

  it('Q4 divides by no CPI of 0 or below: such a month counts as without CPI; 0.0001 is kept, not rounded to 0', async () => {
    const { warehouse, names, insert } = await freshSchema('cpi_zero_test');
    // 2000-06 is the latest month but its value is 0: the reference is 2000-05 (200).
    const cpi: Array<[string, string]> = [['2000-01-01', '100'], ['2000-02-01', '0'], ['2000-03-01', '-50'], ['2000-04-01', '0.0001'], ['2000-05-01', '200'], ['2000-06-01', '0']];
    await insert('cpi', 'month, value', cpi.map(([month, value]) => `('${month}', ${value})`));
    const released = ['2000-01-15', '2000-02-10', '2000-03-10', '2000-04-10', '2000-06-05'];
    await insert('movies', 'movie_id, title, revenue, release_date', released.map((date, i) => `(${i + 1}, 'M${i + 1}', ${i === 3 ? 1 : 1000}, '${date}')`));
    await insert('genres', 'genre_id, name', [`(18, 'Drama')`]);
    await insert('movie_genres', 'movie_id, genre_id', released.map((_, i) => `(${i + 1}, 18)`));

    const report = await queryReport(warehouse, names, { runId: 'r', minRatings: 1, now: new Date() });
    expect(report.genre_earnings_cpi.reference_month?.slice(0, 10)).toBe('2000-05-01');
    expect(report.genre_earnings_cpi.movies_without_cpi).toBe(3);
    // 1000 × 200 / 100 and 1 × 200 / 0.0001: of two values, the median is their mean.
    expect(report.genre_earnings_cpi.genres).toEqual([
      { genre: 'Drama', movies: 2, total_adjusted_revenue: 2_002_000, mean_adjusted_revenue: 1_001_000, median_adjusted_revenue: 1_001_000 },
    ]);
  }, 120_000);

  it('Q3 and Q4 medians (of an even count, the mean of the two middle values); Q4 counts movies without a release date apart from those without CPI', async () => {
    const { warehouse, names, insert } = await freshSchema('median_test');
    await insert('cpi', 'month, value', [`('2000-01-01', 100)`, `('2000-02-01', 200)`]);
    // January: 10, 20, 60, 1000 (even: median 40); February: 5, 7, 900 (odd: median 7); March: 30, no CPI.
    const movies: Array<[number, number | null, string | null]> = [
      [1, 10, '2000-01-10'], [2, 20, '2000-01-11'], [3, 60, '2000-01-12'], [4, 1000, '2000-01-13'],
      [5, 5, '2000-02-10'], [6, 7, '2000-02-11'], [7, 900, '2000-02-12'],
      [8, 30, '2000-03-10'],
      [9, 500, null], [10, 700, null], // a revenue, no release date
      [11, null, '2000-01-10'], // no revenue: in no answer and in neither count
    ];
    await insert('movies', 'movie_id, title, revenue, release_date', movies.map(([id, revenue, date]) => `(${id}, 'M${id}', ${revenue ?? 'NULL'}, ${date ? `'${date}'` : 'NULL'})`));
    const dates = [...new Set(movies.map(([, , date]) => date).filter((date): date is string => date !== null))];
    await insert('release_dates', 'release_date, year, quarter, month, day', dates.map((date) => `('${date}', 2000, 1, ${Number(date.slice(5, 7))}, ${Number(date.slice(8))})`));
    await insert('genres', 'genre_id, name', [`(18, 'Drama')`, `(35, 'Comedy')`]);
    await insert('movie_genres', 'movie_id, genre_id', [...movies.map(([id]) => `(${id}, 18)`), `(5, 35)`, `(6, 35)`, `(7, 35)`]);

    const report = await queryReport(warehouse, names, { runId: 'r', minRatings: 1, now: new Date() });
    expect(report.box_office_by_month.map(({ month, movies: count, median_revenue }) => ({ month, count, median_revenue }))).toEqual([
      { month: 1, count: 4, median_revenue: 40 },
      { month: 2, count: 3, median_revenue: 7 },
      { month: 3, count: 1, median_revenue: 30 },
    ]);
    // The quarter's 8 movies: 5, 7, 10, 20, 30, 60, 900, 1000: the median is (20 + 30) / 2.
    expect(report.box_office_by_quarter).toEqual([{ quarter: 1, movies: 8, total_revenue: 2032, mean_revenue: 254, median_revenue: 25 }]);
    // Adjusted to February's prices (200): January's revenues doubled, February's as they are.
    // Drama: 20, 40, 120, 2000, 5, 7, 900 → median 40; Comedy: 5, 7, 900 → median 7.
    expect(report.genre_earnings_cpi.genres.map(({ genre, movies: count, median_adjusted_revenue }) => ({ genre, count, median_adjusted_revenue }))).toEqual([
      { genre: 'Drama', count: 7, median_adjusted_revenue: 40 },
      { genre: 'Comedy', count: 3, median_adjusted_revenue: 7 },
    ]);
    expect(report.genre_earnings_cpi).toMatchObject({ movies_without_cpi: 1, movies_without_release_date: 2 });
  }, 120_000);
});
