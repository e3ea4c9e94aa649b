/**
 * What the generate-sample tests share: generating into a temporary folder, reading a generated
 * file with a strict CSV parser, and the real extracts the output is compared with.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'fast-csv';
import { FileLake } from '../tasks/core/lake/file-lake';
import { createLogger } from '../tasks/core/log';
import { generateSample, type GenerateSampleOptions } from '../tasks/generate-sample';
import type { SampleSummary } from '../tasks/generate-sample/summary';

export const REAL_SAMPLE = path.join(__dirname, 'fixtures', 'real-sample');
export const DATA_FILES = ['movies_metadata.csv', 'ratings.csv', 'links.csv', 'credits.csv', 'keywords.csv', 'CUSR0000SS62031.csv'] as const;

/** Generated file → the real extract with the same format. */
export const REAL_COUNTERPART: Record<(typeof DATA_FILES)[number], string> = {
  'movies_metadata.csv': 'movies_metadata.csv',
  'ratings.csv': 'ratings_small.csv',
  'links.csv': 'links_small.csv',
  'credits.csv': 'credits.csv',
  'keywords.csv': 'keywords.csv',
  'CUSR0000SS62031.csv': 'CUSR0000SS62031.csv',
};

export interface GeneratedSample {
  dir: string;
  summary: SampleSummary;
}

const folders: string[] = [];

/** A fresh temporary folder, removed by removeTemporaryFolders() (a small sample is ~55 MB). */
export async function temporaryFolder(label: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), `generate-sample-${label}-`));
  folders.push(dir);
  return dir;
}

