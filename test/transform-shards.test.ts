/**
 * `transform <source> --shard I/N` and `load --shards N`: the shards of a file, cut at record
 * boundaries found by quote parity, stage together exactly what the whole file stages (rows,
 * rejects with their physical lines, counts, ledger), and their load leaves the same tables.
 *
 * The movies file is the real sample re-written with: a record whose overview spans hundreds of
 * lines placed across the middle of the file (so the 2-shard cut falls inside a quoted field),
 * the record right after it repeating an id of the first shard, an id first seen in a rejected
 * record and then staged by a later shard, and repeats of an id in the last shard.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DataError } from '../tasks/core/errors';
import { getJson, type Lake } from '../tasks/core/lake/lake';
import { layout } from '../tasks/core/lake/layout';
import { nominalStart, type Shard } from '../tasks/core/shard';
import { type TransformManifest, type TransformSource } from '../tasks/core/staged';
import { readFinishedTransformManifest, readShardedTransformManifest, readTransformManifest, rejectedBytesCountedInRatio, rejectsCountedInRatio } from '../tasks/core/transform-manifests';
import { WarehouseNames } from '../tasks/core/warehouse/identifiers';
import { MODEL_DATA_TABLES } from '../tasks/core/warehouse/model';
import { createTables } from '../tasks/create-tables/index';
import { load } from '../tasks/load/index';
import { DEFAULT_MAX_REJECT_RATIO, transform } from '../tasks/transform/index';
import { MAPPINGS } from '../tasks/transform/sources';
import { DEFAULT_PART_LIMITS } from '../tasks/core/lake/staged-writer';
import { pgliteTarget, type WarehouseTestTarget } from './support/warehouse-targets';
import { silentLogger } from './support/silent-logger';
import { fileLake, parseStrictCsv, putRaw, readGzipText, readRejects, REAL_SAMPLE, runCli } from './transform-support';

const SAMPLE = REAL_SAMPLE;
const SHARD_COUNTS = [2, 3, 4];
const MULTI_LINE_ID = '99999900';
const REJECTED_FIRST_ID = '99999901';

const quoteField = (value: string): string => (/[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
const csvRecord = (header: readonly string[], row: Record<string, string>): string => header.map((name) => quoteField(row[name] ?? '')).join(',');

/** The movies file with the cases above; also where its multi-line record starts and ends. */
async function moviesWithCases(): Promise<{ text: string; multiLine: { start: number; end: number } }> {
  const { header, rows } = await parseStrictCsv(await readFile(path.join(SAMPLE, 'movies_metadata.csv'), 'utf8'));
  const records = rows.map((row) => csvRecord(header, row));
  const at = (index: number) => rows[index] as Record<string, string>;
  const overview = Array.from({ length: 600 }, (_, line) => `Line ${line} of an overview "quoted", spanning lines.`).join('\n');
  const multiLine = csvRecord(header, { ...at(3), id: MULTI_LINE_ID, overview });
  const repeatOfFirstShard = csvRecord(header, at(5));
  const rejectedFirst = csvRecord(header, { ...at(7), id: REJECTED_FIRST_ID, budget: 'lots' });
  const stagedLater = csvRecord(header, { ...at(8), id: REJECTED_FIRST_ID });
  const tail = [stagedLater, csvRecord(header, at(10)), csvRecord(header, { ...at(11), id: REJECTED_FIRST_ID }), csvRecord(header, at(10))];
  const body = [rejectedFirst, ...records];
  // Place the multi-line record so that the middle of the file falls inside it.
  const bodyBytes = body.reduce((sum, record) => sum + Buffer.byteLength(record) + 1, 0) + tail.reduce((sum, record) => sum + Buffer.byteLength(record) + 1, 0);
  let before = 0;
  let split = 0;
  while (split < body.length && before + Buffer.byteLength(body[split] as string) + 1 < bodyBytes / 2) before += Buffer.byteLength(body[split++] as string) + 1;
  const head = `${header.join(',')}\n${body.slice(0, split).join('\n')}\n`;
  const text = `${head}${multiLine}\n${repeatOfFirstShard}\n${body.slice(split).join('\n')}\n${tail.join('\n')}\n`;
  const start = Buffer.byteLength(head);
  return { text, multiLine: { start, end: start + Buffer.byteLength(multiLine) } };
}

async function readAll(lake: Lake, keys: readonly string[]): Promise<string[]> {
  const lines: string[] = [];
  for (const key of keys) lines.push(...(await readGzipText(lake, key)).split('\n').slice(1).filter((line) => line !== ''));
  return lines;
}

