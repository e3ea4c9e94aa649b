/**
 * A tiny hand-made dataset and an independent computation of its report (DESIGN.md §5), written
 * with plain arrays and loops — no SQL — so the warehouse's answers can be checked number by number.
 * The data exercises every rule: a duplicated movie row, a MovieLens id with no TMDB id, a TMDB id
 * that is not a loaded movie, two MovieLens ids mapped to one TMDB id rated by the same user,
 * revenue 0 (unknown), a missing release date, and a release month without CPI. The CPI file is
 * written as a data portal re-publishes it (`"Date","CUSR0000SS62031"`, `101.5` for `101.500`).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

interface FixtureMovie {
  id: number;
  title: string;
  genres: Array<[number, string]>;
  releaseDate: string; // '' when unknown
  revenue: number; // 0 = unknown
  budget: number;
}

export const MOVIES: FixtureMovie[] = [
  { id: 862, title: 'Toy Story', genres: [[16, 'Animation'], [35, 'Comedy'], [10751, 'Family']], releaseDate: '1995-10-30', revenue: 373554033, budget: 30000000 },
  { id: 8844, title: 'Jumanji', genres: [[12, 'Adventure'], [14, 'Fantasy'], [10751, 'Family']], releaseDate: '1995-12-15', revenue: 262797249, budget: 65000000 },
  { id: 15602, title: "Grumpier Old Men", genres: [[10749, 'Romance'], [35, 'Comedy']], releaseDate: '1995-12-22', revenue: 0, budget: 0 },
  { id: 31357, title: 'Waiting to Exhale', genres: [[35, 'Comedy'], [18, 'Drama'], [10749, 'Romance']], releaseDate: '1995-12-22', revenue: 81452156, budget: 16000000 },
  { id: 11862, title: 'Father of the Bride Part II', genres: [[35, 'Comedy']], releaseDate: '1995-02-10', revenue: 76578911, budget: 0 },
  { id: 949, title: 'Heat', genres: [[28, 'Action'], [80, 'Crime'], [18, 'Drama'], [53, 'Thriller']], releaseDate: '1995-12-15', revenue: 187436818, budget: 60000000 },
  { id: 11860, title: 'Sabrina', genres: [[35, 'Comedy'], [10749, 'Romance']], releaseDate: '', revenue: 53000000, budget: 58000000 },
  { id: 45325, title: 'Tom and Huck', genres: [[28, 'Action'], [12, 'Adventure'], [18, 'Drama'], [10751, 'Family']], releaseDate: '1979-06-01', revenue: 23920048, budget: 0 },
];
/** The source file repeats this movie's row; the first occurrence is the one kept. */
export const DUPLICATED_MOVIE_ID = 949;

/** MovieLens movieId → TMDB id ('' = no TMDB id). */
export const LINKS: Array<[number, string, string]> = [
  [1, '0114709', '862'],
  [2, '0113497', '8844'],
  [3, '0113228', '15602'],
  [4, '0114885', '31357'],
  [5, '0113041', '11862'],
  [6, '0113277', '949'],
  [7, '0114319', '11860'],
  [8, '0112302', '45325'],
  [9, '0114576', ''], // no TMDB id: unmapped
  [10, '0113189', '999999'], // not a loaded movie: not_loaded
  [11, '0114709', '862'], // a second MovieLens id for Toy Story
];

/** userId, movieId, rating, timestamp. */
export const RATINGS: Array<[number, number, number, number]> = [
  [1, 1, 4.0, 1000], [1, 11, 5.0, 2000], [1, 2, 3.5, 1000], [1, 6, 4.5, 1000], [1, 9, 2.0, 1000],
  [2, 1, 3.0, 3000], [2, 11, 2.5, 1000], [2, 3, 4.0, 1000], [2, 4, 3.0, 1000], [2, 10, 1.0, 1000],
  [3, 1, 5.0, 1000], [3, 11, 4.0, 1000], [3, 2, 2.0, 1000], [3, 6, 5.0, 1000], [3, 7, 3.5, 1000],
  [4, 2, 4.5, 1000], [4, 5, 3.0, 1000], [4, 6, 4.0, 1000], [4, 8, 0.5, 1000],
  [5, 1, 4.5, 1000], [5, 6, 3.5, 1000], [5, 4, 2.5, 1000], [5, 11, 1.5, 500],
];

/** Monthly CPI from 1995-01, with one missing value ('.'); 1979-06 is not covered, so Tom and Huck has no CPI. */
export const CPI: Array<[string, string]> = [
  ['1995-01-01', '100.000'], ['1995-02-01', '101.500'], ['1995-03-01', '101.750'], ['1995-04-01', '102.000'],
  ['1995-05-01', '102.250'], ['1995-06-01', '102.500'], ['1995-07-01', '102.750'], ['1995-08-01', '103.000'],
  ['1995-09-01', '103.500'], ['1995-10-01', '104.000'], ['1995-11-01', '104.250'], ['1995-12-01', '105.000'],
  ['1996-01-01', '.'], ['1996-02-01', '110.500'],
];

