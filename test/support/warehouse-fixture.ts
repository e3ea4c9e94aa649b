/**
 * A hand-made run for the warehouse tests: staged gzip CSV parts for every contract dataset (some
 * keys repeated across parts, quoting, an embedded newline, NULL vs ""), the transform manifests,
 * and a raw ratings file (CRLF, no final newline) whose mapping is computed by hand below.
 */
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { Lake } from '../../tasks/core/lake/lake';
import { layout } from '../../tasks/core/lake/layout';
import { STAGED_DATASETS, stagedDataset, type TransformManifest, type TransformSource } from '../../tasks/core/staged';
import { buildManifest, writeManifest } from '../../tasks/transform/manifest';

export type Cell = string | number | boolean | null;

/** Staged rows per dataset, in contract column order; each inner array is one part. */
export const STAGED_PARTS: Record<string, Cell[][][]> = {
  movies: [
    [
      [862, 'tt0114709', 'Toy Story', 'Toy Story', 'en', 'Led by Woody, Andy\'s toys live happily in his room. "To infinity"\nand beyond.', null, 'Released', '1995-10-30', '81.0', 30000000, 373554033, '21.946943', '7.7', 5415, false, false, 'http://toystory.disney.com/toy-story', '/rhIRbceoE9lR4veEXuwCC2wARtG.jpg', 10194],
      [8844, 'tt0113497', 'Jumanji', 'Jumanji', 'en', 'When siblings Judy and Peter discover an enchanted board game…', 'Roll the dice and unleash the excitement!', 'Released', '1995-12-15', '104.0', 65000000, 262797249, '17.015539', '6.9', 2413, false, false, null, '/vzmL6fP7aPKNKPRTFnZmiUfciyV.jpg', null],
    ],
    [
      [15602, 'tt0113228', 'Grumpier Old Men', 'Grumpier Old Men', 'en', 'A family wedding reignites the ancient feud. Ärger!', '', 'Released', '1995-12-22', '101.0', null, null, '0.000082', '6.5', 92, false, false, null, null, 119050],
      [949, 'tt0113277', 'Heat', 'Heat', 'en', 'Obsessive master thief Neil McCauley leads a crew.', 'A Los Angeles Crime Saga', 'Released', '1995-12-15', '170.0', 60000000, 187436818, '17.924927', '7.7', 1886, false, false, null, null, null],
    ],
  ],
  genres: [
    [[16, 'Animation'], [35, 'Comedy'], [10751, 'Family'], [12, 'Adventure']],
    [[35, 'Comedy'], [14, 'Fantasy'], [28, 'Action'], [80, 'Crime'], [10749, 'Romance']],
  ],
  movie_genres: [
    [[862, 16], [862, 35], [862, 10751], [8844, 12], [8844, 14], [8844, 10751]],
    [[15602, 10749], [15602, 35], [949, 28], [949, 80], [862, 35]],
  ],
  collections: [[[10194, 'Toy Story Collection', '/7G9915LfUQ2lVfwMEEhDsn3kT4B.jpg', '/9FBwqcd9IRruEDUrTdcaafOMKUq.jpg'], [119050, 'Grumpy Old Men Collection', null, null]]],
  companies: [[[3, 'Pixar Animation Studios'], [559, 'TriStar Pictures'], [6194, 'Warner Bros.'], [508, 'Regency Enterprises']]],
  movie_companies: [[[862, 3], [8844, 559], [15602, 6194], [949, 508], [949, 6194]]],
  countries: [[['US', 'United States of America']]],
  movie_countries: [[[862, 'US'], [8844, 'US'], [15602, 'US'], [949, 'US']]],
  languages: [[['en', 'English'], ['fr', 'Français'], ['es', 'Español']]],
  movie_languages: [[[862, 'en'], [8844, 'en'], [8844, 'fr'], [15602, 'en'], [949, 'en'], [949, 'es']]],
  release_dates: [[['1995-10-30', 1995, 4, 10, 30, 1], ['1995-12-15', 1995, 4, 12, 15, 5]], [['1995-12-22', 1995, 4, 12, 22, 5], ['1995-12-15', 1995, 4, 12, 15, 5]]],
  people: [[[31, 'Tom Hanks', 2, '/pQFoyx7rp09CJTAb932F2g8Nlho.jpg'], [12898, 'Tim Allen', 2, null], [7879, 'John Lasseter', 2, null], [2157, 'Robin Williams', 2, null], [1158, 'Al Pacino', 2, null]]],
  cast_members: [
    [
      ['52fe4284c3a36847f8024f95', 862, 31, 'Woody (voice)', 0, 14],
      ['52fe4284c3a36847f8024f99', 862, 12898, 'Buzz Lightyear (voice)', 1, 15],
      ['52fe44bfc3a36847f80a7c73', 8844, 2157, 'Alan Parrish', 0, 1],
      ['52fe4292c3a36847f802916d', 949, 1158, 'Lt. Vincent Hanna', 0, 23],
    ],
  ],
  crew_members: [[['52fe4284c3a36847f8024f49', 862, 7879, 'Directing', 'Director']]],
  keywords: [[[931, 'jealousy'], [4290, 'toy'], [10090, 'board game']]],
  movie_keywords: [[[862, 931], [862, 4290], [8844, 10090]]],
  links: [[[1, '0114709', 862], [2, '0113497', 8844], [3, '0113228', 15602], [6, '0113277', 949], [7, '0114319', null], [8, '0112302', 99999], [9, '0114709', 862]]],
  cpi: [[['1995-09-01', '100.000'], ['1995-10-01', '100.250'], ['1995-11-01', '100.500'], ['1995-12-01', '100.750']]],
};