/** Staged rows per dataset, sorted; a dimension's as a set (each shard drops its own repeats). */
async function stagedRows(lake: Lake, manifest: TransformManifest, dimensions: readonly string[]): Promise<Record<string, string[]>> {
  const rows: Record<string, string[]> = {};
  for (const [name, output] of Object.entries(manifest.outputs)) {
    const lines = await readAll(lake, output.objects);
    rows[name] = (dimensions.includes(name) ? [...new Set(lines)] : lines).sort();
  }
  return rows;
}

const countsOf = (manifest: TransformManifest) => ({
  input_rows: manifest.input_rows,
  accepted: manifest.accepted,
  rejected: manifest.rejected,
  rejected_by_reason: manifest.rejected_by_reason,
  rejected_bytes_by_reason: manifest.rejected_bytes_by_reason,
  ledger: manifest.ledger,
  bytes: manifest.source.bytes,
});

async function runShard(lake: Lake, source: TransformSource, runId: string, shard: Shard, partRows = 50, maxRejectRatio = DEFAULT_MAX_REJECT_RATIO * 100): Promise<TransformManifest> {
  const options = { source, maxRejectRatio, partLimits: { ...DEFAULT_PART_LIMITS, rows: partRows }, shard };
  return (await transform(options, { lake, logger: silentLogger(), runId })).manifest;
}

async function runShards(lake: Lake, source: TransformSource, runId: string, count: number): Promise<TransformManifest> {
  // Concurrently, as the DAG runs them.
  await Promise.all(Array.from({ length: count }, (_, index) => runShard(lake, source, runId, { index: index + 1, count })));
  return (await readShardedTransformManifest(lake, source, runId, count)).manifest as TransformManifest;
}

async function rejectsOf(lake: Lake, source: TransformSource, runId: string, shards: number) {
  const keys = shards === 1 ? [layout.rejects(source, runId)] : Array.from({ length: shards }, (_, index) => layout.rejectsShard(source, runId, { index: index + 1, count: shards }));
  const rejects = [];
  for (const key of keys) if (await lake.head(key)) rejects.push(...(await readRejects(lake, key)));
  return rejects.sort((a, b) => a.line - b.line);
}