export async function removeTemporaryFolders(): Promise<void> {
  await Promise.all(folders.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

export async function generateInto(options: Partial<GenerateSampleOptions> & Pick<GenerateSampleOptions, 'scale'>): Promise<GeneratedSample> {
  const dir = await temporaryFolder(options.scale);
  const summary = await generateSample(
    { seed: 42, cpiDateHeader: 'DATE', ...options },
    { out: new FileLake(pathToFileURL(dir).href), logger: createLogger('generate-sample', { level: 'error' }) },
  );
  return { dir, summary };
}

export interface StrictRead {
  headers: string[];
  rows: number;
  invalidRows: number;
}

/**
 * Reads a CSV with fast-csv's strict column handling: a record with more or fewer fields than
 * the header is reported as invalid instead of being padded or truncated.
 */
export function readStrict(file: string, onRow: (row: Record<string, string>) => void = () => {}): Promise<StrictRead> {
  return new Promise((resolve, reject) => {
    let headers: string[] = [];
    let invalidRows = 0;
    createReadStream(file)
      .pipe(parse<Record<string, string>, Record<string, string>>({ headers: true, strictColumnHandling: true }))
      .on('headers', (names: string[]) => (headers = names))
      .on('data', onRow)
      .on('data-invalid', () => invalidRows++)
      .on('error', reject)
      .on('end', (rows: number) => resolve({ headers, rows: rows - invalidRows, invalidRows }));
  });
}

/** The first line of a file, its line ending included. */
export async function headerBytes(file: string): Promise<Buffer> {
  const bytes = await readFile(file);
  return bytes.subarray(0, bytes.indexOf(0x0a) + 1);
}

export async function sha256(file: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
}

/** Each user's ratings, checked as they stream past: values, order, no movie twice. */
export interface RatingsShape {
  ratings: number;
  users: number;
  sum: number;
  badValues: string[];
  repeats: number;
  outOfOrder: number;
  minTimestamp: number;
  maxTimestamp: number;
  perUser: Map<string, number>;
  perMovie: Map<string, number>;
}

export async function readRatings(file: string): Promise<RatingsShape & StrictRead> {
  const shape: RatingsShape = {
    ratings: 0,
    users: 0,
    sum: 0,
    badValues: [],
    repeats: 0,
    outOfOrder: 0,
    minTimestamp: Number.POSITIVE_INFINITY,
    maxTimestamp: 0,
    perUser: new Map(),
    perMovie: new Map(),
  };
  const seen = new Set<string>();
  let previous: [number, number] = [0, 0];
  const read = await readStrict(file, (row) => {
    const user = Number(row.userId);
    const movie = Number(row.movieId);
    const rating = row.rating ?? '';
    if (!/^[0-5]\.[05]$/.test(rating) || Number(rating) < 0.5 || Number(rating) > 5) shape.badValues.push(rating);
    const key = `${user}:${movie}`;
    if (seen.has(key)) shape.repeats++;
    seen.add(key);
    if (user < previous[0] || (user === previous[0] && movie <= previous[1])) shape.outOfOrder++;
    previous = [user, movie];
    const timestamp = Number(row.timestamp);
    shape.minTimestamp = Math.min(shape.minTimestamp, timestamp);
    shape.maxTimestamp = Math.max(shape.maxTimestamp, timestamp);
    shape.ratings++;
    shape.sum += Number(rating);
    shape.perUser.set(row.userId ?? '', (shape.perUser.get(row.userId ?? '') ?? 0) + 1);
    shape.perMovie.set(row.movieId ?? '', (shape.perMovie.get(row.movieId ?? '') ?? 0) + 1);
  });
  shape.users = shape.perUser.size;
  return { ...shape, ...read };
}

export interface MoviesShape {
  records: Array<Record<string, string>>;
  ids: Map<string, number>;
}

export async function readMovies(file: string): Promise<MoviesShape & StrictRead> {
  const records: Array<Record<string, string>> = [];
  const read = await readStrict(file, (row) => records.push(row));
  const ids = new Map<string, number>();
  for (const record of records) ids.set(record.id ?? '', (ids.get(record.id ?? '') ?? 0) + 1);
  return { records, ids, ...read };
}

export interface LinksShape {
  entries: Array<{ movieId: string; imdbId: string; tmdbId: string }>;
}

export async function readLinks(file: string): Promise<LinksShape & StrictRead> {
  const entries: LinksShape['entries'] = [];
  const read = await readStrict(file, (row) => entries.push({ movieId: row.movieId ?? '', imdbId: row.imdbId ?? '', tmdbId: row.tmdbId ?? '' }));
  return { ...read, entries };
}

/** TMDB ids that two or more MovieLens ids map to. */
export function doublyMapped(links: LinksShape['entries']): string[] {
  const count = new Map<string, number>();
  for (const { tmdbId } of links) if (tmdbId !== '') count.set(tmdbId, (count.get(tmdbId) ?? 0) + 1);
  return [...count].filter(([, n]) => n > 1).map(([id]) => id);
}

const CAST_ENTRY = /^\[\{'cast_id': \d+, 'character': .*?, 'credit_id': '[0-9a-f]{24}', 'gender': [012], 'id': \d+, 'name': .+?, 'order': 0, 'profile_path': (None|'\/[A-Za-z0-9]{27}\.jpg')\}/;
const CREW_ENTRY = /^\[\{'credit_id': '[0-9a-f]{24}', 'department': '[^']+', 'gender': [012], 'id': \d+, 'job': '[^']+', 'name': .+?, 'profile_path': (None|'\/[A-Za-z0-9]{27}\.jpg')\}/;
const KEYWORDS_LIST = /^\[(\{'id': \d+, 'name': ('[^']*'|"[^"]*")\}(, |\]$))*$|^\[\]$/;
/** A Python string in double quotes because it holds an apostrophe: `"Workin' Man Films"`. */
const APOSTROPHE_IN_DOUBLE_QUOTES = /: "[^"]*'[^"]*"/;

/** Which quirks of the real files a generated folder holds: every value should be true. */
export async function quirksFound(dir: string): Promise<Record<string, boolean>> {
  const bytes = async (name: string) => readFile(path.join(dir, name));
  const [moviesBytes, ratingsBytes, linksBytes] = await Promise.all(['movies_metadata.csv', 'ratings.csv', 'links.csv'].map(bytes)) as [Buffer, Buffer, Buffer];
  const lfFiles = await Promise.all(['movies_metadata.csv', 'credits.csv', 'keywords.csv', 'CUSR0000SS62031.csv'].map(bytes));
  const movies = await readMovies(path.join(dir, 'movies_metadata.csv'));
  const links = await readLinks(path.join(dir, 'links.csv'));
  const m = movies.records;
  const some = (test: (movie: Record<string, string>) => boolean) => m.some(test);
  const column = (movie: Record<string, string>, name: string) => movie[name] ?? '';
  let castInOrder = 0;
  let crewInOrder = 0;
  let creditsApostrophe = false;
  await readStrict(path.join(dir, 'credits.csv'), (row) => {
    if (CAST_ENTRY.test(row.cast ?? '')) castInOrder++;
    if (CREW_ENTRY.test(row.crew ?? '')) crewInOrder++;
    if (APOSTROPHE_IN_DOUBLE_QUOTES.test(row.cast ?? '')) creditsApostrophe = true;
  });
  let keywordLists = 0;
  let keywordRows = 0;
  await readStrict(path.join(dir, 'keywords.csv'), (row) => {
    keywordRows++;
    if (KEYWORDS_LIST.test(row.keywords ?? '')) keywordLists++;
  });
  const crlfOnly = (file: Buffer) => count(file, '\r\n') > 0 && count(file, '\r\n') === count(file, '\n');
  return {
    ratingsCrlf: crlfOnly(ratingsBytes),
    linksCrlf: crlfOnly(linksBytes),
    otherFilesLf: lfFiles.every((file) => !file.includes(13)),
    someFileWithoutFinalNewline: [...lfFiles, ratingsBytes, linksBytes].some((file) => file.at(-1) !== 0x0a),
    multilineQuotedField: some((movie) => /\n - Written by /.test(column(movie, 'overview'))),
    doubledQuote: moviesBytes.includes('""') && some((movie) => column(movie, 'overview').includes('"')),
    pythonNone: some((movie) => column(movie, 'belongs_to_collection').includes(': None')),
    pythonTrue: some((movie) => column(movie, 'adult') === 'True' || column(movie, 'video') === 'True'),
    apostropheStringInDoubleQuotes: some((movie) => APOSTROPHE_IN_DOUBLE_QUOTES.test(column(movie, 'production_companies'))) && creditsApostrophe,
    escapedQuoteInLiteral: some((movie) => column(movie, 'production_companies').includes("\\'")),
    sciNotationPopularity: some((movie) => /^\d(\.\d+)?e-\d\d$/.test(column(movie, 'popularity'))),
    revenueAsFloatInteger: some((movie) => /^[1-9]\d*\.0$/.test(column(movie, 'revenue'))),
    revenueAsInteger: some((movie) => /^[1-9]\d*$/.test(column(movie, 'revenue'))),
    budgetAsFloatInteger: some((movie) => /^[1-9]\d*\.0$/.test(column(movie, 'budget'))),
    voteCountAsFloatInteger: some((movie) => /^\d+\.0$/.test(column(movie, 'vote_count'))),
    runtimeAsFloat: m.every((movie) => /^(\d+\.0)?$/.test(column(movie, 'runtime'))),
    emptyReleaseDate: some((movie) => column(movie, 'release_date') === ''),
    emptyRuntime: some((movie) => column(movie, 'runtime') === ''),
    emptyStatus: some((movie) => column(movie, 'status') === ''),
    nonAsciiText: moviesBytes.some((byte) => byte >= 0x80),
    nonLatinTitle: some((movie) => /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Cyrillic}\p{Script=Arabic}]/u.test(column(movie, 'original_title'))),
    fourByteUtf8: moviesBytes.some((byte) => byte >= 0xf0),
    duplicatedMovieId: [...movies.ids.values()].some((n) => n > 1),
    emptyTmdbId: links.entries.some((link) => link.tmdbId === ''),
    doublyMappedTmdbId: doublyMapped(links.entries).length > 0,
    tmdbIdAbsentFromMovies: links.entries.some((link) => link.tmdbId !== '' && !movies.ids.has(link.tmdbId)),
    imdbIdWithLeadingZeros: links.entries.every((link) => /^\d{7}$/.test(link.imdbId)) && links.entries.some((link) => link.imdbId.startsWith('0')),
    moreMovieLensIdsThanMovies: links.entries.length > movies.ids.size,
    creditsInTmdbKeyOrder: castInOrder > 0 && crewInOrder > 0,
    keywordsAsPythonLists: keywordRows > 0 && keywordLists === keywordRows,
  };
}

function count(file: Buffer, text: string): number {
  let found = 0;
  for (let at = file.indexOf(text); at >= 0; at = file.indexOf(text, at + text.length)) found++;
  return found;
}
