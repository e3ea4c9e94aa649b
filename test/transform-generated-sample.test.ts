/**
 * Every transform on a generated `small` sample (seed 1): the manifests balance, duplicated ids are
 * rejected with reason `duplicate_id`, and the staged data agrees with the true counts the
 * generator reports in generate-sample.json.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FileLake } from '../tasks/core/lake/file-lake';
import { layout } from '../tasks/core/lake/layout';
import { createLogger } from '../tasks/core/log';
import { TRANSFORM_SOURCES, type TransformManifest, type TransformSource } from '../tasks/core/staged';
import { generateSample } from '../tasks/generate-sample';
import type { SampleSummary } from '../tasks/generate-sample/summary';
import { parseStrictCsv, readGzipText, readRejects, removeTemporaryDirectories, runTransform, temporaryDirectory } from './transform-support';

const RUN = 'gen-small';
let root: string;
let lake: FileLake;
let summary: SampleSummary;
const manifests: Partial<Record<TransformSource, TransformManifest>> = {};

async function stagedRows(dataset: string, manifest: TransformManifest): Promise<Array<Record<string, string>>> {
  const rows: Array<Record<string, string>> = [];
  for (const key of manifest.outputs[dataset]?.objects ?? []) {
    const csv = await parseStrictCsv(await readGzipText(lake, key));
    expect(csv.invalidRows).toBe(0);
    rows.push(...csv.rows);
  }
  return rows;
}

beforeAll(async () => {
  root = await temporaryDirectory('transform-generated-');
  lake = new FileLake(pathToFileURL(root).href);
  // The generator writes the Kaggle files straight into the raw folder of the run, as extract would.
  const rawMovies = new FileLake(pathToFileURL(path.join(root, 'raw', 'movies', RUN)).href);
  summary = await generateSample(
    { scale: 'small', seed: 1, cpiDateHeader: 'observation_date' },
    { out: rawMovies, logger: createLogger('generate-sample', { level: 'error' }) },
  );
  await lake.put(layout.raw('cpi', RUN, 'CUSR0000SS62031.csv'), await rawMovies.get('CUSR0000SS62031.csv'));
  for (const source of TRANSFORM_SOURCES) manifests[source] = (await runTransform(lake, source, RUN)).manifest;
}, 180_000);

afterAll(removeTemporaryDirectories);

describe('transform on a generated small sample', () => {
  it.each(TRANSFORM_SOURCES)('%s: the manifest balances and reads every record of the file', (source) => {
    const manifest = manifests[source] as TransformManifest;
    const file = source === 'movies' ? 'movies_metadata.csv' : source === 'cpi' ? 'CUSR0000SS62031.csv' : `${source}.csv`;
    expect(manifest.input_rows).toBe(summary.files[file]?.records);
    expect(manifest.accepted + manifest.rejected).toBe(manifest.input_rows);
    expect(Object.values(manifest.rejected_by_reason).reduce((a, b) => a + b, 0)).toBe(manifest.rejected);
  });

  it('rejects exactly the duplicated ids, with reason duplicate_id, and keeps one record per id', async () => {
    const { counts } = summary;
    expect(counts.movie_duplicate_rows).toBeGreaterThan(0);
    expect(manifests.movies).toMatchObject({ accepted: counts.movie_ids_unique, rejected_by_reason: { duplicate_id: counts.movie_duplicate_rows } });
    expect(manifests.credits?.rejected_by_reason).toEqual({ duplicate_id: counts.credits_duplicate_rows });
    expect(manifests.keywords?.rejected_by_reason).toEqual({ duplicate_id: counts.keywords_duplicate_rows });
    expect(manifests.links).toMatchObject({ accepted: counts.links, rejected: 0 });
    expect(manifests.cpi).toMatchObject({ accepted: counts.cpi_months, rejected: 0 });
    const rejects = await readRejects(lake, layout.rejects('keywords', RUN));
    expect(rejects).toHaveLength(counts.keywords_duplicate_rows);
    expect(rejects.every((r) => r.reason.startsWith('duplicate_id: ') && r.line > 1 && r.record.length > 0)).toBe(true);
    const movies = await stagedRows('movies', manifests.movies as TransformManifest);
    expect(new Set(movies.map((r) => r.movie_id)).size).toBe(movies.length);
  });

  it('stages what the generator says it wrote: revenue, budget, release dates, genres, empty TMDB ids', async () => {
    const { counts } = summary;
    const movies = await stagedRows('movies', manifests.movies as TransformManifest);
    expect(movies.filter((r) => r.revenue !== '').length).toBe(counts.movies_with_revenue);
    expect(movies.filter((r) => r.budget !== '').length).toBe(counts.movies_with_budget);
    expect(movies.filter((r) => r.release_date !== '').length).toBe(counts.movies_with_release_date);
    expect(movies.every((r) => !/e/i.test(r.popularity ?? ''))).toBe(true);
    const genres = new Map((await stagedRows('genres', manifests.movies as TransformManifest)).map((r) => [r.genre_id, r.name]));
    const perGenre: Record<string, number> = {};
    for (const row of await stagedRows('movie_genres', manifests.movies as TransformManifest)) {
      const name = genres.get(row.genre_id ?? '') ?? '?';
      perGenre[name] = (perGenre[name] ?? 0) + 1;
    }
    expect(perGenre).toEqual(Object.fromEntries(Object.entries(counts.movies_per_genre).filter(([, n]) => n > 0)));
    const links = await stagedRows('links', manifests.links as TransformManifest);
    expect(links.filter((r) => r.tmdb_id === '').length).toBe(counts.links_empty_tmdb_id);
    const cpi = await stagedRows('cpi', manifests.cpi as TransformManifest);
    expect(cpi.filter((r) => r.value === '').length).toBe(counts.cpi_missing_values);
  });
});
