/**
 * What the quality check and the report would otherwise aggregate from 26M ratings, counted by the
 * load on its way past each user's kept ratings (ratings-reader.ts flushUser): the ratings per
 * movie, the distinct users per genre, and a fingerprint of the rows written. The fingerprint is
 * what makes the summaries safe to read: sql/ratings-summary/verified.sql computes it
 * again from the tables in one scan, and readers use the summaries only when it agrees.
 *
 * Fingerprint: with the row count (ratings_analysed), the sums of user id × movie id and of movie
 * id × rating in halves (each mod 2^62, to stay a BIGINT at any scale): what the summaries rest on,
 * the (user, movie) pairs and each movie's ratings. A row added, removed, doubled, or changed in a
 * key or a rating (NULL included) changes it. Only two sums: each aggregate costs the scan that
 * verifies them about 0.15 s per 26M rows. Of movie_genres, the pairs the users per genre were
 * counted against: their count, the sums of movie ids, of genre ids and of their products.
 *
 * Memory: a few numbers per movie and per genre, whatever the size of the file.
 */
import type { RowBatch, TypedColumn } from '../core/warehouse/typed-rows';
import type { MovieIndex } from './movie-index';

/** The rows of movie_genres, as two columns: row i is (movies[i], genres[i]). Flat, as 94k pairs at full scale. */
export interface MovieGenres {
  movies: Int32Array;
  genres: Int32Array;
}

/** Every fingerprint sum is kept mod 2^62, so that it stays a BIGINT in load_stats at any scale. */
const MODULUS = 2n ** 62n;
const wrap = (sum: bigint): bigint => sum % MODULUS;

export const MOVIE_TOTAL_COLUMNS: readonly TypedColumn[] = [
  { name: 'movie_id', type: 'int4' },
  { name: 'ratings_count', type: 'int4' },
  { name: 'rating_sum', type: 'tenths' },
];
export const GENRE_USER_COLUMNS: readonly TypedColumn[] = [
  { name: 'genre_id', type: 'int4' },
  { name: 'users', type: 'int4' },
];

/** The fingerprint of the ratings written, each sum mod 2^62. */
export const RATINGS_FINGERPRINT_KEYS = ['ratings_pair_sum', 'ratings_movie_halves_sum'] as const;
/** The fingerprint of the movie_genres rows the users per genre were counted against. */
export const GENRE_FINGERPRINT_KEYS = ['movie_genres_rows', 'movie_genres_movie_id_sum', 'movie_genres_genre_id_sum', 'movie_genres_pair_sum'] as const;

/** The fingerprint as load_stats metrics, each a decimal string (sums beyond 2^53 stay exact). */
export type RatingsFingerprint = Record<(typeof RATINGS_FINGERPRINT_KEYS)[number] | (typeof GENRE_FINGERPRINT_KEYS)[number], string>;

/** A summary as JSON (a shard's manifest): parallel arrays, summed over shards by the commit. */
export type RatingsSummaryJson = {
  /** TMDB id, ratings, sum of ratings in tenths; one entry per rated movie. */
  movies: { movie_id: number[]; ratings_count: number[]; rating_tenths: number[] };
  genres: { genre_id: number[]; users: number[] };
  fingerprint: RatingsFingerprint;
};

/**
 * `movie:genre,movie:genre,…` (sql/load/ratings/summary/select-movie-genres.sql) into two columns, read
 * character by character: no string or array per pair. `pairs` is how many the text holds.
 */
export function parseMovieGenres(text: string, pairs: number): MovieGenres {
  const parsed: MovieGenres = { movies: new Int32Array(pairs), genres: new Int32Array(pairs) };
  let row = 0;
  let value = 0;
  let sign = 1;
  for (let at = 0; at <= text.length; at++) {
    const code = at < text.length ? text.charCodeAt(at) : COMMA;
    if (code >= ZERO && code <= NINE) value = value * 10 + (code - ZERO);
    else if (code === MINUS) sign = -1;
    else if (code === COLON || code === COMMA) {
      if (code === COLON) parsed.movies[row] = sign * value;
      else if (at > 0) parsed.genres[row++] = sign * value;
      value = 0;
      sign = 1;
    } else throw new TypeError(`unexpected ${JSON.stringify(text[at])} at ${at} in the movie genres`);
  }
  if (row !== pairs) throw new TypeError(`the movie genres hold ${row} pairs, not ${pairs}`);
  return parsed;
}

