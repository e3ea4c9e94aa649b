/**
 * One test per quirk of the real files, each built from real records of the sample
 * (test/fixtures/real) where the sample has one: the outcome is checked in the staged rows, the
 * rejects file (line, reason, original record) and the manifest (input = accepted + rejected).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DataError } from '../tasks/core/errors';
import type { Lake } from '../tasks/core/lake/lake';
import { getJson } from '../tasks/core/lake/lake';
import { layout } from '../tasks/core/lake/layout';
import type { TransformManifest, TransformSource } from '../tasks/core/staged';
import { readCsvRecords } from '../tasks/transform/csv-reader';
import { MOVIES_HEADER } from '../tasks/transform/sources/movies';
import {
  FIXTURES,
  fileLake,
  parseStrictCsv,
  putRaw,
  readGzipText,
  readObject,
  readRejects,
  runCli,
  runTransform,
  removeTemporaryDirectories,
} from './transform-support';

const fixture = (name: string): string => readFileSync(path.join(FIXTURES, name), 'utf8');

/** A source CSV line as pandas/Python csv writes it: quoted only when needed, empty stays empty. */
function csvLine(fields: readonly string[]): string {
  return fields.map((f) => (/[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(',');
}

async function recordsOf(text: string): Promise<string[][]> {
  const records: string[][] = [];
  for await (const record of readCsvRecords([Buffer.from(text)], { object: 'fixture' })) records.push(record.fields);
  return records;
}

type MovieField = (typeof MOVIES_HEADER)[number];
let toyStory: string[];
let jumanji: string[];
let grumpier: string[];

/** A real movie record with some fields replaced. */
function movie(base: readonly string[], changes: Partial<Record<MovieField, string>> = {}): string {
  const fields = [...base];
  for (const [name, value] of Object.entries(changes)) fields[MOVIES_HEADER.indexOf(name as MovieField)] = value as string;
  return csvLine(fields);
}

const moviesFile = (...records: string[]): string => [MOVIES_HEADER.join(','), ...records].join('\n') + '\n';

async function staged(lake: Lake, dataset: string, runId: string): Promise<Array<Record<string, string>>> {
  const csv = await parseStrictCsv(await readGzipText(lake, layout.staged(dataset, runId, 0)));
  expect(csv.invalidRows).toBe(0);
  return csv.rows;
}

async function transformText(source: TransformSource, content: string | Buffer, runId = 'q1') {
  const lake = await fileLake();
  await putRaw(lake, source, runId, content);
  const { manifest } = await runTransform(lake, source, runId, { maxRejectRatio: 1 });
  expect(manifest.accepted + manifest.rejected).toBe(manifest.input_rows);
  expect(await getJson(lake, layout.manifest(`transform-${source}`, runId))).toEqual(manifest);
  return { lake, manifest, runId };
}

beforeAll(async () => {
  [, toyStory = [], jumanji = [], grumpier = []] = await recordsOf(fixture('movies_metadata.head.csv'));
  expect(toyStory[5]).toBe('862');
  expect(jumanji[5]).toBe('8844');
  expect(grumpier[5]).toBe('15602');
});

afterAll(removeTemporaryDirectories);

describe('movies_metadata.csv quirks', () => {
  it('multi-line quoted field: the real record 290157 spans two lines and is staged whole', async () => {
    const { lake, manifest, runId } = await transformText('movies', fixture('movies_metadata.multiline.csv'));
    expect(manifest).toMatchObject({ input_rows: 3, accepted: 3, rejected: 0 });
    const rows = await staged(lake, 'movies', runId);
    expect(rows.map((r) => r.movie_id)).toEqual(['44284', '290157', '110972']);
    expect(rows.find((r) => r.movie_id === '290157')?.overview).toMatch(/reconstruct her past\.\n - Written by James Meek$/);
  });

  it('CRLF line ends, no final newline and a UTF-8 BOM give the same staged bytes as plain LF', async () => {
    const lf = fixture('movies_metadata.head.csv');
    const reference = await transformText('movies', lf);
    const referenceBytes = await readObject(reference.lake, layout.staged('movies', reference.runId, 0));
    const variants = [lf.replace(/\n/g, '\r\n'), lf.replace(/\n$/, ''), `\uFEFF${lf}`, `\uFEFF${lf.replace(/\n/g, '\r\n').replace(/\r\n$/, '')}`];
    for (const variant of variants) {
      const { lake, manifest, runId } = await transformText('movies', variant);
      expect(manifest).toMatchObject({ input_rows: 3, accepted: 3 });
      expect((await readObject(lake, layout.staged('movies', runId, 0))).equals(referenceBytes)).toBe(true);
    }
  });

  it('shifted corrupt rows are rejected with a reason, not half-loaded', async () => {
    // As pandas shows the real corrupt rows: the fields from `popularity` on sit 10 columns early,
    // so `id` holds the release date 1997-08-20.
    const popularityAt = MOVIES_HEADER.indexOf('popularity');
    const withDate = [...jumanji];
    withDate[MOVIES_HEADER.indexOf('release_date')] = '1997-08-20';
    const shifted = csvLine([' - Written by Ørnås', ...withDate.slice(popularityAt), ...Array<string>(9).fill('')]);
    // As the break looks in a raw file: an unquoted overview with a line break splits the record in two.
    const head = csvLine(jumanji.slice(0, MOVIES_HEADER.indexOf('overview')).concat('A broken overview'));
    const rest = csvLine([' - Written by Ørnås', ...jumanji.slice(popularityAt)]);
    const { lake, manifest, runId } = await transformText('movies', moviesFile(movie(toyStory), shifted, head, rest));
    expect(manifest).toMatchObject({
      input_rows: 4,
      accepted: 1,
      rejected: 3,
      rejected_by_reason: { invalid_id: 1, wrong_field_count: 2 },
      rejects_object: layout.rejects('movies', runId),
      ledger: { rows_read: 4, staged: 1, rejected_by_reason: { invalid_id: 1, wrong_field_count: 2 }, duplicate_ids: 0 },
    });
    expect(await readRejects(lake, layout.rejects('movies', runId))).toEqual([
      { line: 3, reason: 'invalid_id: id holds the date "1997-08-20": the columns of this record are shifted', record: shifted },
      { line: 4, reason: 'wrong_field_count: expected 24 fields as in the header, got 10', record: head },
      { line: 5, reason: 'wrong_field_count: expected 24 fields as in the header, got 15', record: rest },
    ]);
    expect((await staged(lake, 'movies', runId)).map((r) => r.movie_id)).toEqual(['862']);
    expect((await staged(lake, 'movie_genres', runId)).every((r) => r.movie_id === '862')).toBe(true);
    expect(manifest.outputs.release_dates?.rows).toBe(1);
  });

  it('duplicated ids: the first record is kept, the rest rejected as duplicate_id (not counted in the reject ratio)', async () => {
    const repeat = movie(toyStory, { popularity: '99.5', vote_count: '1' });
    const { lake, manifest, runId } = await transformText('movies', moviesFile(movie(toyStory), movie(jumanji), repeat, movie(toyStory)));
    expect(manifest).toMatchObject({ input_rows: 4, accepted: 2, rejected: 2, rejected_by_reason: { duplicate_id: 2 } });
    // The ledger: 4 read = 2 staged + 0 rejected as bad data + 2 repeated ids.
    expect(manifest.ledger).toEqual({ rows_read: 4, staged: 2, rejected_by_reason: {}, duplicate_ids: 2 });
    const rejects = await readRejects(lake, layout.rejects('movies', runId));
    expect(rejects.map((r) => [r.line, r.reason])).toEqual([
      [4, 'duplicate_id: 862 was already accepted from an earlier record'],
      [5, 'duplicate_id: 862 was already accepted from an earlier record'],
    ]);
    expect(rejects[0]?.record).toBe(repeat);
    const movies = await staged(lake, 'movies', runId);
    expect(movies.map((r) => [r.movie_id, r.popularity])).toEqual([
      ['862', '21.946943'],
      ['8844', '17.015539'],
    ]);
    expect(manifest.outputs.movie_genres?.rows).toBe(6);
    // Duplicates are the source's known redundancy: the default ratio does not fail on them.
    const strict = await runTransform(lake, 'movies', runId);
    expect(strict.manifest.rejected).toBe(2);
  });

  it('integers written as floats (123.0) are staged as plain integers', async () => {
    const { lake, runId } = await transformText('movies', moviesFile(movie(toyStory, { budget: '30000000.0', revenue: '373554033.0', vote_count: '5415.0' })));
    expect((await staged(lake, 'movies', runId))[0]).toMatchObject({ budget: '30000000', revenue: '373554033', vote_count: '5415' });
  });

  it('popularity in scientific notation becomes a plain decimal, exactly', async () => {
    const { lake, runId } = await transformText(
      'movies',
      moviesFile(movie(toyStory, { popularity: '8.2e-05' }), movie(jumanji, { popularity: '1.5E+2', vote_average: '7e-1' })),
    );
    expect((await staged(lake, 'movies', runId)).map((r) => [r.popularity, r.vote_average])).toEqual([
      ['0.000082', '7.7'],
      ['150', '0.7'],
    ]);
  });

  it('empty release dates and runtimes are NULL and add no release_dates row', async () => {
    const { lake, manifest, runId } = await transformText(
      'movies',
      moviesFile(movie(toyStory), movie(jumanji, { release_date: '', runtime: '', status: '' })),
    );
    expect(manifest.accepted).toBe(2);
    const text = await readGzipText(lake, layout.staged('movies', runId, 0));
    const jumanjiLine = text.split('\n').find((line) => line.startsWith('8844,')) as string;
    const row = (await staged(lake, 'movies', runId))[1];
    expect(row).toMatchObject({ release_date: '', runtime_minutes: '', status: '' });
    expect(jumanjiLine).toContain(',,,,65000000,'); // status, release_date, runtime all empty unquoted (NULL)
    expect((await staged(lake, 'release_dates', runId)).map((r) => r.release_date)).toEqual(['1995-10-30']);
  });

  it('budget and revenue of 0 mean unknown: staged as NULL (the real Grumpier Old Men record)', async () => {
    expect(grumpier[MOVIES_HEADER.indexOf('budget')]).toBe('0');
    expect(grumpier[MOVIES_HEADER.indexOf('revenue')]).toBe('0');
    const { lake, runId } = await transformText('movies', moviesFile(movie(grumpier)));
    const text = await readGzipText(lake, layout.staged('movies', runId, 0));
    expect(text.split('\n')[1]).toMatch(/,1995-12-22,101\.0,,,11\.7129,/);
  });

  it('a malformed Python-literal column rejects the record with the parse error as reason', async () => {
    const truncated = movie(toyStory, { genres: "[{'id': 16, 'name': 'Animation'}, {'id': 35" });
    const unquoted = movie(jumanji, { spoken_languages: "[{'iso_639_1': en, 'name': 'English'}]" });
    const { lake, manifest, runId } = await transformText('movies', moviesFile(truncated, unquoted, movie(grumpier)));
    expect(manifest).toMatchObject({ accepted: 1, rejected: 2, rejected_by_reason: { malformed_python_literal: 2 } });
    expect((await readRejects(lake, layout.rejects('movies', runId))).map((r) => [r.line, r.reason, r.record])).toEqual([
      [2, "malformed_python_literal: genres: at offset 43: expected ',' or '}' but found end of text", truncated],
      [3, 'malformed_python_literal: spoken_languages: at offset 15: unknown name \'en\' (only None, True and False are literals)', unquoted],
    ]);
    // Not half-loaded: nothing of the rejected movies reached any dataset.
    for (const dataset of ['movies', 'movie_genres', 'movie_companies', 'movie_countries', 'movie_languages']) {
      expect((await staged(lake, dataset, runId)).every((r) => r.movie_id === '15602')).toBe(true);
    }
  });

  it('a Python literal of the wrong shape, a bad boolean or an impossible date rejects the record, naming the column', async () => {
    const { lake, manifest, runId } = await transformText(
      'movies',
      moviesFile(
        movie(toyStory, { production_companies: "[{'name': 'Pixar Animation Studios'}]" }),
        movie(jumanji, { adult: 'Maybe' }),
        movie(grumpier, { release_date: '1995-02-30' }),
        movie(grumpier, { id: '-3' }),
      ),
    );
    expect(manifest.accepted).toBe(0);
    expect((await readRejects(lake, layout.rejects('movies', runId))).map((r) => r.reason)).toEqual([
      'unexpected_python_literal: production_companies[0].id: expected a positive integer id, got nothing (missing key)',
      'invalid_boolean: adult: expected True or False, got "Maybe"',
      'invalid_date: release_date: expected a date YYYY-MM-DD, got "1995-02-30"',
      'invalid_id: id: "-3" is outside the integer range 1..2147483647',
    ]);
  });

  it('a wrong or missing header fails with DataError (exit 65) naming the expected header', async () => {
    const expected = MOVIES_HEADER.join(',');
    const lake = await fileLake();
    await putRaw(lake, 'movies', 'h1', moviesFile(movie(toyStory)).replace('adult,', 'is_adult,'));
    await expect(runTransform(lake, 'movies', 'h1')).rejects.toThrow(new RegExp(`wrong header .*expected "${expected}"`));
    await putRaw(lake, 'movies', 'h2', `${movie(toyStory)}\n`);
    await expect(runTransform(lake, 'movies', 'h2')).rejects.toThrow(DataError);
    await putRaw(lake, 'movies', 'h3', '');
    await expect(runTransform(lake, 'movies', 'h3')).rejects.toThrow(`empty input: expected the header "${expected}"`);
    // Nothing is staged for a file whose header is wrong.
    expect(await lake.list('staged/')).toEqual([]);

    const cli = await runCli(['transform', 'movies', '--lake', lake.url, '--run-id', 'h1']);
    expect(cli.exitCode).toBe(65);
    expect(cli.result).toMatchObject({ status: 'failed', exit_code: 65 });
    expect(String(cli.result.error)).toContain(`expected "${expected}"`);
  });

  it('a reject ratio above --max-reject-ratio exits 65 after writing the rejects and the manifest', async () => {
    const lake = await fileLake();
    const bad = movie(jumanji, { genres: '[' });
    await putRaw(lake, 'movies', 'r1', moviesFile(movie(toyStory), bad, movie(grumpier)));
    const failed = await runCli(['transform', 'movies', '--lake', lake.url, '--run-id', 'r1']);
    expect(failed.exitCode).toBe(65);
    expect(String(failed.result.error)).toMatch(/1 of 3 records rejected .* above --max-reject-ratio 0\.001/);
    const manifest = await getJson<TransformManifest>(lake, layout.manifest('transform-movies', 'r1'));
    expect(manifest).toMatchObject({ input_rows: 3, accepted: 2, rejected: 1, rejected_by_reason: { malformed_python_literal: 1 } });
    expect((await readRejects(lake, layout.rejects('movies', 'r1'))).map((r) => [r.line, r.record])).toEqual([[3, bad]]);

    const tolerant = await runCli(['transform', 'movies', '--lake', lake.url, '--run-id', 'r1', '--max-reject-ratio', '0.5']);
    expect(tolerant.exitCode).toBe(0);
    expect(tolerant.result).toMatchObject({ status: 'success', input_rows: 3, accepted: 2, rejected: 1 });

    const wrongFlag = await runCli(['transform', 'movies', '--lake', lake.url, '--run-id', 'r1', '--max-reject-ratio', '2']);
    expect(wrongFlag.exitCode).toBe(2);
  });
});

describe('credits, keywords and links quirks', () => {
  it('credits: real records with fields of 18,000+ characters; people repeated within the run are dropped cheaply', async () => {
    const { lake, manifest, runId } = await transformText('credits', fixture('credits.head.csv'));
    expect(manifest).toMatchObject({ input_rows: 2, accepted: 2 });
    const cast = await staged(lake, 'cast_members', runId);
    const crew = await staged(lake, 'crew_members', runId);
    const people = await staged(lake, 'people', runId);
    const personIds = new Set([...cast, ...crew].map((r) => r.person_id));
    expect(people.map((r) => r.person_id).sort()).toEqual([...personIds].sort());
    expect(cast.find((r) => r.person_id === '31')).toMatchObject({ movie_id: '862', character: 'Woody (voice)', cast_order: '0', cast_id: '14' });
    expect(people.find((r) => r.person_id === '31')).toMatchObject({ name: 'Tom Hanks', gender: '2' });
  });

  it('credits and keywords: a repeated movie id is rejected as duplicate_id', async () => {
    const credits = fixture('credits.head.csv');
    const [, second = ''] = credits.split('\n');
    const { manifest } = await transformText('credits', `${credits}${second}\n`);
    expect(manifest).toMatchObject({ input_rows: 3, accepted: 2, rejected_by_reason: { duplicate_id: 1 } });
    const keywords = fixture('keywords.head.csv');
    const { lake, manifest: keywordManifest, runId } = await transformText('keywords', keywords + keywords.split('\n')[2] + '\n');
    expect(keywordManifest).toMatchObject({ input_rows: 4, accepted: 3, rejected_by_reason: { duplicate_id: 1 } });
    expect((await staged(lake, 'keywords', runId)).find((r) => r.keyword_id === '15101')?.name).toBe("based on children's book");
  });

  it('links: CRLF, IMDb ids keep their leading zeros as text, empty TMDB ids are NULL', async () => {
    const { lake, manifest, runId } = await transformText('links', fixture('links.head.csv'));
    expect(manifest).toMatchObject({ input_rows: 7, accepted: 7 });
    const text = await readGzipText(lake, layout.staged('links', runId, 0));
    expect(text.split('\n').slice(0, 2)).toEqual(['movielens_id,imdb_id,tmdb_id', '1,0114709,862']);
    expect(text).toContain('\n720,0118114,\n');
  });
});

describe('CPI quirks', () => {
  const months = '2016-04-01,174.936\n2016-05-01,.\n2016-06-01,176.303\n';

  it('reads the real DATE header and the newer observation_date header alike', async () => {
    const real = await transformText('cpi', fixture('CUSR0000SS62031.head.csv'));
    expect(real.manifest).toMatchObject({ input_rows: 6, accepted: 6 });
    expect((await staged(real.lake, 'cpi', real.runId))[0]).toEqual({ month: '2005-01-01', value: '135.000' });
    const newer = await transformText('cpi', `observation_date,CUSR0000SS62031\n${months}`);
    expect(newer.manifest).toMatchObject({ input_rows: 3, accepted: 3, rejected: 0 });
  });

  it('reads a quoted, mixed-case header with spaces and FRED values without trailing zeros', async () => {
    const { lake, manifest, runId } = await transformText('cpi', `"Date" , "CUSR0000SS62031"\r\n2016-04-01,108\r\n2016-05-01,148.62\r\n2016-06-01,.\r\n`);
    expect(manifest).toMatchObject({ input_rows: 3, accepted: 3, rejected: 0 });
    expect(await readGzipText(lake, layout.staged('cpi', runId, 0))).toBe('month,value\n2016-04-01,108\n2016-05-01,148.62\n2016-06-01,\n');
  });

  it('stages a missing value "." as NULL (the month stays visible as a gap)', async () => {
    const { lake, runId } = await transformText('cpi', `DATE,CUSR0000SS62031\n${months}`);
    expect(await readGzipText(lake, layout.staged('cpi', runId, 0))).toBe('month,value\n2016-04-01,174.936\n2016-05-01,\n2016-06-01,176.303\n');
  });

  it('rejects a date that is not the first of a month and a value that is not a number', async () => {
    const { lake, manifest, runId } = await transformText('cpi', `DATE,CUSR0000SS62031\n2016-04-15,1\n2016-05-01,n/a\n2016-06-01,176.303\n`);
    expect(manifest).toMatchObject({ input_rows: 3, accepted: 1, rejected_by_reason: { invalid_date: 1, invalid_number: 1 } });
    expect((await readRejects(lake, layout.rejects('cpi', runId))).map((r) => r.line)).toEqual([2, 3]);
  });

  it('fails with DataError (exit 65) on another series or a wrong header', async () => {
    const lake = await fileLake();
    await putRaw(lake, 'cpi', 's1', `DATE,CPIAUCSL\n${months}`);
    await expect(runTransform(lake, 'cpi', 's1')).rejects.toThrow(/wrong FRED series: the file holds "CPIAUCSL", expected header "DATE,CUSR0000SS62031"/);
    await putRaw(lake, 'cpi', 's2', `month,CUSR0000SS62031\n${months}`);
    await expect(runTransform(lake, 'cpi', 's2')).rejects.toThrow(/wrong header "month,CUSR0000SS62031"/);
    const cli = await runCli(['transform', 'cpi', '--lake', lake.url, '--run-id', 's1']);
    expect(cli.exitCode).toBe(65);
  });
});
