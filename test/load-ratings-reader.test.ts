/**
 * The ratings reader (tasks/load/ratings-reader.ts) on hand-made files: every rule of DESIGN.md
 * section 5 with its line number, the duplicate rule, files not grouped by user, batches and chunk
 * boundaries. The rows it hands over are checked value by value.
 */
import { layout } from '../tasks/core/lake/layout';
import { IdBitset } from '../tasks/core/id-bitset';
import { MovieIndex } from '../tasks/load/movie-index';
import { stageRatings } from '../tasks/load/ratings-staged';
import { NotGroupedError, RatingsReader, type RatingRejectReason } from '../tasks/load/ratings-reader';
import { parseMovieGenres, summedSummaries, type RatingsSummaryJson } from '../tasks/load/ratings-summary';
import { fileLake, readGzipText, removeTemporaryDirectories } from './transform-support';

afterAll(removeTemporaryDirectories);

/** MovieLens 1 and 9 both map to TMDB 862; 2 → 8844, 3 → 15602; 7 maps to nothing. */
const MOVIE_OF = new Map([
  [1, 862],
  [9, 862],
  [2, 8844],
  [3, 15602],
]);
/** MovieLens 8 and 10 map to TMDB ids that are not loaded movies (the same one, 99999). */
const LINKED = new Set([...MOVIE_OF.keys(), 8, 10]);
/** 2026-01-03 00:00:00 UTC: from then on a rating is in the future. */
const FUTURE_FROM = Date.UTC(2026, 0, 3) / 1000;

interface Rejected {
  line: number;
  reason: RatingRejectReason;
  detail: string;
  record: string;
}

async function read(lines: string[], options: { grouped?: boolean; batchRows?: number; chunks?: number[]; lineEnd?: string; summarise?: Array<[number, number]> } = {}) {
  const rejected: Rejected[] = [];
  const reader = new RatingsReader({
    object: 'ratings.csv',
    movieOf: MOVIE_OF,
    linked: LINKED,
    futureFrom: FUTURE_FROM,
    grouped: options.grouped ?? true,
    batchRows: options.batchRows,
    ...(options.summarise
      ? { summarise: { movies: Int32Array.from(options.summarise, ([movie]) => movie), genres: Int32Array.from(options.summarise, ([, genre]) => genre) } }
      : {}),
    onReject: async (line, reason, detail, record) => {
      rejected.push({ line, reason, detail, record });
    },
  });
  const body = Buffer.from(lines.join(options.lineEnd ?? '\r\n'));
  const rows: number[][] = [];
  const batchSizes: number[] = [];
  for await (const batch of reader.batches(chunked(body, options.chunks ?? [body.length]))) {
    batchSizes.push(batch.rows);
    for (let row = 0; row < batch.rows; row++) rows.push([...batch.values.subarray(row * 5, row * 5 + 5)]);
  }
  return { rows, rejected, counts: reader.counts, batchSizes, summary: reader.summary?.toJson() };
}

/** The body cut at the given offsets. */
async function* chunked(body: Buffer, cuts: number[]): AsyncGenerator<Buffer> {
  let start = 0;
  for (const cut of [...cuts, body.length]) {
    if (cut > start) yield body.subarray(start, cut);
    start = Math.max(start, cut);
  }
}

