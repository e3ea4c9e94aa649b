/**
 * Real-world copies of the source files that differ from Kaggle's own in form only, each
 * transformed to the same staged rows as the original: a pandas re-export of movies_metadata.csv
 * (whole amounts written as floats, `373554033.0`), MovieLens's links_small.csv, and credits and
 * keywords with CRLF line ends.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { layout } from '../tasks/core/lake/layout';
import type { TransformSource } from '../tasks/core/staged';
import { readCsvRecords } from '../tasks/transform/csv-reader';
import { MOVIES_HEADER } from '../tasks/transform/sources/movies';
import { FIXTURES, REAL_SAMPLE, fileLake, parseStrictCsv, putRaw, readGzipText, removeTemporaryDirectories, runTransform } from './transform-support';

afterAll(removeTemporaryDirectories);

/** The manifest and every staged dataset's text of one transform of `content`. */
async function transformed(source: TransformSource, content: string) {
  const lake = await fileLake();
  await putRaw(lake, source, 'v1', content);
  const { manifest } = await runTransform(lake, source, 'v1', { maxRejectRatio: 1 });
  const staged: Record<string, string> = {};
  for (const dataset of Object.keys(manifest.outputs)) staged[dataset] = await readGzipText(lake, layout.staged(dataset, 'v1', 0));
  return { manifest, staged };
}

/** A CSV line as pandas writes it: quoted only when needed. */
const csvLine = (fields: readonly string[]) => fields.map((f) => (/[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(',');

/** What pandas' read_csv + to_csv(index=False) does to the amounts: a column with a gap is float64. */
async function pandasReExport(text: string): Promise<string> {
  const asFloat = ['budget', 'revenue', 'vote_count'].map((name) => MOVIES_HEADER.indexOf(name as (typeof MOVIES_HEADER)[number]));
  const lines: string[] = [];
  for await (const { fields } of readCsvRecords([Buffer.from(text)], { object: 'movies_metadata.csv' })) {
    const header = lines.length === 0;
    lines.push(csvLine(fields.map((value, i) => (!header && asFloat.includes(i) && /^\d+$/.test(value) ? `${value}.0` : value))));
  }
  return `${lines.join('\n')}\n`;
}

it('a pandas re-export of movies_metadata.csv (373554033.0): the same staged rows as the original', async () => {
  const original = readFileSync(path.join(REAL_SAMPLE, 'movies_metadata.csv'), 'utf8');
  const reExport = await pandasReExport(original);
  expect(reExport).toContain(',1995-10-30,373554033.0,81.0,');
  expect(reExport).toContain(',30000000.0,');

  const [expected, actual] = await Promise.all([transformed('movies', original), transformed('movies', reExport)]);
  expect(actual.manifest).toMatchObject({ input_rows: 400, accepted: 400, rejected: 0 });
  expect(actual.staged).toEqual(expected.staged);
  const toyStory = (await parseStrictCsv(actual.staged.movies!)).rows.find((row) => row.movie_id === '862');
  expect(toyStory).toMatchObject({ budget: '30000000', revenue: '373554033', vote_count: '5415' });
});

it('links_small.csv (CRLF, empty tmdbIds): every row staged, an empty tmdbId as no TMDB id', async () => {
  const { manifest, staged } = await transformed('links', readFileSync(path.join(REAL_SAMPLE, 'links_small.csv'), 'utf8'));
  expect(manifest).toMatchObject({ input_rows: 9125, accepted: 9125, rejected: 0 });
  expect(manifest.ledger).toEqual({ rows_read: 9125, staged: 9125, rejected_by_reason: {}, duplicate_ids: 0 });
  const rows = (await parseStrictCsv(staged.links!)).rows;
  expect(rows).toHaveLength(9125);
  expect(rows[0]).toEqual({ movielens_id: '1', imdb_id: '0114709', tmdb_id: '862' });
  expect(rows.filter((row) => row.tmdb_id === '')).toHaveLength(13);
});

it.each([
  ['credits', 'credits.head.csv', ['cast_members', 'crew_members', 'people'], 'cast_members', { movie_id: '862', person_id: '31', character: 'Woody (voice)' }],
  ['keywords', 'keywords.head.csv', ['keywords', 'movie_keywords'], 'movie_keywords', { movie_id: '862', keyword_id: '931' }],
] as const)('%s with CRLF line ends: the same staged rows as with LF', async (source, file, datasets, dataset, row) => {
  const lf = readFileSync(path.join(FIXTURES, file), 'utf8').replace(/\r\n/g, '\n');
  const [expected, actual] = await Promise.all([transformed(source, lf), transformed(source, lf.replace(/\n/g, '\r\n'))]);
  expect(actual.manifest).toMatchObject({ input_rows: expected.manifest.input_rows, accepted: expected.manifest.input_rows, rejected: 0 });
  expect(Object.keys(actual.staged).sort()).toEqual(datasets);
  expect(actual.staged).toEqual(expected.staged);
  for (const text of Object.values(actual.staged)) expect(text).not.toContain('\r');
  expect((await parseStrictCsv(actual.staged[dataset]!)).rows).toContainEqual(expect.objectContaining(row));
});
