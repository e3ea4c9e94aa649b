/**
 * The catalogue of bad inputs (DESIGN.md §8: bad input gets a clear error and loses nothing). One
 * row per case: which file, how it is broken, the step that meets it, the exit code it must end
 * with and the reject reasons it must produce. Every case also checks that nothing is lost or half
 * written: input = accepted + rejected, every reject is in the rejects file with its line, and a
 * step that fails before its manifest leaves nothing of the run behind in the lake.
 *
 * Row-level damage rejects the record and the step succeeds while the rejects stay under
 * --max-reject-ratio; file-level damage (header, encoding, an empty or binary file, a wrong CPI
 * series, a corrupt archive) fails the step with exit 65. The decisions for debatable cases are
 * listed in the README's "Reliability and security" section.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { exitCodeFor } from '../../tasks/core/errors';
import { FileLake } from '../../tasks/core/lake/file-lake';
import { getJson } from '../../tasks/core/lake/lake';
import { layout } from '../../tasks/core/lake/layout';
import { STAGED_DATASETS, type TransformManifest, type TransformSource } from '../../tasks/core/staged';
import { WarehouseNames } from '../../tasks/core/warehouse/identifiers';
import { openWarehouse } from '../../tasks/core/warehouse/open-warehouse';
import type { Warehouse } from '../../tasks/core/warehouse/warehouse';
import { createTables } from '../../tasks/create-tables/index';
import { load } from '../../tasks/load/index';
import type { LoadDeps } from '../../tasks/load/deps';
import { readCsvRecords } from '../../tasks/transform/csv-reader';
import { MOVIES_HEADER } from '../../tasks/transform/sources/movies';
import { REAL_SAMPLE_DIR } from '../support/real-sample';
import { buildZip, type ZipInput } from '../support/servers/kaggle-server';
import { readRejects, runCli, runTransform } from '../transform-support';
import { tableChecksums } from './support';
import { silentLogger } from '../support/silent-logger';

type Step =
  | { kind: 'transform'; source: TransformSource }
  /** extract-cpi, then (when it succeeds) transform cpi. */
  | { kind: 'extract-cpi' }
  /** extract-movies of a zip. */
  | { kind: 'extract-movies' }
  /** load ratings: the raw ratings.csv, typed and mapped in SQL, over loaded links and movies. */
  | { kind: 'load-ratings' }
  /** load of a staged dataset whose part was damaged in the lake after the transform. */
  | { kind: 'load-staged'; dataset: string };

interface BadInput {
  file: string;
  broken: string;
  step: Step;
  /** The file's bytes as the step meets them (a zip for extract-movies). */
  input: () => Buffer | string | Promise<Buffer | string>;
  exit: 0 | 65;
  /** Rejects by reason; {} when the step rejects nothing (or fails before rejecting). */
  rejects: Record<string, number>;
  /** The error message of a failing step. */
  error?: RegExp;
  /** Default 0.1: one bad record in a small file is tolerated, a handful is not. */
  maxRejectRatio?: number;
}

const silent = silentLogger();
const real = (name: string) => readFile(path.join(REAL_SAMPLE_DIR, name));

// ---------------------------------------------------------------------------------------------
// Building broken files from real records.

type MovieField = (typeof MOVIES_HEADER)[number];
let movieRecords: string[][] = [];
let creditRecords: string[][] = [];
let keywordRecords: string[][] = [];

async function recordsOf(file: string): Promise<string[][]> {
  const records: string[][] = [];
  for await (const record of readCsvRecords([await real(file)], { object: file })) records.push(record.fields);
  return records;
}

