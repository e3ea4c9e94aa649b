/** What the transform tests share: lakes, raw inputs, running the transform, reading staged objects back. */
import { parseString } from 'fast-csv';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { buildCli } from '../tasks/cli';
import { FileLake } from '../tasks/core/lake/file-lake';
import type { Lake } from '../tasks/core/lake/lake';
import { layout } from '../tasks/core/lake/layout';
import type { TransformSource } from '../tasks/core/staged';
import { DEFAULT_MAX_REJECT_RATIO, transform, type TransformResult } from '../tasks/transform';
import { DEFAULT_PART_LIMITS, type PartLimits } from '../tasks/core/lake/staged-writer';
import { silentLogger } from './support/silent-logger';

/** Byte-exact copies of /work/shared/data/real-sample, kept in the repository so a fresh clone tests alone. */
export const REAL_SAMPLE = path.join(__dirname, 'fixtures', 'real-sample');
export const FIXTURES = path.join(__dirname, 'fixtures', 'real');

/** Where each source's raw object lives, and which real-sample file stands in for it. */
export const RAW_FILES: Record<TransformSource, { key: (runId: string) => string; realSample: string }> = {
  movies: { key: (runId) => layout.raw('movies', runId, 'movies_metadata.csv'), realSample: 'movies_metadata.csv' },
  credits: { key: (runId) => layout.raw('movies', runId, 'credits.csv'), realSample: 'credits.csv' },
  keywords: { key: (runId) => layout.raw('movies', runId, 'keywords.csv'), realSample: 'keywords.csv' },
  links: { key: (runId) => layout.raw('movies', runId, 'links.csv'), realSample: 'links_small.csv' },
  cpi: { key: (runId) => layout.raw('cpi', runId, 'CUSR0000SS62031.csv'), realSample: 'CUSR0000SS62031.csv' },
};

const directories: string[] = [];

/** A fresh temporary directory, removed by removeTemporaryDirectories() after the test file. */
export async function temporaryDirectory(prefix: string): Promise<string> {
  const directory = await mkdtemp(path.join(tmpdir(), prefix));
  directories.push(directory);
  return directory;
}

export async function removeTemporaryDirectories(): Promise<void> {
  await Promise.all(directories.splice(0).map((directory) => rm(directory, { recursive: true, force: true })));
}

export async function fileLake(): Promise<FileLake> {
  return new FileLake(pathToFileURL(await temporaryDirectory('transform-lake-')).href);
}

export async function putRaw(lake: Lake, source: TransformSource, runId: string, content: Buffer | string): Promise<void> {
  await lake.put(RAW_FILES[source].key(runId), content);
}

export async function putRealSample(lake: Lake, source: TransformSource, runId: string): Promise<void> {
  await putRaw(lake, source, runId, await readFile(path.join(REAL_SAMPLE, RAW_FILES[source].realSample)));
}

export async function runTransform(
  lake: Lake,
  source: TransformSource,
  runId: string,
  options: { maxRejectRatio?: number; partLimits?: Partial<PartLimits> } = {},
): Promise<TransformResult> {
  return transform(
    {
      source,
      maxRejectRatio: options.maxRejectRatio ?? DEFAULT_MAX_REJECT_RATIO,
      partLimits: { ...DEFAULT_PART_LIMITS, ...options.partLimits },
    },
    { lake, logger: silentLogger(), runId },
  );
}

export async function readObject(lake: Lake, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await lake.get(key)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function readGzipText(lake: Lake, key: string): Promise<string> {
  return gunzipSync(await readObject(lake, key)).toString('utf8');
}

export interface StrictCsv {
  header: string[];
  rows: Array<Record<string, string>>;
  invalidRows: number;
}

/** Parses CSV with fast-csv's strict column handling: a row with a wrong field count is counted as invalid. */
export async function parseStrictCsv(text: string): Promise<StrictCsv> {
  return new Promise((resolve, reject) => {
    let header: string[] = [];
    const rows: Array<Record<string, string>> = [];
    let invalidRows = 0;
    parseString<Record<string, string>, Record<string, string>>(text, { headers: true, strictColumnHandling: true })
      .on('headers', (names: string[]) => (header = names))
      .on('data', (row: Record<string, string>) => rows.push(row))
      .on('data-invalid', () => invalidRows++)
      .on('error', reject)
      .on('end', () => resolve({ header, rows, invalidRows }));
  });
}

/** The rejects file as records: line, reason, record. */
export async function readRejects(lake: Lake, key: string): Promise<Array<{ line: number; reason: string; record: string }>> {
  const { rows, invalidRows } = await parseStrictCsv(await readGzipText(lake, key));
  if (invalidRows > 0) throw new Error(`${invalidRows} malformed rows in ${key}`);
  return rows.map((row) => ({ line: Number(row.line), reason: row.reason ?? '', record: row.record ?? '' }));
}

export interface CliRun {
  exitCode: number;
  result: Record<string, unknown>;
}

/** Runs `movalytics <argv>` in this process, as the container would, and returns its exit code and result JSON. */
export async function runCli(argv: string[]): Promise<CliRun> {
  const resultFile = path.join(await temporaryDirectory('transform-result-'), 'result.json');
  const write = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  const stderrWrite = process.stderr.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    await buildCli([...argv, '--result-file', resultFile, '--log-level', 'error']).parseAsync();
  } finally {
    process.stdout.write = write;
    process.stderr.write = stderrWrite;
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { exitCode, result: JSON.parse(await readFile(resultFile, 'utf8')) as Record<string, unknown> };
}