const HEADER =
  'adult,belongs_to_collection,budget,genres,homepage,id,imdb_id,original_language,original_title,overview,popularity,poster_path,production_companies,production_countries,release_date,revenue,runtime,spoken_languages,status,tagline,title,video,vote_average,vote_count';

const COLLECTION = `"{'id': 10194, 'name': 'Toy Story Collection', 'poster_path': None, 'backdrop_path': None}"`;

function movieRow(m: FixtureMovie, index: number): string {
  const genres = `"[${m.genres.map(([id, name]) => `{'id': ${id}, 'name': '${name}'}`).join(', ')}]"`;
  const title = m.title.includes(',') ? `"${m.title}"` : m.title;
  return [
    'False', index === 0 ? COLLECTION : '', String(m.budget), genres, '', String(m.id), `tt${String(1000000 + index)}`, 'en', title,
    '"An overview, with a comma."', '1.5', '/p.jpg', `"[{'name': 'Studio ${index % 2}', 'id': ${index % 2 + 1}}]"`,
    "\"[{'iso_3166_1': 'US', 'name': 'United States of America'}]\"", m.releaseDate, String(m.revenue), '90.0',
    "\"[{'iso_639_1': 'en', 'name': 'English'}]\"", 'Released', '', title, 'False', '6.5', '10',
  ].join(',');
}

/** One cast member and one crew member per movie, in the credits.csv Python-literal style. */
function creditsRow(m: FixtureMovie, index: number): string {
  const person = 100 + (index % 4);
  const cast = `[{'cast_id': 1, 'character': 'Lead', 'credit_id': 'c${m.id}', 'gender': 2, 'id': ${person}, 'name': 'Actor ${person}', 'order': 0, 'profile_path': None}]`;
  const crew = `[{'credit_id': 'd${m.id}', 'department': 'Directing', 'gender': 0, 'id': 200, 'job': 'Director', 'name': 'A Director', 'profile_path': None}]`;
  return `"${cast}","${crew}",${m.id}`;
}