/** A CSV line as Python's csv module writes it: quoted only when needed. */
const csvLine = (fields: readonly string[]) => fields.map((f) => (/[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(',');

/** Toy Story with another id and the given fields changed. */
function movie(id: number, changes: Partial<Record<MovieField, string>> = {}): string {
  const fields = [...(movieRecords[1] as string[])];
  fields[MOVIES_HEADER.indexOf('id')] = String(id);
  for (const [name, value] of Object.entries(changes)) fields[MOVIES_HEADER.indexOf(name as MovieField)] = value as string;
  return csvLine(fields);
}

/** The header and the first 20 real movies, then `extra` records: input rows = 20 + extra. */
const movies = (...extra: string[]) => [csvLine(MOVIES_HEADER), ...movieRecords.slice(1, 21).map(csvLine), ...extra].join('\n') + '\n';
const moviesWithHeader = (header: string) => [header, ...movieRecords.slice(1, 21).map(csvLine)].join('\n') + '\n';

/** The real credits (15 records) plus `extra` records. */
const credits = (...extra: string[]) => [...creditRecords.map(csvLine), ...extra].join('\n') + '\n';
const credit = (id: number, cast: string, crew = '[]') => csvLine([cast, crew, String(id)]);
const keywords = (...extra: string[]) => [...keywordRecords.map(csvLine), ...extra].join('\n') + '\n';

/** The first 50 real links (CRLF, as in the real file) plus `extra` lines. */
async function links(...extra: string[]): Promise<string> {
  const lines = (await real('links_small.csv')).toString('utf8').split('\r\n').slice(0, 51);
  return [...lines, ...extra].join('\r\n') + '\r\n';
}
/** 10 links, then one whose imdbId opens a quote that a stray quote 40 lines later closes. */
async function linksSwallowed(): Promise<string> {
  const lines = (await links()).split('\r\n').slice(0, 11);
  const swallowed = Array.from({ length: 40 }, (_, i) => `${900100 + i},0114709,${900100 + i}`);
  return [...lines, '900003,"0114709,862', ...swallowed, '900004,0114709",862'].join('\r\n') + '\r\n';
}
async function linksWithHeader(header: string): Promise<string> {
  return (await links()).replace(/^[^\r]*/, header);
}

/** The real CPI file with `edit` applied to its lines (header first). */
async function cpi(edit: (lines: string[]) => string[] = (lines) => lines): Promise<string> {
  const lines = (await real('CUSR0000SS62031.csv')).toString('utf8').trimEnd().split('\n');
  return edit(lines).join('\n') + '\n';
}

/** The real CPI file with the value of 2010-06 replaced. */
const cpiValue = (value: string) => cpi((lines) => lines.map((line) => (line.startsWith('2010-06-01') ? `2010-06-01,${value}` : line)));

/** The first 200 real ratings (CRLF, no final newline as in the real file) plus `extra` lines. */
async function ratings(...extra: string[]): Promise<string> {
  const lines = (await real('ratings_small.csv')).toString('utf8').split('\r\n').slice(0, 201);
  return [...lines, ...extra].join('\r\n');
}

const SAMPLE_FILES: ZipInput[] = [
  { name: 'movies_metadata.csv', file: path.join(REAL_SAMPLE_DIR, 'movies_metadata.csv') },
  { name: 'ratings_small.csv', file: path.join(REAL_SAMPLE_DIR, 'ratings_small.csv') },
  { name: 'links_small.csv', file: path.join(REAL_SAMPLE_DIR, 'links_small.csv') },
  { name: 'credits.csv', file: path.join(REAL_SAMPLE_DIR, 'credits.csv') },
  { name: 'keywords.csv', file: path.join(REAL_SAMPLE_DIR, 'keywords.csv') },
];
const zipOf = (entries: ZipInput[]) => buildZip(entries);

/** A PNG's first bytes and then noise: what a mis-pointed download might be. */
const BINARY = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 151 + 7) % 256))]);

// ---------------------------------------------------------------------------------------------
// The catalogue.

const MOVIES: Step = { kind: 'transform', source: 'movies' };
const LINKS: Step = { kind: 'transform', source: 'links' };
const CREDITS: Step = { kind: 'transform', source: 'credits' };
const KEYWORDS: Step = { kind: 'transform', source: 'keywords' };
const CPI: Step = { kind: 'extract-cpi' };
const MOVIES_ZIP: Step = { kind: 'extract-movies' };
const RATINGS: Step = { kind: 'load-ratings' };