/**
 * The raw ratings (userId,movieId,rating,timestamp). By hand:
 * - users 1 and 2 rated MovieLens 1 and 9, which both map to TMDB 862: user 1 keeps the later
 *   rating (5.0 at 2000), user 2's are simultaneous and the greater wins (4.5);
 * - user 4's three ratings are left out: two unmapped (7's tmdbId is empty, 12345 has no link),
 *   one not loaded (8 maps to TMDB 99999, not a loaded movie);
 * - user 6 and 7's five are rejected: 5.5 and 0 out of range, 3.25 not a half step, "abc" and an
 *   empty rating unparsable.
 */
export const RAW_RATINGS_LINES = [
  'userId,movieId,rating,timestamp',
  '1,1,4.0,1000',
  '1,9,5.0,2000',
  '2,1,3.0,1500',
  '2,9,4.5,1500',
  '3,2,3.5,1000',
  '3,6,2.0,1100',
  '4,7,4.0,1200',
  '4,8,4.0,1300',
  '4,12345,3.0,1400',
  '5,3,0.5,1000',
  '5,1,5.0,1000',
  '6,1,5.5,1000',
  '6,2,0,1000',
  '6,3,3.25,1000',
  '6,abc,3.0,1000',
  '7,1,,1000',
];

/** The ratings the model must hold afterwards: user, TMDB movie, MovieLens id, rating, rated_at. */
export const EXPECTED_RATINGS = [
  { user_id: 1, movie_id: 862, movielens_id: 9, rating: 5, rated_at: '1970-01-01 00:33:20' },
  { user_id: 2, movie_id: 862, movielens_id: 9, rating: 4.5, rated_at: '1970-01-01 00:25:00' },
  { user_id: 3, movie_id: 949, movielens_id: 6, rating: 2, rated_at: '1970-01-01 00:18:20' },
  { user_id: 3, movie_id: 8844, movielens_id: 2, rating: 3.5, rated_at: '1970-01-01 00:16:40' },
  { user_id: 5, movie_id: 862, movielens_id: 1, rating: 5, rated_at: '1970-01-01 00:16:40' },
  { user_id: 5, movie_id: 15602, movielens_id: 3, rating: 0.5, rated_at: '1970-01-01 00:16:40' },
];

/**
 * The ratings ledger, one bucket per line read: 5 rejected + 2 unmapped + 1 not loaded + 2
 * superseded (users 1 and 2's other rating of TMDB 862) + 6 analysed = 16.
 */
export const EXPECTED_RATINGS_LEDGER = {
  ratings_total: 16,
  ratings_rejected: 5,
  ratings_unmapped: 2,
  ratings_not_loaded: 1,
  ratings_superseded: 2,
  ratings_analysed: 6,
};

export const EXPECTED_RATINGS_STATS: Record<string, number> = {
  ...EXPECTED_RATINGS_LEDGER,
  rejected_unparsable: 2,
  rejected_out_of_range: 2,
  rejected_not_half_step: 1,
};