/** Writes the fixture as Kaggle/FRED files into `folder`. */
export async function writeReportFixture(folder: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  const movieRows = MOVIES.map(movieRow);
  const duplicate = MOVIES.findIndex((m) => m.id === DUPLICATED_MOVIE_ID);
  movieRows.push(movieRow({ ...MOVIES[duplicate]!, title: 'Heat (duplicate row)', revenue: 1 }, duplicate));
  await writeFile(path.join(folder, 'movies_metadata.csv'), `${HEADER}\n${movieRows.join('\n')}\n`);
  await writeFile(path.join(folder, 'links.csv'), `movieId,imdbId,tmdbId\r\n${LINKS.map((l) => l.join(',')).join('\r\n')}\r\n`);
  await writeFile(
    path.join(folder, 'ratings.csv'),
    `userId,movieId,rating,timestamp\r\n${RATINGS.map(([u, m, r, t]) => `${u},${m},${r.toFixed(1)},${t}`).join('\r\n')}\r\n`,
  );
  await writeFile(path.join(folder, 'credits.csv'), `cast,crew,id\n${MOVIES.map(creditsRow).join('\n')}\n`);
  await writeFile(
    path.join(folder, 'keywords.csv'),
    `id,keywords\n${MOVIES.map((m, i) => `${m.id},"[{'id': ${900 + (i % 3)}, 'name': 'keyword ${i % 3}'}]"`).join('\n')}\n`,
  );
  // Written as a data portal re-publishes the FRED series: a quoted, mixed-case header and values
  // without trailing zeros (`100`, `101.5`); the same numbers as FRED's own `100.000`.
  const cpiLines = CPI.map(([month, value]) => `${month},${value === '.' ? value : String(Number(value))}`);
  await writeFile(path.join(folder, 'CUSR0000SS62031.csv'), `"Date","CUSR0000SS62031"\r\n${cpiLines.join('\r\n')}\r\n`);
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
/** The middle value; of an even count, the mean of the two middle values. */
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** The report of the fixture, computed directly from the arrays above. */
export function expectedReport(minRatings: number) {
  const movies = new Map(MOVIES.map((m) => [m.id, m]));
  const tmdbOf = new Map(LINKS.filter(([, , t]) => t !== '').map(([ml, , t]) => [ml, Number(t)]));
  const mapped = RATINGS.filter(([, ml]) => movies.has(tmdbOf.get(ml) ?? -1));
  // One rating per (user, TMDB movie): the latest, then the highest.
  const kept = new Map<string, { user: number; movie: number; rating: number; ts: number }>();
  for (const [user, ml, rating, ts] of mapped) {
    const movie = tmdbOf.get(ml)!;
    const key = `${user}/${movie}`;
    const current = kept.get(key);
    if (!current || ts > current.ts || (ts === current.ts && rating > current.rating)) kept.set(key, { user, movie, rating, ts });
  }
  const ratings = [...kept.values()];
  const overallMean = mean(ratings.map((r) => r.rating));

  const byMovie = new Map<number, number[]>();
  for (const r of ratings) byMovie.set(r.movie, [...(byMovie.get(r.movie) ?? []), r.rating]);
  const highest = [...byMovie.entries()]
    .filter(([, rs]) => rs.length >= minRatings)
    .map(([id, rs]) => {
      const v = rs.length;
      const R = mean(rs);
      return {
        movie_id: id,
        title: movies.get(id)!.title,
        mean_rating: R,
        ratings_count: v,
        weighted_rating: (v / (v + minRatings)) * R + (minRatings / (v + minRatings)) * overallMean,
      };
    })
    .sort((a, b) => b.mean_rating - a.mean_rating || b.ratings_count - a.ratings_count || a.movie_id - b.movie_id)
    .slice(0, 10);

  const genreNames = [...new Set(MOVIES.flatMap((m) => m.genres.map(([, n]) => n)))];
  const popular = genreNames
    .map((genre) => {
      const rs = ratings.filter((r) => movies.get(r.movie)!.genres.some(([, n]) => n === genre));
      return { genre, ratings_count: rs.length, users: new Set(rs.map((r) => r.user)).size, mean_rating: rs.length ? mean(rs.map((r) => r.rating)) : null };
    })
    .filter((g) => g.ratings_count > 0)
    .sort((a, b) => b.ratings_count - a.ratings_count || a.genre.localeCompare(b.genre));

  const earning = MOVIES.filter((m) => m.revenue > 0 && m.releaseDate !== '');
  const byPeriod = (period: (m: FixtureMovie) => number, name: 'month' | 'quarter') =>
    [...new Set(earning.map(period))].sort((a, b) => a - b).map((p) => {
      const revenues = earning.filter((m) => period(m) === p).map((m) => m.revenue);
      return { [name]: p, movies: revenues.length, total_revenue: sum(revenues), mean_revenue: mean(revenues), median_revenue: median(revenues) };
    });
  const monthOf = (m: FixtureMovie) => Number(m.releaseDate.slice(5, 7));

  const cpi = new Map(CPI.filter(([, v]) => v !== '.').map(([d, v]) => [d, Number(v)]));
  const referenceMonth = [...cpi.keys()].sort().at(-1)!;
  const withCpi = MOVIES.filter((m) => m.revenue > 0 && cpi.has(`${m.releaseDate.slice(0, 7)}-01`));
  const adjusted = (m: FixtureMovie) => (m.revenue * cpi.get(referenceMonth)!) / cpi.get(`${m.releaseDate.slice(0, 7)}-01`)!;
  const cpiGenres = genreNames
    .map((genre) => {
      const values = withCpi.filter((m) => m.genres.some(([, n]) => n === genre)).map(adjusted);
      return {
        genre,
        movies: values.length,
        total_adjusted_revenue: sum(values),
        mean_adjusted_revenue: values.length ? mean(values) : null,
        median_adjusted_revenue: values.length ? median(values) : null,
      };
    })
    .filter((g) => g.movies > 0)
    .sort((a, b) => b.total_adjusted_revenue - a.total_adjusted_revenue);

  return {
    parameters: { min_ratings: minRatings },
    coverage: {
      movies: MOVIES.length,
      ratings_total: RATINGS.length,
      ratings_rejected: 0,
      ratings_unmapped: RATINGS.filter(([, ml]) => !tmdbOf.has(ml)).length,
      ratings_not_loaded: RATINGS.filter(([, ml]) => tmdbOf.has(ml) && !movies.has(tmdbOf.get(ml)!)).length,
      ratings_superseded: mapped.length - ratings.length,
      ratings_analysed: ratings.length,
    },
    highest_rated: highest,
    popular_genres: popular,
    box_office_by_month: byPeriod(monthOf, 'month'),
    box_office_by_quarter: byPeriod((m) => Math.ceil(monthOf(m) / 3), 'quarter'),
    genre_earnings_cpi: {
      reference_month: referenceMonth,
      movies_without_cpi: MOVIES.filter((m) => m.revenue > 0 && m.releaseDate !== '').length - withCpi.length,
      movies_without_release_date: MOVIES.filter((m) => m.revenue > 0 && m.releaseDate === '').length,
      genres: cpiGenres,
    },
  };
}