const ZERO = 0x30;
const NINE = 0x39;
const MINUS = 0x2d;
const COLON = 0x3a;
const COMMA = 0x2c;

export class RatingsSummary {
  private readonly ratingsOf: Float64Array;
  private readonly tenthsOf: Float64Array;
  /** Each movie's sum of the ids of the users who rated it: the pair sum, folded per movie at the end. */
  private readonly userIdsOf: Float64Array;
  private readonly genreIds: number[];
  /** 32-bit words of genre bits per movie (one word for TMDB's 20 genres). */
  private readonly words: number;
  /** Each dense movie's genres as bits: words [m * words, (m + 1) * words). */
  private readonly movieMasks: Int32Array;
  /** The current user's genres, as bits. */
  private readonly userMask: Int32Array;
  private readonly usersOf: Float64Array;
  private readonly genresFingerprint: Pick<RatingsFingerprint, (typeof GENRE_FINGERPRINT_KEYS)[number]>;

  constructor(
    private readonly movies: MovieIndex,
    movieGenres: MovieGenres,
  ) {
    this.ratingsOf = new Float64Array(movies.size);
    this.tenthsOf = new Float64Array(movies.size);
    this.userIdsOf = new Float64Array(movies.size);
    this.genreIds = [...new Set(movieGenres.genres)].sort((a, b) => a - b);
    const genreNumber = new Map(this.genreIds.map((genre, index) => [genre, index]));
    const denseOf = new Map<number, number>();
    for (let dense = 0; dense < movies.size; dense++) denseOf.set(movies.tmdb(dense), dense);
    this.words = Math.max(1, Math.ceil(this.genreIds.length / 32));
    this.movieMasks = new Int32Array(movies.size * this.words);
    movieGenres.movies.forEach((movie, row) => {
      const dense = denseOf.get(movie);
      if (dense === undefined) return;
      const genre = genreNumber.get(movieGenres.genres[row] as number) as number;
      const word = dense * this.words + (genre >>> 5);
      this.movieMasks[word] = (this.movieMasks[word] as number) | (1 << (genre & 31));
    });
    this.userMask = new Int32Array(this.words);
    this.usersOf = new Float64Array(this.genreIds.length);
    this.genresFingerprint = genresFingerprint(movieGenres);
  }

  /** One user's kept ratings: `movies[i]` (dense numbers) rated `tenths[i]`, for i < kept. */
  addUser(user: number, movies: Int32Array, tenths: Int32Array, kept: number): void {
    const words = this.words;
    const userMask = this.userMask;
    userMask.fill(0);
    for (let slot = 0; slot < kept; slot++) {
      const movie = movies[slot] as number;
      this.ratingsOf[movie] = (this.ratingsOf[movie] as number) + 1;
      this.tenthsOf[movie] = (this.tenthsOf[movie] as number) + (tenths[slot] as number);
      this.userIdsOf[movie] = (this.userIdsOf[movie] as number) + user;
      for (let word = 0; word < words; word++) userMask[word] = (userMask[word] as number) | (this.movieMasks[movie * words + word] as number);
    }
    // Each genre the user rated a movie of counts the user once.
    for (let word = 0; word < words; word++) {
      let bits = userMask[word] as number;
      while (bits !== 0) {
        const bit = 31 - Math.clz32(bits & -bits);
        this.usersOf[word * 32 + bit] = (this.usersOf[word * 32 + bit] as number) + 1;
        bits &= bits - 1;
      }
    }
  }

  toJson(): RatingsSummaryJson {
    const movies: RatingsSummaryJson['movies'] = { movie_id: [], ratings_count: [], rating_tenths: [] };
    let pairSum = 0n;
    let movieHalvesSum = 0n;
    for (let dense = 0; dense < this.movies.size; dense++) {
      const count = this.ratingsOf[dense] as number;
      const tenths = this.tenthsOf[dense] as number;
      const userIds = this.userIdsOf[dense] as number;
      if (count === 0) continue;
      const movieId = this.movies.tmdb(dense);
      movies.movie_id.push(movieId);
      movies.ratings_count.push(count);
      movies.rating_tenths.push(tenths);
      // Sums of user id × movie id and of movie id × halves, per movie: exact in BigInt.
      pairSum = wrap(pairSum + BigInt(movieId) * BigInt(userIds));
      movieHalvesSum = wrap(movieHalvesSum + BigInt(movieId) * BigInt(tenths / 5));
    }
    const genres: RatingsSummaryJson['genres'] = { genre_id: [...this.genreIds], users: Array.from(this.usersOf) };
    const fingerprint: RatingsFingerprint = {
      ratings_pair_sum: pairSum.toString(),
      ratings_movie_halves_sum: movieHalvesSum.toString(),
      ...this.genresFingerprint,
    };
    return { movies, genres, fingerprint };
  }
}