describe('ratings reader', () => {
  it('types, maps and keeps valid ratings: user, TMDB id, MovieLens id, rating in tenths, epoch seconds', async () => {
    const { rows, rejected, counts } = await read(['1,2,3.5,1260759144', '1,3,4,1260759179', '2,7,5.0,1000', '2,12345,1,1000', '3,2,0.5,0', '3,3,4.50,-0']);
    expect(rejected).toEqual([]);
    expect(rows).toEqual([
      [1, 8844, 2, 35, 1260759144],
      [1, 15602, 3, 40, 1260759179],
      [3, 8844, 2, 5, 0],
      [3, 15602, 3, 45, 0],
    ]);
    expect(counts).toEqual({
      ratings_total: 6,
      ratings_unmapped: 2,
      ratings_not_loaded: 0,
      ratings_mapped: 4,
      ratings_analysed: 4,
      rejected_by_reason: { unparsable: 0, out_of_range: 0, not_half_step: 0 },
    });
  });

  it('rejects each bad line with its physical line number (the header is line 1), reason, detail and text', async () => {
    const lines = [
      '1,2,3.0,1000', // line 2, kept
      '1,2,3.0', // 3
      '1,2,3.0,1000,9', // 4
      '', // 5
      'x,2,3.0,1000', // 6
      '1234567890,2,3.0,1000', // 7
      '1,2,3.,1000', // 8
      '1,2,.5,1000', // 9
      '1,2,1e3,1000', // 10
      '1,2,3.5,12345678901234', // 11
      '1,2,5.25,1000', // 12
      '1,2,0.25,1000', // 13
      '1,2,4.0,-1', // 14
      `1,2,4.0,${FUTURE_FROM}`, // 15
      '1,2,3.25,1000', // 16
      '1,2,2.75,1000', // 17
      `1,3,4.0,${FUTURE_FROM - 1}`, // 18, kept: the last second of the day of the load
    ];
    const { rows, rejected, counts } = await read(lines);
    expect(rejected).toEqual([
      { line: 3, reason: 'unparsable', detail: 'expected 4 fields (userId,movieId,rating,timestamp), found 3', record: '1,2,3.0' },
      { line: 4, reason: 'unparsable', detail: 'expected 4 fields (userId,movieId,rating,timestamp), found 5', record: '1,2,3.0,1000,9' },
      { line: 5, reason: 'unparsable', detail: 'expected 4 fields (userId,movieId,rating,timestamp), found 1', record: '' },
      { line: 6, reason: 'unparsable', detail: 'userId "x" is not a whole number of up to 9 digits', record: 'x,2,3.0,1000' },
      { line: 7, reason: 'unparsable', detail: 'userId "1234567890" is not a whole number of up to 9 digits', record: '1234567890,2,3.0,1000' },
      { line: 8, reason: 'unparsable', detail: 'rating "3." is not a number like 3 or 3.5 of up to 9 characters', record: '1,2,3.,1000' },
      { line: 9, reason: 'unparsable', detail: 'rating ".5" is not a number like 3 or 3.5 of up to 9 characters', record: '1,2,.5,1000' },
      { line: 10, reason: 'unparsable', detail: 'rating "1e3" is not a number like 3 or 3.5 of up to 9 characters', record: '1,2,1e3,1000' },
      { line: 11, reason: 'unparsable', detail: 'timestamp "12345678901234" is not epoch seconds of up to 12 characters', record: '1,2,3.5,12345678901234' },
      { line: 12, reason: 'out_of_range', detail: 'rating 5.25 is outside 0.5 to 5', record: '1,2,5.25,1000' },
      { line: 13, reason: 'out_of_range', detail: 'rating 0.25 is outside 0.5 to 5', record: '1,2,0.25,1000' },
      { line: 14, reason: 'out_of_range', detail: 'timestamp -1 is before 1970', record: '1,2,4.0,-1' },
      { line: 15, reason: 'out_of_range', detail: `timestamp ${FUTURE_FROM} is after the day of the load`, record: `1,2,4.0,${FUTURE_FROM}` },
      { line: 16, reason: 'not_half_step', detail: 'rating 3.25 is not a multiple of 0.5', record: '1,2,3.25,1000' },
      { line: 17, reason: 'not_half_step', detail: 'rating 2.75 is not a multiple of 0.5', record: '1,2,2.75,1000' },
    ]);
    expect(rows).toEqual([
      [1, 8844, 2, 30, 1000],
      [1, 15602, 3, 40, FUTURE_FROM - 1],
    ]);
    expect(counts.ratings_total).toBe(17);
    expect(counts.rejected_by_reason).toEqual({ unparsable: 9, out_of_range: 4, not_half_step: 2 });
  });

  it('reads quoted fields as their values, and rejects quotes that do not make four plain fields', async () => {
    const { rows, rejected } = await read(['"1","2","2.5","1000"', '"1,2",3,4.0,1000', '1,"3,4.0,1000', '1,3"x",4.0,1000']);
    expect(rows).toEqual([[1, 8844, 2, 25, 1000]]);
    expect(rejected.map(({ line, reason, detail }) => [line, reason, detail])).toEqual([
      [3, 'unparsable', 'malformed quotes: expected userId,movieId,rating,timestamp'],
      [4, 'unparsable', 'malformed quotes: expected userId,movieId,rating,timestamp'],
      [5, 'unparsable', 'malformed quotes: expected userId,movieId,rating,timestamp'],
    ]);
  });

  it('reads a line spelled as MovieLens writes it (its fast lane) as it reads the same values spelled otherwise, LF or CRLF', async () => {
    const plain = ['1,2,3.5,1260759144', '1,3,4,1260759179', '2,2,0.5,0', '2,3,5.0,999999999', '3,3,3.0,1'];
    const otherwise = ['1,2,3.50,1260759144', '1,3,4.0,1260759179', '2,2,0.50,00', '2,3,5.00,0999999999', '"3",3,3.0,1'];
    const expected = [
      [1, 8844, 2, 35, 1260759144],
      [1, 15602, 3, 40, 1260759179],
      [2, 8844, 2, 5, 0],
      [2, 15602, 3, 50, 999999999],
      [3, 15602, 3, 30, 1],
    ];
    for (const lines of [plain, otherwise]) {
      for (const lineEnd of ['\n', '\r\n']) {
        const { rows, rejected, counts } = await read([...lines, ''], { lineEnd });
        expect({ lines, lineEnd, rows, rejected, total: counts.ratings_total }).toEqual({ lines, lineEnd, rows: expected, rejected: [], total: 5 });
      }
    }
  });

  it('keeps one rating per user and TMDB movie: the latest, then the greatest, then the greater MovieLens id', async () => {
    const { rows, counts } = await read([
      '1,1,4.0,1000', // user 1: MovieLens 1 and 9 are TMDB 862; the later (9, at 2000) wins
      '1,9,5.0,2000',
      '2,9,4.5,1500', // user 2: same time, the greater rating wins whatever the order
      '2,1,3.0,1500',
      '3,1,4.0,1500', // user 3: same time and rating, the greater MovieLens id wins
      '3,9,4.0,1500',
      '4,1,4.0,1500', // user 4: the same line twice is kept once
      '4,1,4.0,1500',
    ]);
    expect(rows).toEqual([
      [1, 862, 9, 50, 2000],
      [2, 862, 9, 45, 1500],
      [3, 862, 9, 40, 1500],
      [4, 862, 1, 40, 1500],
    ]);
    expect(counts).toMatchObject({ ratings_mapped: 8, ratings_analysed: 4 });
  });

  it('counts each rating in the first bucket that applies: rejected, unmapped, not loaded, superseded, analysed', async () => {
    const { rows, rejected, counts } = await read([
      '1,1,4.0,1000', // superseded by the next line (MovieLens 9 is the same movie, rated later)
      '1,9,5.0,2000', // analysed
      '1,7,6.0,1000', // rejected (out of range) before it could be unmapped
      '1,7,3.0,1000', // unmapped: 7 has no TMDB id
      '1,7,3.5,1001', // unmapped, not superseded: a repeat of an unmapped movie is unmapped
      '1,12345,3.0,1000', // unmapped: no link at all
      '1,8,3.0,1000', // not loaded: 8 maps to TMDB 99999, not a loaded movie
      '1,10,3.0,1500', // not loaded, not superseded though 8 and 10 share a TMDB id
      '2,2,3.0,1000', // analysed
    ]);
    expect(rows).toEqual([
      [1, 862, 9, 50, 2000],
      [2, 8844, 2, 30, 1000],
    ]);
    expect(rejected.map((r) => r.reason)).toEqual(['out_of_range']);
    const superseded = counts.ratings_mapped - counts.ratings_analysed;
    expect({ ...counts, superseded }).toEqual({
      ratings_total: 9,
      ratings_unmapped: 3,
      ratings_not_loaded: 2,
      ratings_mapped: 3,
      ratings_analysed: 2,
      superseded: 1,
      rejected_by_reason: { unparsable: 0, out_of_range: 1, not_half_step: 0 },
    });
    expect(1 + counts.ratings_unmapped + counts.ratings_not_loaded + superseded + counts.ratings_analysed).toBe(counts.ratings_total);
  });

  it('stops where a user comes back after other users when told the file is grouped', async () => {
    const grouped = read(['1,2,3.0,1000', '2,2,3.0,1000', '1,3,3.0,1000']);
    await expect(grouped).rejects.toBeInstanceOf(NotGroupedError);
    await expect(grouped).rejects.toMatchObject({ line: 4, user: 1 });
    const { rows, counts } = await read(['1,2,3.0,1000', '2,2,3.0,1000', '1,3,3.0,1000', '1,2,4.0,2000'], { grouped: false });
    // Not grouped: each run of one user's lines is resolved here; the warehouse resolves the rest.
    expect(rows).toEqual([
      [1, 8844, 2, 30, 1000],
      [2, 8844, 2, 30, 1000],
      [1, 15602, 3, 30, 1000],
      [1, 8844, 2, 40, 2000],
    ]);
    expect(counts.ratings_analysed).toBe(4);
  });

  it('hands over every row in batches, a prolific user in one batch larger than the rest', async () => {
    const { rows, batchSizes } = await read(['1,2,3.0,1000', '2,2,3.0,1000', '3,2,3.0,1000', '5,2,4.0,1000', '5,3,4.0,1001', '6,3,1.0,1'], { batchRows: 2 });
    expect(batchSizes).toEqual([2, 4]);
    expect(rows).toEqual([
      [1, 8844, 2, 30, 1000],
      [2, 8844, 2, 30, 1000],
      [3, 8844, 2, 30, 1000],
      [5, 8844, 2, 40, 1000],
      [5, 15602, 3, 40, 1001],
      [6, 15602, 3, 10, 1],
    ]);
    const many = Array.from({ length: 5 }, (_, index) => `${10 + index},2,3.0,1000`);
    const manyRead = await read([...many, '20,2,1.0,1', '20,3,1.0,1', '20,1,1.0,1', '21,2,2.0,2'], { batchRows: 2 });
    expect(manyRead.batchSizes).toEqual([2, 2, 5]);
    expect(manyRead.rows.map((row) => row[0])).toEqual([10, 11, 12, 13, 14, 20, 20, 20, 21]);
  });

  it('gives the same result wherever the stream is cut, CRLF split or not, with or without a final line end', async () => {
    const lines = ['1,1,4.0,1000', '1,9,5.0,2000', '2,abc,3.0,1000', '3,3,0.5,1000'];
    const whole = await read(lines);
    // MovieLens 1 and 9 are one movie (862): the user's later rating is kept.
    expect(whole.rows).toEqual([
      [1, 862, 9, 50, 2000],
      [3, 15602, 3, 5, 1000],
    ]);
    expect(whole.rejected).toEqual([{ line: 4, reason: 'unparsable', detail: 'movieId "abc" is not a whole number of up to 9 digits', record: '2,abc,3.0,1000' }]);
    const length = Buffer.from(lines.join('\r\n')).length;
    for (let cut = 1; cut < length; cut++) {
      const split = await read(lines, { chunks: [cut, cut + 3] });
      expect({ cut, rows: split.rows, rejected: split.rejected }).toEqual({ cut, rows: whole.rows, rejected: whole.rejected });
    }
    const withFinalLineEnd = await read([...lines, '']);
    expect(withFinalLineEnd.rows).toEqual(whole.rows);
    expect(withFinalLineEnd.counts.ratings_total).toBe(4);
  });

  it('fails with DataError at the last line when the file ends mid-line (fewer than 4 fields, no line end), wherever the stream is cut', async () => {
    const lines = ['1,1,4.0,1000', '1,9,5.0,2000', '3,3'];
    const length = Buffer.from(lines.join('\r\n')).length;
    for (const cut of [1, 14, length - 2, length]) {
      await expect(read(lines, { chunks: [cut] })).rejects.toMatchObject({
        message: 'the input ends mid-line: the last line has 2 of 4 fields and no line end (a cut file)',
        context: { object: 'ratings.csv', line: 4 },
        exitCode: 65,
      });
    }
    // With its line end, a short line is one rejected rating.
    expect((await read([...lines, ''])).rejected).toEqual([{ line: 4, reason: 'unparsable', detail: 'expected 4 fields (userId,movieId,rating,timestamp), found 2', record: '3,3' }]);
  });
});