describe('sharded transforms and their load', () => {
  let target: WarehouseTestTarget;
  let lake: Lake;
  let movies: Awaited<ReturnType<typeof moviesWithCases>>;
  const whole: Partial<Record<TransformSource, TransformManifest>> = {};

  beforeAll(async () => {
    target = await pgliteTarget();
    lake = target.lake;
    movies = await moviesWithCases();
    for (const runId of ['whole', ...SHARD_COUNTS.map((count) => `shards-${count}`), 'missing', 'rerun', 'ratio-within', 'ratio-over']) {
      await putRaw(lake, 'movies', runId, movies.text);
      await putRaw(lake, 'credits', runId, await readFile(path.join(SAMPLE, 'credits.csv')));
    }
    for (const source of ['movies', 'credits'] as const) whole[source] = await runShard(lake, source, 'whole', { index: 1, count: 1 });
  }, 120_000);
  afterAll(async () => target?.close());

  it('the 2-shard cut of the movies file falls inside the quoted multi-line overview, and the whole file has repeated ids', () => {
    const bytes = Buffer.from(movies.text);
    const middle = nominalStart(bytes.length, 2, 2);
    expect(bytes.indexOf(MULTI_LINE_ID, movies.multiLine.start)).toBeLessThan(movies.multiLine.end);
    expect(middle).toBeGreaterThan(bytes.indexOf('\n', movies.multiLine.start));
    expect(middle).toBeLessThan(movies.multiLine.end);
    expect(whole.movies?.rejected_by_reason).toMatchObject({ duplicate_id: 4, invalid_number: 1 });
  });

  it.each(SHARD_COUNTS)('%i shards of movies and credits stage the rows, rejects (same lines) and counts of the whole file', async (count) => {
    const runId = `shards-${count}`;
    for (const source of ['movies', 'credits'] as const) {
      const sharded = await runShards(lake, source, runId, count);
      const reference = whole[source] as TransformManifest;
      expect(countsOf(sharded)).toEqual(countsOf(reference));
      const dimensions = MAPPINGS[source].dimensions;
      expect(await stagedRows(lake, sharded, dimensions)).toEqual(await stagedRows(lake, reference, dimensions));
      for (const [name, output] of Object.entries(sharded.outputs)) {
        if (!dimensions.includes(name)) expect(output.rows).toBe(reference.outputs[name]?.rows);
      }
      expect(await rejectsOf(lake, source, runId, count)).toEqual(await rejectsOf(lake, source, 'whole', 1));
    }
    const shardTwo = await getJson<TransformManifest>(lake, layout.shardManifest('transform-movies', runId, { index: 2, count }));
    expect(shardTwo.shard).toMatchObject({ index: 2, count });
  }, 120_000);

  it('with CRLF line ends, and with more shards than records in places (empty shards), the shards still stage the whole file', async () => {
    const crlf = movies.text.replaceAll('\n', '\r\n');
    await putRaw(lake, 'movies', 'crlf-whole', crlf);
    await putRaw(lake, 'movies', 'crlf-shards', crlf);
    await putRaw(lake, 'credits', 'crlf-whole', await readFile(path.join(SAMPLE, 'credits.csv')));
    await putRaw(lake, 'credits', 'crlf-shards', await readFile(path.join(SAMPLE, 'credits.csv')));
    for (const [source, count] of [['movies', 5], ['credits', 24]] as const) {
      const reference = await runShard(lake, source, 'crlf-whole', { index: 1, count: 1 });
      const sharded = await runShards(lake, source, 'crlf-shards', count);
      expect(countsOf(sharded)).toEqual(countsOf(reference));
      const dimensions = MAPPINGS[source].dimensions;
      expect(await stagedRows(lake, sharded, dimensions)).toEqual(await stagedRows(lake, reference, dimensions));
      expect(await rejectsOf(lake, source, 'crlf-shards', count)).toEqual(await rejectsOf(lake, source, 'crlf-whole', 1));
    }
    const shardInputs = await Promise.all(
      Array.from({ length: 24 }, async (_, index) => (await getJson<TransformManifest>(lake, layout.shardManifest('transform-credits', 'crlf-shards', { index: index + 1, count: 24 }))).input_rows),
    );
    expect(shardInputs).toContain(0);
  }, 120_000);

  it('readers not told the layout (quality-check, report) find the finished shards; a later whole transform replaces them', async () => {
    const found = (await readFinishedTransformManifest(lake, 'credits', 'shards-4')).manifest as TransformManifest;
    expect(countsOf(found)).toEqual(countsOf(whole.credits as TransformManifest));
    await runShard(lake, 'credits', 'shards-4', { index: 1, count: 1 });
    expect(await lake.list(layout.shardManifests('transform-credits', 'shards-4'))).toEqual([]);
    expect((await readFinishedTransformManifest(lake, 'credits', 'shards-4')).key).toBe(layout.manifest('transform-credits', 'shards-4'));
    await runShard(lake, 'credits', 'shards-4', { index: 1, count: 2 });
    expect(await lake.head(layout.manifest('transform-credits', 'shards-4'))).toBeUndefined();
  }, 120_000);

  async function loadedChecksums(runId: string, shards: number): Promise<{ sums: Record<string, string>; rowsLoaded: Record<string, number> }> {
    const warehouse = await target.warehouse();
    const names = new WarehouseNames(`t_${randomBytes(4).toString('hex')}`, '');
    await createTables({ warehouse, names, logger: silentLogger() });
    const deps = { warehouse, names, lake, logger: silentLogger(), runId, now: () => new Date('2026-01-02T03:04:05Z') };
    const datasets = [...MAPPINGS.movies.datasets, ...MAPPINGS.credits.datasets];
    const result = await load(deps, { datasets, maxRejectRatio: 0.001, shards });
    const sums: Record<string, string> = {};
    for (const table of MODEL_DATA_TABLES) {
      const [row] = await warehouse.query(`SELECT COUNT(*) AS row_count, md5(COALESCE(string_agg(t::text, '|' ORDER BY t::text), '')) AS checksum FROM ${names.table(table)} AS t`);
      sums[table] = `${String(row?.row_count)}:${String(row?.checksum)}`;
    }
    const loaded = result.datasets as Record<string, { rows_loaded: number }>;
    return { sums, rowsLoaded: Object.fromEntries(datasets.map((name) => [name, loaded[name]?.rows_loaded ?? -1])) };
  }

  it('loading 3 shards leaves the tables (checksums) and ledger of loading the whole transform', async () => {
    const reference = await loadedChecksums('whole', 1);
    expect(reference.sums.movies?.startsWith('0:')).toBe(false);
    expect(await loadedChecksums('shards-3', 3)).toEqual(reference);
  }, 120_000);

  it('a load refuses a missing shard, naming it and the command that makes it', async () => {
    for (const index of [1, 3]) for (const source of ['movies', 'credits'] as const) await runShard(lake, source, 'missing', { index, count: 3 });
    const warehouse = await target.warehouse();
    const names = new WarehouseNames(`t_${randomBytes(4).toString('hex')}`, '');
    await createTables({ warehouse, names, logger: silentLogger() });
    const deps = { warehouse, names, lake, logger: silentLogger(), runId: 'missing', now: () => new Date() };
    const attempt = load(deps, { datasets: ['movies'], maxRejectRatio: 0.001, shards: 3 });
    await expect(attempt).rejects.toThrow(DataError);
    await expect(attempt).rejects.toThrow('movalytics transform movies --shard 2/3');
    // The unsharded manifest is another one: absent here; a reader not told the layout finds no finished transform.
    expect((await readTransformManifest(lake, 'movies', 'missing')).manifest).toBeUndefined();
    expect((await readFinishedTransformManifest(lake, 'movies', 'missing')).manifest).toBeUndefined();
  }, 120_000);

  it('the reject ratio is the whole file\'s, whatever the shard count: shards leave it to the load, which judges them together', async () => {
    const file = whole.movies as TransformManifest;
    const ratioOf = (manifest: TransformManifest) => rejectsCountedInRatio(manifest) / manifest.input_rows;
    // The file's ratio, by records and by bytes: the whole transform passes at exactly this.
    const fileRatio = Math.max(ratioOf(file), rejectedBytesCountedInRatio(file) / file.source.bytes);
    const shardsAt = (runId: string, maxRatio: number) =>
      Promise.all([1, 2].map((index) => runShard(lake, 'movies', runId, { index, count: 2 }, 50, maxRatio)));
    const within = await shardsAt('ratio-within', fileRatio);
    // Rejects cluster: one shard alone is over the file's ratio, and still succeeded.
    expect(Math.max(...within.map(ratioOf))).toBeGreaterThan(fileRatio);
    // The combined manifest names every shard's rejects file (the report lists them all).
    const combined = (await readShardedTransformManifest(lake, 'movies', 'ratio-within', 2)).manifest as TransformManifest;
    expect(combined.rejects_objects).toEqual([1, 2].map((index) => layout.rejectsShard('movies', 'ratio-within', { index, count: 2 })));
    expect(combined.max_reject_ratio).toBe(fileRatio);
    const loadMovies = async (runId: string) => {
      const warehouse = await target.warehouse();
      const names = new WarehouseNames(`t_${randomBytes(4).toString('hex')}`, '');
      await createTables({ warehouse, names, logger: silentLogger() });
      return load({ warehouse, names, lake, logger: silentLogger(), runId, now: () => new Date() }, { datasets: ['movies'], maxRejectRatio: 0.001, shards: 2 });
    };
    expect((await loadMovies('ratio-within')).datasets).toMatchObject({ movies: { rows_loaded: file.outputs.movies?.rows } });

    // Just under the file's ratio: the whole transform fails, the shards do not, and their load fails as the whole did.
    const stricter = fileRatio * 0.99;
    await expect(runShard(lake, 'movies', 'ratio-over', { index: 1, count: 1 }, 50, stricter)).rejects.toThrow(/above --max-reject-ratio/);
    await shardsAt('ratio-over', stricter);
    const refused = loadMovies('ratio-over');
    await expect(refused).rejects.toBeInstanceOf(DataError);
    await expect(refused).rejects.toThrow(new RegExp(`rejected \\(ratio [0-9.]+.*\\), above --max-reject-ratio ${stricter}`));
  }, 120_000);

  it('a shard rerun replaces its own parts and rejects only: nothing doubled, the union unchanged', async () => {
    await runShards(lake, 'movies', 'rerun', 3);
    const before = (await readShardedTransformManifest(lake, 'movies', 'rerun', 3)).manifest as TransformManifest;
    await runShard(lake, 'movies', 'rerun', { index: 2, count: 3 }, 7);
    await runShard(lake, 'movies', 'rerun', { index: 2, count: 3 }, 40);
    const after = (await readShardedTransformManifest(lake, 'movies', 'rerun', 3)).manifest as TransformManifest;
    expect(countsOf(after)).toEqual(countsOf(before));
    for (const [name, output] of Object.entries(after.outputs)) {
      const stored = (await lake.list(layout.stagedPrefix(name, 'rerun'))).map((object) => object.key);
      expect(stored).toEqual([...output.objects].sort());
    }
    const dimensions = MAPPINGS.movies.dimensions;
    expect(await stagedRows(lake, after, dimensions)).toEqual(await stagedRows(lake, whole.movies as TransformManifest, dimensions));
  }, 120_000);
});

describe('transform --shard on the command line', () => {
  it('refuses a malformed shard and a source too small to shard (exit 2)', async () => {
    const lake = await fileLake();
    await putRaw(lake, 'cpi', 'cli-1', await readFile(path.join(REAL_SAMPLE, 'CUSR0000SS62031.csv')));
    for (const argv of [['transform', 'movies', '--shard', '3/2'], ['transform', 'cpi', '--shard', '1/2']]) {
      const { exitCode, result } = await runCli([...argv, '--lake', lake.url, '--run-id', 'cli-1']);
      expect({ exitCode, status: result.status }).toEqual({ exitCode: 2, status: 'failed' });
    }
  });
});