const CATALOGUE: BadInput[] = [
  // movies_metadata.csv: the file
  { file: 'movies_metadata.csv', broken: 'a header column renamed (budget → budjet)', step: MOVIES, input: () => moviesWithHeader(MOVIES_HEADER.join(',').replace('budget', 'budjet')), exit: 65, rejects: {}, error: /wrong header "adult,belongs_to_collection,budjet/ },
  { file: 'movies_metadata.csv', broken: 'no header: the file starts with a record', step: MOVIES, input: () => movies().split('\n').slice(1).join('\n'), exit: 65, rejects: {}, error: /wrong header "False,/ },
  { file: 'movies_metadata.csv', broken: 'header columns in another order', step: MOVIES, input: () => moviesWithHeader(['id', ...MOVIES_HEADER.filter((name) => name !== 'id')].join(',')), exit: 65, rejects: {}, error: /wrong header "id,adult/ },
  { file: 'movies_metadata.csv', broken: 'empty file (0 bytes)', step: MOVIES, input: () => '', exit: 65, rejects: {}, error: /empty input: expected the header/ },
  { file: 'movies_metadata.csv', broken: 'header only, no record', step: MOVIES, input: () => `${MOVIES_HEADER.join(',')}\n`, exit: 65, rejects: {}, error: /no records after the header/ },
  { file: 'movies_metadata.csv', broken: 'binary file (PNG bytes)', step: MOVIES, input: () => BINARY, exit: 65, rejects: {}, error: /invalid UTF-8 in input/ },
  { file: 'movies_metadata.csv', broken: 'invalid UTF-8: a Latin-1 é in a title', step: MOVIES, input: () => Buffer.concat([Buffer.from(movies()), Buffer.from(movie(9100001, { title: 'Caf' })), Buffer.from([0xe9]), Buffer.from('\n')]), exit: 65, rejects: {}, error: /invalid UTF-8 in input.*line=2[0-9]/ },
  { file: 'movies_metadata.csv', broken: 'invalid UTF-8: surrogate bytes (ED A0 80, CESU-8) in a title', step: MOVIES, input: () => Buffer.concat([Buffer.from(movies()), Buffer.from(movie(9100002, { title: 'Caf' })), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('\n')]), exit: 65, rejects: {}, error: /invalid UTF-8 in input.*line=2[0-9].*byteOffset=[1-9]/ },
  { file: 'movies_metadata.csv', broken: 'invalid UTF-8 deep in the file, after the staged parts were started', step: MOVIES, input: async () => Buffer.concat([await real('movies_metadata.csv'), Buffer.from([0x78, 0xe9, 0x79, 0x0a])]), exit: 65, rejects: {}, error: /invalid UTF-8 in input.*line=403.*byteOffset=334611/ },
  { file: 'movies_metadata.csv', broken: 'unterminated quote in the last record', step: MOVIES, input: () => movies(`${movie(9100004).slice(0, -10)},"never closed`).replace(/\n$/, ''), exit: 65, rejects: {}, error: /unterminated quoted field at the end of the input.*line=22/ },
  { file: 'movies_metadata.csv', broken: 'cut inside a quoted field (the real file truncated at half its bytes)', step: MOVIES, input: async () => (await real('movies_metadata.csv')).subarray(0, 168_274), exit: 65, rejects: {}, error: /unterminated quoted field at the end of the input.*line=201/ },
  { file: 'movies_metadata.csv', broken: 'cut mid-line: the last record stops in its 7th field, no final newline', step: MOVIES, input: () => movies(movie(9100030).slice(0, movie(9100030).indexOf(',9100030,') + 13)).replace(/\n$/, ''), exit: 65, rejects: {}, error: /the input ends mid-line: the last record has 7 of 24 fields.*line=22/ },
  { file: 'movies_metadata.csv', broken: 'a complete last record without a final newline (as some real files end): sound', step: MOVIES, input: () => movies(movie(9100031)).replace(/\n$/, ''), exit: 0, rejects: {} },
  { file: 'movies_metadata.csv', broken: 'a 10 MB overview: 1 record of 21, but 99% of the bytes rejected', step: MOVIES, input: () => movies(movie(9100005, { overview: 'x'.repeat(10 * 1024 * 1024) })), exit: 65, rejects: { value_too_long: 1 }, error: /^\d+ of \d+ bytes rejected \(ratio 0\.99\d+, in 1 records.*above --max-reject-ratio 0\.1/ },
  { file: 'movies_metadata.csv', broken: 'more bad records than --max-reject-ratio allows (5 of 25 > 0.1)', step: MOVIES, input: () => movies(...[1, 2, 3, 4, 5].map((n) => movie(9100100 + n, { budget: `${n}x` }))), exit: 65, rejects: { invalid_number: 5 }, error: /5 of 25 records rejected .* above --max-reject-ratio 0\.1/ },
  // movies_metadata.csv: one record
  { file: 'movies_metadata.csv', broken: 'a record with a column missing (23 of 24 fields)', step: MOVIES, input: () => movies(movie(9100002).replace(/,[^,]*$/, '')), exit: 0, rejects: { wrong_field_count: 1 } },
  { file: 'movies_metadata.csv', broken: 'shifted columns: the id holds a date (the real corrupt rows)', step: MOVIES, input: () => movies(movie(9100003, { id: '1997-08-20' })), exit: 0, rejects: { invalid_id: 1 } },
  { file: 'movies_metadata.csv', broken: 'an imdb_id of 40 characters (the model holds 16)', step: MOVIES, input: () => movies(movie(9100006, { imdb_id: `tt${'1'.repeat(38)}` })), exit: 0, rejects: { value_too_long: 1 } },
  { file: 'movies_metadata.csv', broken: 'duplicate id (as 105045 in the real file): the first is kept, not counted against the ratio', step: MOVIES, input: () => movies(movie(862, { title: 'Toy Story again' })), maxRejectRatio: 0.001, exit: 0, rejects: { duplicate_id: 1 } },
  { file: 'movies_metadata.csv', broken: 'a release date in the future (2031-05-01, an announced movie): kept', step: MOVIES, input: () => movies(movie(9100007, { release_date: '2031-05-01', status: 'Planned' })), exit: 0, rejects: {} },
  { file: 'movies_metadata.csv', broken: 'a placeholder release date 0000-01-01 (no such year in SQL)', step: MOVIES, input: () => movies(movie(9100008, { release_date: '0000-01-01' })), exit: 0, rejects: { invalid_date: 1 } },
  { file: 'movies_metadata.csv', broken: 'a release date 9999-12-31 (beyond 2100)', step: MOVIES, input: () => movies(movie(9100009, { release_date: '9999-12-31' })), exit: 0, rejects: { invalid_date: 1 } },
  { file: 'movies_metadata.csv', broken: 'a release date that does not exist (2017-02-30)', step: MOVIES, input: () => movies(movie(9100010, { release_date: '2017-02-30' })), exit: 0, rejects: { invalid_date: 1 } },
  { file: 'movies_metadata.csv', broken: 'a negative budget', step: MOVIES, input: () => movies(movie(9100011, { budget: '-5000000' })), exit: 0, rejects: { out_of_range: 1 } },
  { file: 'movies_metadata.csv', broken: 'a budget in scientific notation (3e7)', step: MOVIES, input: () => movies(movie(9100012, { budget: '3e7' })), exit: 0, rejects: { invalid_number: 1 } },
  { file: 'movies_metadata.csv', broken: 'id 0', step: MOVIES, input: () => movies(movie(0)), exit: 0, rejects: { invalid_id: 1 } },
  { file: 'movies_metadata.csv', broken: 'id beyond 32 bits (3000000000)', step: MOVIES, input: () => movies(movie(3_000_000_000)), exit: 0, rejects: { invalid_id: 1 } },
  { file: 'movies_metadata.csv', broken: 'vote_average 11.5 (TMDB votes are 0 to 10)', step: MOVIES, input: () => movies(movie(9100013, { vote_average: '11.5' })), exit: 0, rejects: { out_of_range: 1 } },
  { file: 'movies_metadata.csv', broken: 'runtime of 100,000 minutes (the model holds NUMERIC(7, 2))', step: MOVIES, input: () => movies(movie(9100014, { runtime: '100000' })), exit: 0, rejects: { out_of_range: 1 } },
  { file: 'movies_metadata.csv', broken: 'popularity 1e400 (no double holds it)', step: MOVIES, input: () => movies(movie(9100015, { popularity: '1e400' })), exit: 0, rejects: { out_of_range: 1 } },
  { file: 'movies_metadata.csv', broken: 'genres not a Python literal (cut off)', step: MOVIES, input: () => movies(movie(9100016, { genres: "[{'id': 16, 'name': 'Anim" })), exit: 0, rejects: { malformed_python_literal: 1 } },
  { file: 'movies_metadata.csv', broken: 'a NUL character in the title', step: MOVIES, input: () => movies(movie(9100017, { title: 'Toy\0Story' })), exit: 0, rejects: { invalid_text: 1 } },
  { file: 'movies_metadata.csv', broken: 'adult = Maybe', step: MOVIES, input: () => movies(movie(9100018, { adult: 'Maybe' })), exit: 0, rejects: { invalid_boolean: 1 } },
  // links.csv
  { file: 'links.csv', broken: 'wrong header (tmdbId missing)', step: LINKS, input: () => linksWithHeader('movieId,imdbId'), exit: 65, rejects: {}, error: /wrong header "movieId,imdbId"/ },
  { file: 'links.csv', broken: 'cut mid-line (CRLF file, the last line "900002,01147" without its line end)', step: LINKS, input: async () => (await links('900002,01147')).replace(/\r\n$/, ''), exit: 65, rejects: {}, error: /the input ends mid-line: the last record has 2 of 3 fields.*line=52/ },
  { file: 'links.csv', broken: 'an unbalanced quote swallows 40 lines up to a stray quote: 1 record of 11, most of the bytes', step: LINKS, input: () => linksSwallowed(), exit: 65, rejects: { value_too_long: 1 }, error: /^\d+ of \d+ bytes rejected \(ratio 0\.\d+, in 1 records.*above --max-reject-ratio 0\.1/ },
  { file: 'links.csv', broken: 'a tmdbId that is not a number', step: LINKS, input: () => links('900001,0114709,abc'), exit: 0, rejects: { invalid_number: 1 } },
  { file: 'links.csv', broken: 'a movieId that is a date', step: LINKS, input: () => links('1997-08-20,0114709,862'), exit: 0, rejects: { invalid_id: 1 } },
  { file: 'links.csv', broken: 'a movieId repeated', step: LINKS, input: () => links('1,0114709,862'), maxRejectRatio: 0.001, exit: 0, rejects: { duplicate_id: 1 } },
  // credits.csv and keywords.csv
  { file: 'credits.csv', broken: 'a cast literal cut off', step: CREDITS, input: () => credits(credit(9100020, "[{'cast_id': 14, 'character': 'Woody'")), exit: 0, rejects: { malformed_python_literal: 1 } },
  { file: 'credits.csv', broken: 'crew a dict instead of a list', step: CREDITS, input: () => credits(credit(9100021, '[]', "{'id': 1}")), exit: 0, rejects: { unexpected_python_literal: 1 } },
  { file: 'credits.csv', broken: 'a 2,000-character character name (the model holds 1,024 bytes for names)', step: CREDITS, input: () => credits(credit(9100022, `[{'cast_id': 1, 'character': 'W', 'credit_id': 'c9100022', 'gender': 2, 'id': 31, 'name': '${'N'.repeat(2000)}', 'order': 0, 'profile_path': None}]`)), exit: 0, rejects: { value_too_long: 1 } },
  { file: 'keywords.csv', broken: 'a keyword id that is text', step: KEYWORDS, input: () => keywords(csvLine(['9100023', "[{'id': 'x', 'name': 'toy'}]"])), exit: 0, rejects: { unexpected_python_literal: 1 } },
  // The CPI (extract-cpi validates the FRED file, then transform cpi stages it)
  { file: 'CUSR0000SS62031.csv', broken: 'the wrong CPI series (CPIAUCSL)', step: CPI, input: () => cpi((lines) => ['DATE,CPIAUCSL', ...lines.slice(1)]), exit: 65, rejects: {}, error: /wrong CPI series: the file holds CPIAUCSL, expected CUSR0000SS62031/ },
  { file: 'CUSR0000SS62031.csv', broken: 'a row with month 13', step: CPI, input: () => cpi((lines) => [...lines, '2016-13-01,230.000']), exit: 65, rejects: {}, error: /bad CPI row "2016-13-01,230\.000".*line=140/ },
  { file: 'CUSR0000SS62031.csv', broken: 'dates out of order', step: CPI, input: () => cpi((lines) => [...lines, '2005-02-01,135.500']), exit: 65, rejects: {}, error: /CPI dates out of order/ },
  { file: 'CUSR0000SS62031.csv', broken: 'empty file', step: CPI, input: () => '', exit: 65, rejects: {}, error: /empty CPI file/ },
  { file: 'CUSR0000SS62031.csv', broken: 'binary file', step: CPI, input: () => BINARY, exit: 65, rejects: {}, error: /unexpected CPI header|line longer than/ },
  { file: 'CUSR0000SS62031.csv', broken: 'an HTML error page instead of the CSV', step: CPI, input: () => '<!DOCTYPE html>\n<html><body>Service Unavailable</body></html>\n', exit: 65, rejects: {}, error: /unexpected CPI header "<!DOCTYPE html>"/ },
  { file: 'CUSR0000SS62031.csv', broken: 'a negative value (-50.0)', step: CPI, input: () => cpiValue('-50.0'), exit: 65, rejects: {}, error: /bad CPI value for 2010-06-01: -50\.0 is not above 0.*line=\d+/ },
  { file: 'CUSR0000SS62031.csv', broken: 'a value of 0', step: CPI, input: () => cpiValue('0'), exit: 65, rejects: {}, error: /bad CPI value for 2010-06-01: 0 is not above 0/ },
  { file: 'CUSR0000SS62031.csv', broken: 'a value with 7 decimals (more than the model keeps)', step: CPI, input: () => cpiValue('0.0000001'), exit: 65, rejects: {}, error: /bad CPI value for 2010-06-01: 0\.0000001 has 7 decimals, more than the 6 the model keeps/ },
  { file: 'CUSR0000SS62031.csv', broken: 'a value of 0.0001: kept as it is', step: CPI, input: () => cpiValue('0.0001'), exit: 0, rejects: {} },
  { file: 'CUSR0000SS62031.csv', broken: 'a negative value put in the lake without extract-cpi', step: { kind: 'transform', source: 'cpi' }, input: () => cpiValue('-50.0'), exit: 0, rejects: { out_of_range: 1 } },
  { file: 'CUSR0000SS62031.csv', broken: "a missing observation ('.'): staged as NULL, not rejected", step: CPI, input: () => cpi((lines) => lines.map((line) => (line.startsWith('2010-06-01') ? '2010-06-01,.' : line))), exit: 0, rejects: {} },
  // The Kaggle archive (extract-movies)
  { file: 'the-movies-dataset.zip', broken: 'credits.csv missing', step: MOVIES_ZIP, input: () => zipOf(SAMPLE_FILES.filter((entry) => entry.name !== 'credits.csv')), exit: 65, rejects: {}, error: /missing required file credits\.csv/ },
  { file: 'the-movies-dataset.zip', broken: 'cut in half (a truncated download)', step: MOVIES_ZIP, input: async () => { const zip = await zipOf(SAMPLE_FILES); return zip.subarray(0, Math.floor(zip.length / 2)); }, exit: 65, rejects: {}, error: /not a readable zip archive/ },
  { file: 'the-movies-dataset.zip', broken: 'a flipped byte in a stored entry (CRC-32 mismatch)', step: MOVIES_ZIP, input: () => flippedByte(), exit: 65, rejects: {}, error: /corrupt entry ratings_small\.csv in the zip archive: CRC-32/ },
  // ratings.csv (validated and mapped in SQL by the load)
  { file: 'ratings.csv', broken: 'ratings 5.5 and 0 (out of 0.5-5)', step: RATINGS, input: () => ratings('1,31,5.5,1260759144', '1,1029,0,1260759144'), exit: 0, rejects: { out_of_range: 2 }, maxRejectRatio: 0.05 },
  { file: 'ratings.csv', broken: 'a rating of 3.25 (not a half step)', step: RATINGS, input: () => ratings('1,31,3.25,1260759144'), exit: 0, rejects: { not_half_step: 1 }, maxRejectRatio: 0.05 },
  { file: 'ratings.csv', broken: 'a rating "abc" and an empty one', step: RATINGS, input: () => ratings('1,31,abc,1260759144', '1,31,,1260759144'), exit: 0, rejects: { unparsable: 2 }, maxRejectRatio: 0.05 },
  { file: 'ratings.csv', broken: 'a rating dated in the future (2100) and one before 1970', step: RATINGS, input: () => ratings('1,31,4.0,4102444800', '1,31,4.0,-86400'), exit: 0, rejects: { out_of_range: 2 }, maxRejectRatio: 0.05 },
  { file: 'ratings.csv', broken: 'the same user and movie twice: one kept, no reject', step: RATINGS, input: () => ratings('1,31,4.0,1260759999'), exit: 0, rejects: {}, maxRejectRatio: 0.001 },
  { file: 'ratings.csv', broken: 'a movieId that no link maps: counted as unmapped, no reject', step: RATINGS, input: () => ratings('1,999999,4.0,1260759144'), exit: 0, rejects: {}, maxRejectRatio: 0.001 },
  { file: 'ratings.csv', broken: 'more bad ratings than --max-reject-ratio allows', step: RATINGS, input: () => ratings('1,31,9,1260759144'), exit: 65, rejects: { out_of_range: 1 }, maxRejectRatio: 0.001, error: /1 of 201 ratings rejected .* above --max-reject-ratio 0\.001; the warehouse is unchanged/ },
  { file: 'ratings.csv', broken: 'cut mid-line: the last line "1,31,4" with no line end', step: RATINGS, input: () => ratings('1,31,4'), exit: 65, rejects: {}, error: /the input ends mid-line: the last line has 3 of 4 fields/, maxRejectRatio: 0.05 },
  { file: 'ratings.csv', broken: 'wrong header (timestamp missing)', step: RATINGS, input: async () => (await ratings()).replace('userId,movieId,rating,timestamp', 'userId,movieId,rating'), exit: 65, rejects: {}, error: /wrong CSV header: expected "userId,movieId,rating,timestamp"/ },
  { file: 'ratings.csv', broken: 'empty file', step: RATINGS, input: () => '', exit: 65, rejects: {}, error: /empty object: expected a CSV header/ },
  // The lake itself
  { file: 'staged/links/<run>/part-00000.csv.gz', broken: 'gzip cut in half in the lake', step: { kind: 'load-staged', dataset: 'links' }, input: () => links(), exit: 65, rejects: {}, error: /not a valid gzip object/ },
];

/** The zip with one byte flipped in the middle of the stored (uncompressed) ratings entry. */
async function flippedByte(): Promise<Buffer> {
  const zip = await zipOf(SAMPLE_FILES.map((entry) => (entry.name === 'ratings_small.csv' ? { ...entry, compress: false } : entry)));
  const ratingsBytes = await real('ratings_small.csv');
  const at = zip.indexOf(ratingsBytes.subarray(0, 64)) + 50_000;
  const broken = Buffer.from(zip);
  broken[at] = (broken[at] as number) ^ 0x01;
  return broken;
}

// ---------------------------------------------------------------------------------------------
// Running a case.

let work: string;
let lake: FileLake;
let warehouse: Warehouse;
const names = new WarehouseNames('bad_inputs', '');
const BASE_RUN = 'base';

const deps = (runId: string): LoadDeps => ({ warehouse, names, lake, logger: silent, runId, now: () => new Date('2026-01-02T03:04:05Z') });

interface Outcome {
  exit: number;
  error: string | undefined;
  /** Rejects by reason (non-zero counts only). */
  rejects: Record<string, number>;
}

const nonZero = (counts: Record<string, number>) => Object.fromEntries(Object.entries(counts).filter(([, count]) => count > 0));

/** Objects of the run outside raw/: what a step wrote. */
async function written(runId: string): Promise<string[]> {
  const all = await lake.list('');
  return all.map((object) => object.key).filter((key) => key.includes(`/${runId}/`) || key.endsWith(`/${runId}.json`)).filter((key) => !key.startsWith('raw/'));
}

/** Files a lake folder holds while an object is being written (FileLake writes beside, then renames). */
async function partialFiles(directory = path.join(work, 'lake')): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    if (entry.isDirectory()) found.push(...(await partialFiles(path.join(directory, entry.name))));
    else if (entry.name.endsWith('.partial')) found.push(entry.name);
  }
  return found;
}

async function runTransformCase(source: TransformSource, runId: string, input: Buffer | string, ratio: number): Promise<Outcome> {
  await lake.put(rawKey(source, runId), input);
  const run = await runCli(['transform', source, '--run-id', runId, '--lake', lake.url, '--max-reject-ratio', String(ratio)]);
  const manifestKey = layout.manifest(`transform-${source}`, runId);
  if (!(await lake.head(manifestKey))) {
    // Failed before its manifest: nothing of the run is left behind, not even a half-written file.
    expect({ runId, written: await written(runId), partial: await partialFiles() }).toEqual({ runId, written: [], partial: [] });
    return { exit: run.exitCode, error: errorOf(run.result), rejects: {} };
  }
  const manifest = await getJson<TransformManifest>(lake, manifestKey);
  expect(manifest.accepted + manifest.rejected).toBe(manifest.input_rows);
  if (manifest.rejected > 0) {
    const rejects = await readRejects(lake, manifest.rejects_object as string);
    expect(rejects).toHaveLength(manifest.rejected);
    for (const reject of rejects) expect(reject.line).toBeGreaterThan(1);
    const byReason: Record<string, number> = {};
    for (const reject of rejects) byReason[reject.reason.split(':')[0] as string] = (byReason[reject.reason.split(':')[0] as string] ?? 0) + 1;
    expect(byReason).toEqual(manifest.rejected_by_reason);
  }
  return { exit: run.exitCode, error: errorOf(run.result), rejects: manifest.rejected_by_reason };
}

async function runExtractCpiCase(runId: string, input: Buffer | string): Promise<Outcome> {
  const file = path.join(work, `${runId}.csv`);
  await writeFile(file, input);
  const run = await runCli(['extract-cpi', '--cpi-source', file, '--run-id', runId, '--lake', lake.url]);
  if (run.exitCode !== 0) {
    expect({ runId, left: (await lake.list('')).map((o) => o.key).filter((key) => key.includes(runId)) }).toEqual({ runId, left: [] });
    return { exit: run.exitCode, error: errorOf(run.result), rejects: {} };
  }
  // The lake holds the file as it was; transform cpi stages it.
  const transformed = await runCli(['transform', 'cpi', '--run-id', runId, '--lake', lake.url]);
  const manifest = await getJson<TransformManifest>(lake, layout.manifest('transform-cpi', runId));
  expect(manifest.accepted + manifest.rejected).toBe(manifest.input_rows);
  return { exit: transformed.exitCode, error: errorOf(transformed.result), rejects: manifest.rejected_by_reason };
}

async function runExtractMoviesCase(runId: string, input: Buffer | string): Promise<Outcome> {
  const file = path.join(work, `${runId}.zip`);
  await writeFile(file, input);
  const run = await runCli(['extract-movies', '--movies-source', file, '--run-id', runId, '--lake', lake.url]);
  if (run.exitCode !== 0) {
    expect({ runId, manifest: await lake.head(layout.manifest('extract-movies', runId)) }).toEqual({ runId, manifest: undefined });
  }
  return { exit: run.exitCode, error: errorOf(run.result), rejects: {} };
}

async function runRatingsCase(runId: string, input: Buffer | string, ratio: number): Promise<Outcome> {
  await lake.put(layout.raw('movies', runId, 'ratings.csv'), input);
  const before = await tableChecksums(warehouse, names);
  try {
    const output = await load(deps(runId), { datasets: ['ratings'], maxRejectRatio: ratio });
    const result = (output.datasets as Record<string, Record<string, number> & { rejected_by_reason: Record<string, number> }>).ratings;
    const dataLines = String(input).split('\r\n').length - 1;
    expect(result?.ratings_total).toBe(dataLines);
    // The ledger: every line in one bucket (a missing bucket is NaN, and fails).
    const buckets = ['ratings_rejected', 'ratings_unmapped', 'ratings_not_loaded', 'ratings_superseded', 'ratings_analysed'] as const;
    expect(buckets.reduce((sum, bucket) => sum + Number(result?.[bucket]), 0)).toBe(dataLines);
    expect(result?.ratings_rejected).toBe(result?.rejected);
    return { exit: 0, error: undefined, rejects: nonZero(result?.rejected_by_reason ?? {}) };
  } catch (error) {
    expect(await tableChecksums(warehouse, names)).toEqual(before);
    const rejects = (error as { context?: Record<string, unknown> }).context ?? {};
    const counted = Object.fromEntries(
      Object.entries(rejects)
        .filter(([key, value]) => key.startsWith('rejected_') && typeof value === 'number')
        .map(([key, value]) => [key.slice('rejected_'.length), value as number]),
    );
    return { exit: exitCodeFor(error), error: (error as Error).message, rejects: nonZero(counted) };
  }
}

async function runDamagedPartCase(dataset: string, runId: string, input: Buffer | string): Promise<Outcome> {
  const source = STAGED_DATASETS.find((d) => d.name === dataset)?.source as TransformSource;
  await lake.put(rawKey(source, runId), input);
  await runTransform(lake, source, runId);
  const part = layout.staged(dataset, runId, 0);
  const bytes = await readObject(part);
  await lake.put(part, bytes.subarray(0, Math.floor(bytes.length / 2)));
  const before = await tableChecksums(warehouse, names);
  try {
    await load(deps(runId), { datasets: [dataset], maxRejectRatio: 0.001 });
    return { exit: 0, error: undefined, rejects: {} };
  } catch (error) {
    expect(await tableChecksums(warehouse, names)).toEqual(before);
    return { exit: exitCodeFor(error), error: (error as Error).message, rejects: {} };
  }
}

const rawKey = (source: TransformSource, runId: string) =>
  source === 'cpi' ? layout.raw('cpi', runId, 'CUSR0000SS62031.csv') : layout.raw('movies', runId, source === 'movies' ? 'movies_metadata.csv' : `${source}.csv`);

function errorOf(result: Record<string, unknown>): string | undefined {
  return typeof result.error === 'string' ? result.error : undefined;
}

async function readObject(key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await lake.get(key)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function runCase(item: BadInput, runId: string): Promise<Outcome> {
  const input = await item.input();
  const ratio = item.maxRejectRatio ?? 0.1;
  switch (item.step.kind) {
    case 'transform':
      return runTransformCase(item.step.source, runId, input, ratio);
    case 'extract-cpi':
      return runExtractCpiCase(runId, input);
    case 'extract-movies':
      return runExtractMoviesCase(runId, input);
    case 'load-ratings':
      return runRatingsCase(runId, input, ratio);
    case 'load-staged':
      return runDamagedPartCase(item.step.dataset, runId, input);
  }
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'movalytics-bad-inputs-'));
  lake = new FileLake(pathToFileURL(path.join(work, 'lake')).href);
  [movieRecords, creditRecords, keywordRecords] = await Promise.all([recordsOf('movies_metadata.csv'), recordsOf('credits.csv'), recordsOf('keywords.csv')]);
  // The ratings cases map through the real links and movies, loaded once.
  warehouse = await openWarehouse(`pglite://${path.join(work, 'warehouse')}`);
  await createTables({ warehouse, names, logger: silent });
  await lake.put(rawKey('links', BASE_RUN), await real('links_small.csv'));
  await lake.put(rawKey('movies', BASE_RUN), await real('movies_metadata.csv'));
  await runTransform(lake, 'links', BASE_RUN);
  await runTransform(lake, 'movies', BASE_RUN, { maxRejectRatio: 1 });
  await load(deps(BASE_RUN), { datasets: ['links', 'movies'], maxRejectRatio: 0.001 });
}, 180_000);

afterAll(async () => {
  await warehouse?.close();
  await rm(work, { recursive: true, force: true });
});

it('the catalogue holds at least 30 bad inputs, each described once', () => {
  expect(CATALOGUE.length).toBeGreaterThanOrEqual(30);
  const keys = CATALOGUE.map((item) => `${item.file}: ${item.broken}`);
  expect(new Set(keys).size).toBe(keys.length);
});

it.each(CATALOGUE.map((item, index) => [`${item.file}: ${item.broken}`, item, index] as const))(
  '%s',
  async (_name, item, index) => {
    const outcome = await runCase(item, `bad-${index}`);
    expect({ exit: outcome.exit, rejects: outcome.rejects }).toEqual({ exit: item.exit, rejects: item.rejects });
    if (item.exit === 0) expect(outcome.error).toBeUndefined();
    else expect(outcome.error).toMatch(item.error ?? /./);
  },
  60_000,
);


it('a CPI value of 0.0001 reaches the model as 0.0001, not rounded to 0', async () => {
  const runId = 'cpi-small-value';
  await lake.put(rawKey('cpi', runId), await cpiValue('0.0001'));
  await runTransform(lake, 'cpi', runId);
  await load(deps(runId), { datasets: ['cpi'], maxRejectRatio: 0.001 });
  const [row] = await warehouse.query(`SELECT CAST(value AS VARCHAR) AS value FROM ${names.table('cpi')} WHERE month = '2010-06-01'`);
  expect(Number(row?.value)).toBe(0.0001);
});

it("the staged contract's limits are the model's column types (VARCHAR bytes, NUMERIC precision and scale)", async () => {
  const columns = await warehouse.query(
    `SELECT table_name, column_name, data_type, character_maximum_length, numeric_precision, numeric_scale
     FROM information_schema.columns WHERE table_schema = '${names.schema}'`,
  );
  const model = new Map(columns.map((row) => [`${String(row.table_name)}.${String(row.column_name)}`, row]));
  for (const dataset of STAGED_DATASETS) {
    for (const column of dataset.columns) {
      const found = model.get(`${dataset.name}.${column.name}`);
      const where = `${dataset.name}.${column.name}`;
      if (column.type === 'text') {
        expect({ where, type: found?.data_type, bytes: found?.character_maximum_length }).toEqual({ where, type: 'character varying', bytes: column.maxBytes });
      }
      if (column.type === 'numeric') {
        expect({ where, precision: found?.numeric_precision, scale: found?.numeric_scale }).toEqual({
          where,
          precision: column.numeric?.precision,
          scale: column.numeric?.scale,
        });
      }
    }
  }
});

it('whatever the transform accepts, the load takes: every row-level case in one file, then loaded', async () => {
  const runId = 'all-row-cases';
  // Every case that rejects records, also those whose rejects are over the ratio alone.
  const rowCases = CATALOGUE.filter((item) => item.step === MOVIES && (item.exit === 0 || Object.keys(item.rejects).length > 0));
  const bad = rowCases.map((item) => String(item.input()).split('\n').slice(21).join('\n').trimEnd()).filter((text) => text !== '');
  await lake.put(rawKey('movies', runId), `${movies().trimEnd()}\n${bad.join('\n')}\n`);
  const { manifest } = await runTransform(lake, 'movies', runId, { maxRejectRatio: 1 });
  const expected: Record<string, number> = {};
  for (const item of rowCases) for (const [reason, count] of Object.entries(item.rejects)) expected[reason] = (expected[reason] ?? 0) + count;
  expect(manifest.rejected_by_reason).toEqual(expected);
  expect(manifest.accepted + manifest.rejected).toBe(manifest.input_rows);

  const allNames = new WarehouseNames('bad_inputs_all', '');
  await createTables({ warehouse, names: allNames, logger: silent });
  const movieDatasets = STAGED_DATASETS.filter((dataset) => dataset.source === 'movies').map((dataset) => dataset.name);
  const output = await load({ ...deps(runId), names: allNames }, { datasets: movieDatasets, maxRejectRatio: 0.001 });
  const loaded = output.datasets as Record<string, { rows_loaded: number }>;
  expect(loaded.movies?.rows_loaded).toBe(manifest.accepted);
  const [{ overview_bytes: longest } = { overview_bytes: 0 }] = await warehouse.query(
    `SELECT MAX(OCTET_LENGTH(overview)) AS overview_bytes FROM ${allNames.table('movies')}`,
  );
  expect(Number(longest)).toBeLessThanOrEqual(65535);
}, 120_000);