describe('ratings summary', () => {
  /** 862 is Animation (16) and Comedy (35); 8844 Adventure (12); 15602 Comedy; 99999 is no rated movie. */
  const GENRES: Array<[number, number]> = [[862, 16], [862, 35], [8844, 12], [15602, 35], [99999, 35]];
  const LINES = ['1,1,4.0,1000', '1,9,5.0,2000', '1,2,3.5,1000', '2,3,1.0,1000', '2,2,2.5,1000', '3,1,0.5,1000', '4,7,3.0,1000'];

  /** The summary computed the slow way from the rows handed over (user, TMDB id, MovieLens id, tenths, epoch). */
  function expectedFrom(rows: number[][]): Pick<RatingsSummaryJson, 'movies' | 'genres'> & { pairs: bigint; halves: bigint } {
    const movies = [...new Set(rows.map((row) => row[1] as number))].sort((a, b) => a - b);
    const genres = [...new Set(GENRES.map(([, genre]) => genre))].sort((a, b) => a - b);
    const usersOf = (genre: number) => new Set(rows.filter((row) => GENRES.some(([movie, g]) => g === genre && movie === row[1])).map((row) => row[0])).size;
    return {
      movies: {
        movie_id: movies,
        ratings_count: movies.map((movie) => rows.filter((row) => row[1] === movie).length),
        rating_tenths: movies.map((movie) => rows.filter((row) => row[1] === movie).reduce((sum, row) => sum + (row[3] as number), 0)),
      },
      genres: { genre_id: genres, users: genres.map(usersOf) },
      pairs: rows.reduce((sum, row) => sum + BigInt(row[0] as number) * BigInt(row[1] as number), 0n),
      halves: rows.reduce((sum, row) => sum + BigInt(row[1] as number) * BigInt((row[3] as number) / 5), 0n),
    };
  }

  it('counts per movie and users per genre from exactly the rows handed over, with their fingerprint', async () => {
    const { rows, summary } = await read(LINES, { summarise: GENRES });
    const expected = expectedFrom(rows);
    expect(rows).toHaveLength(5);
    expect(summary?.movies).toEqual(expected.movies);
    expect(summary?.genres).toEqual(expected.genres);
    expect(summary?.genres.users).toEqual([2, 2, 3]);
    expect(summary?.fingerprint).toEqual({
      ratings_pair_sum: String(expected.pairs),
      ratings_movie_halves_sum: String(expected.halves),
      movie_genres_rows: '5',
      movie_genres_movie_id_sum: String(862 + 862 + 8844 + 15602 + 99999),
      movie_genres_genre_id_sum: String(16 + 35 + 12 + 35 + 35),
      movie_genres_pair_sum: String(862 * 16 + 862 * 35 + 8844 * 12 + 15602 * 35 + 99999 * 35),
    });
    await expect(read(LINES, { summarise: GENRES, grouped: false })).rejects.toThrow(/grouped by user/);
  });

  it('reads the movie genres from their one text (no object per pair), and refuses a text that is not what the count says', () => {
    expect(parseMovieGenres('862:16,862:35,8844:12', 3)).toEqual({ movies: Int32Array.from([862, 862, 8844]), genres: Int32Array.from([16, 35, 12]) });
    expect(parseMovieGenres('', 0)).toEqual({ movies: new Int32Array(0), genres: new Int32Array(0) });
    expect(() => parseMovieGenres('862:16,862:35', 3)).toThrow(/hold 2 pairs, not 3/);
    expect(() => parseMovieGenres('862:1x', 1)).toThrow(/unexpected "x"/);
  });

  it('summed over shards of disjoint users, equals the summary of the whole; none when the shards saw other genres', async () => {
    const whole = (await read(LINES, { summarise: GENRES })).summary as RatingsSummaryJson;
    const first = (await read(LINES.slice(0, 3), { summarise: GENRES })).summary as RatingsSummaryJson;
    const rest = (await read(LINES.slice(3), { summarise: GENRES })).summary as RatingsSummaryJson;
    expect(summedSummaries([first, rest])).toEqual(whole);
    const otherGenres = (await read(LINES.slice(3), { summarise: GENRES.slice(1) })).summary as RatingsSummaryJson;
    expect(summedSummaries([first, otherGenres])).toBeUndefined();
    expect(summedSummaries([])).toBeUndefined();
  });
});