/**
 * The summaries of shards that cover disjoint users, as one (users per genre add up because no user
 * spans two shards). Undefined when the shards counted users per genre against different
 * movie_genres (reloaded between them): then no summary is written, and readers aggregate.
 */
export function summedSummaries(parts: readonly RatingsSummaryJson[]): RatingsSummaryJson | undefined {
  const first = parts[0];
  if (!first) return undefined;
  const sameGenres = (part: RatingsSummaryJson): boolean =>
    GENRE_FINGERPRINT_KEYS.every((key) => part.fingerprint[key] === first.fingerprint[key]) &&
    part.genres.genre_id.join() === first.genres.genre_id.join();
  if (!parts.every(sameGenres)) return undefined;
  const movies = new Map<number, [number, number]>();
  const sums = Object.fromEntries(RATINGS_FINGERPRINT_KEYS.map((key) => [key, 0n])) as Record<(typeof RATINGS_FINGERPRINT_KEYS)[number], bigint>;
  const users = first.genres.genre_id.map(() => 0);
  for (const part of parts) {
    part.movies.movie_id.forEach((movie, index) => {
      const total = movies.get(movie) ?? [0, 0];
      total[0] += part.movies.ratings_count[index] as number;
      total[1] += part.movies.rating_tenths[index] as number;
      movies.set(movie, total);
    });
    part.genres.users.forEach((count, index) => (users[index] = (users[index] as number) + count));
    for (const key of RATINGS_FINGERPRINT_KEYS) sums[key] = wrap(sums[key] + BigInt(part.fingerprint[key] as string));
  }
  const ids = [...movies.keys()].sort((a, b) => a - b);
  return {
    movies: {
      movie_id: ids,
      ratings_count: ids.map((id) => (movies.get(id) as [number, number])[0]),
      rating_tenths: ids.map((id) => (movies.get(id) as [number, number])[1]),
    },
    genres: { genre_id: [...first.genres.genre_id], users },
    fingerprint: {
      ...first.fingerprint,
      ...(Object.fromEntries(RATINGS_FINGERPRINT_KEYS.map((key) => [key, sums[key].toString()])) as Record<(typeof RATINGS_FINGERPRINT_KEYS)[number], string>),
    },
  };
}

/** The summary's rows for ratings_by_movie and ratings_users_by_genre, as typed batches to COPY. */
export function summaryBatches(summary: RatingsSummaryJson): { movies: RowBatch; genres: RowBatch } {
  const { movie_id, ratings_count, rating_tenths } = summary.movies;
  const movies = new Float64Array(movie_id.length * MOVIE_TOTAL_COLUMNS.length);
  movie_id.forEach((id, index) => movies.set([id, ratings_count[index] as number, rating_tenths[index] as number], index * MOVIE_TOTAL_COLUMNS.length));
  const { genre_id, users } = summary.genres;
  const genres = new Float64Array(genre_id.length * GENRE_USER_COLUMNS.length);
  genre_id.forEach((id, index) => genres.set([id, users[index] as number], index * GENRE_USER_COLUMNS.length));
  return { movies: { rows: movie_id.length, values: movies }, genres: { rows: genre_id.length, values: genres } };
}

function genresFingerprint({ movies, genres }: MovieGenres): RatingsSummary['genresFingerprint'] {
  let movieIdSum = 0n;
  let genreIdSum = 0n;
  let pairSum = 0n;
  movies.forEach((movie, row) => {
    const genre = genres[row] as number;
    movieIdSum = wrap(movieIdSum + BigInt(movie));
    genreIdSum = wrap(genreIdSum + BigInt(genre));
    pairSum = wrap(pairSum + BigInt(movie) * BigInt(genre));
  });
  return {
    movie_genres_rows: String(movies.length),
    movie_genres_movie_id_sum: movieIdSum.toString(),
    movie_genres_genre_id_sum: genreIdSum.toString(),
    movie_genres_pair_sum: pairSum.toString(),
  };
}