/** The rejects file: the physical line (the header is line 1), `reason: detail`, the line as it was. */
export const EXPECTED_REJECTS_CSV = [
  'line,reason,record',
  '13,out_of_range: rating 5.5 is outside 0.5 to 5,"6,1,5.5,1000"',
  '14,out_of_range: rating 0 is outside 0.5 to 5,"6,2,0,1000"',
  '15,not_half_step: rating 3.25 is not a multiple of 0.5,"6,3,3.25,1000"',
  '16,"unparsable: movieId ""abc"" is not a whole number of up to 9 digits","6,abc,3.0,1000"',
  '17,unparsable: rating is empty,"7,1,,1000"',
].join('\n');

/** Rows staged per dataset (repeats included) and distinct keys, as the load counts them. */
export function stagedRowCount(dataset: string): number {
  return (STAGED_PARTS[dataset] ?? []).reduce((sum, part) => sum + part.length, 0);
}

export function csvLine(cells: readonly Cell[]): string {
  return cells
    .map((cell) => {
      if (cell === null) return '';
      const text = String(cell);
      return text === '' || /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    })
    .join(',');
}

export async function putGzip(lake: Lake, key: string, lines: Iterable<string>): Promise<void> {
  await lake.put(key, Readable.from((function* () { for (const line of lines) yield `${line}\n`; })()).pipe(createGzip()));
}

/** What a run may hold beyond the fixture: more staged parts per dataset, more raw ratings lines. */
export interface FixtureExtras {
  parts?: Record<string, Cell[][][]>;
  ratingsLines?: readonly string[];
}

/** Writes the whole fixture run (with any extras): staged parts, transform manifests and the raw ratings. */
export async function writeFixtureRun(lake: Lake, runId: string, extras: FixtureExtras = {}): Promise<void> {
  const outputs: Partial<Record<TransformSource, TransformManifest['outputs']>> = {};
  for (const dataset of STAGED_DATASETS) {
    const parts = [...(STAGED_PARTS[dataset.name] ?? []), ...(extras.parts?.[dataset.name] ?? [])];
    const objects: string[] = [];
    for (const [index, rows] of parts.entries()) {
      const key = layout.staged(dataset.name, runId, index);
      await putGzip(lake, key, [dataset.columns.map((column) => column.name).join(','), ...rows.map(csvLine)]);
      objects.push(key);
    }
    const rows = parts.reduce((sum, part) => sum + part.length, 0);
    outputs[dataset.source] = { ...outputs[dataset.source], [dataset.name]: { rows, objects } };
  }
  for (const [source, datasetOutputs] of Object.entries(outputs)) {
    await putFixtureManifest(lake, source as TransformSource, runId, datasetOutputs);
  }
  await lake.put(layout.raw('movies', runId, 'ratings.csv'), [...RAW_RATINGS_LINES, ...(extras.ratingsLines ?? [])].join('\r\n'));
}

/** A large staged links part (ids 1..rows), for loads that must be interrupted mid-COPY. */
export async function writeLargeLinks(lake: Lake, runId: string, rows: number): Promise<void> {
  const header = stagedDataset('links').columns.map((column) => column.name).join(',');
  await putGzip(
    lake,
    layout.staged('links', runId, 0),
    (function* () {
      yield header;
      for (let id = 1; id <= rows; id++) yield `${id},${String(id).padStart(7, '0')},${id + 1000000}`;
    })(),
  );
  await putFixtureManifest(lake, 'links', runId, { links: { rows, objects: [layout.staged('links', runId, 0)] } });
}

/** A finished transform's manifest naming the given outputs, written where the transform writes it. */
async function putFixtureManifest(lake: Lake, source: TransformSource, runId: string, outputs: TransformManifest['outputs']): Promise<void> {
  const object = { key: `raw/${source}/${runId}/fixture.csv`, bytes: 0 };
  // Every record read was staged: the rows of the dataset that holds the source's records, if any.
  const inputRows = STAGED_DATASETS.filter((dataset) => dataset.source === source && dataset.holdsSourceRecords).reduce((sum, dataset) => sum + (outputs[dataset.name]?.rows ?? 0), 0);
  await writeManifest(lake, buildManifest({ source, runId, object, inputRows, rejectedByReason: {}, rejectedBytesByReason: {}, rejectsObject: null, outputs, maxRejectRatio: 0 }));
}