describe('movie index', () => {
  it('numbers TMDB movies densely, shares a number between MovieLens ids of one movie, and takes ids past the array range', () => {
    for (const huge of [2 ** 24, 2 ** 24 + 1, 999_999_999]) {
      const index = new MovieIndex(new Map([...MOVIE_OF, [huge, 42]]));
      expect(index.size).toBe(4);
      expect(index.dense(1)).toBe(index.dense(9));
      expect(index.tmdb(index.dense(9))).toBe(862);
      expect(index.tmdb(index.dense(huge))).toBe(42);
      expect([index.dense(7), index.dense(5), index.dense(huge + 1)]).toEqual([-1, -1, -1]);
    }
  });
});

describe('staged ratings (the Redshift route)', () => {
  it('writes gzip CSV parts of at most partRows rows in the staged conventions, replacing an earlier attempt', async () => {
    const lake = await fileLake();
    await lake.put(layout.staged('ratings', 'r1', 7), 'an earlier attempt');
    const { rows } = await read(['1,2,3.5,1260759144', '1,3,4,0', '2,2,0.5,1000', '3,1,5.0,946684800', '4,9,1.0,1']);
    const values = Float64Array.from(rows.flat());
    const batches = async function* () {
      yield { rows: 2, values: values.subarray(0, 10) };
      yield { rows: 3, values: values.subarray(10) };
    };
    const keys = await stageRatings(lake, 'ratings', 'r1', batches(), { partRows: 2 });
    expect(keys).toEqual([0, 1, 2].map((part) => layout.staged('ratings', 'r1', part)));
    expect((await lake.list(layout.stagedPrefix('ratings', 'r1'))).map((object) => object.key).sort()).toEqual(keys);
    const text = await Promise.all(keys.map((key) => readGzipText(lake, key)));
    const header = 'user_id,movie_id,movielens_id,rating,rated_at\n';
    expect(text).toEqual([
      `${header}1,8844,2,3.5,2009-12-14 02:52:24\n1,15602,3,4.0,1970-01-01 00:00:00\n`,
      `${header}2,8844,2,0.5,1970-01-01 00:16:40\n3,862,1,5.0,2000-01-01 00:00:00\n`,
      `${header}4,862,9,1.0,1970-01-01 00:00:01\n`,
    ]);
  });
  it("a shard's parts carry its name, and only its own earlier parts are removed (its neighbours may be running)", async () => {
    const lake = await fileLake();
    const shard = { index: 2, count: 3 };
    const neighbour = layout.stagedShard('ratings', 'r1', { index: 1, count: 3 }, 0);
    await lake.put(neighbour, 'shard 1, still running');
    await lake.put(layout.stagedShard('ratings', 'r1', shard, 4), 'an earlier attempt of shard 2');
    const { rows } = await read(['1,2,3.5,1260759144', '1,3,4,0', '2,2,0.5,1000']);
    const values = Float64Array.from(rows.flat());
    const keys = await stageRatings(lake, 'ratings', 'r1', (async function* () { yield { rows: 3, values }; })(), { partRows: 2, shard });
    expect(keys).toEqual(['staged/ratings/r1/part-02of03-00000.csv.gz', 'staged/ratings/r1/part-02of03-00001.csv.gz']);
    expect((await lake.list(layout.stagedPrefix('ratings', 'r1'))).map((object) => object.key).sort()).toEqual([neighbour, ...keys]);
    expect(await readGzipText(lake, keys[1] as string)).toBe('user_id,movie_id,movielens_id,rating,rated_at\n2,8844,2,0.5,1970-01-01 00:16:40\n');
  });
});

describe('finished users (IdBitset)', () => {
  it('holds ids from 0 to 9 digits, growing past its first size, and nothing it was not given', () => {
    const users = new IdBitset();
    const ids = [0, 1, 31, 32, 33, 32_767, 270_896, 27_089_600, 999_999_999];
    for (const id of ids) users.add(id);
    expect(ids.map((id) => users.has(id))).toEqual(ids.map(() => true));
    expect([2, 30, 34, 270_895, 270_897, 999_999_998, 4_000_000_000].map((id) => users.has(id))).toEqual(Array(7).fill(false));
    expect(() => users.add(-1)).toThrow(/not an id/);
    expect(() => users.add(1.5)).toThrow(/not an id/);
  });
});
