/**
 * `npm run bench -- --only libraries`: each hand-written piece against the library that does the
 * same job, on full-scale input, in one process: the rounds alternate ours and the library's, so
 * both see the same load of the shared machine; the median of each is kept. Beside them, the
 * step each piece serves is measured whole (transform movies and credits, in this process), so
 * the table can say what the library would cost the step: step × (1 + (library − ours) / step).
 */
import { mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { openLake } from '../../tasks/core/lake/open-lake';
import { layout, RAW_SOURCE } from '../../tasks/core/lake/layout';
import type { Lake } from '../../tasks/core/lake/lake';
import { createLogger, type Logger } from '../../tasks/core/log';
import { DEFAULT_PART_LIMITS } from '../../tasks/core/lake/staged-writer';
import { transform } from '../../tasks/transform/index';
import { makeInputs, type SourceInput } from './inputs';
import { csvReader, download, startServer, stagedWriter, type Run } from './pieces';

export interface LibraryRow {
  piece: string;
  library: string;
  input: string;
  oursSeconds: number;
  librarySeconds: number;
  /** The step the piece serves, and its time with our piece. */
  step: string;
  stepSeconds: number;
  criticalPath: boolean;
}

export interface LibrariesResult {
  rounds: number;
  rows: LibraryRow[];
  loadAverage: { start: number; end: number };
}

interface Pair {
  piece: string;
  library: string;
  input: string;
  step: 'transform movies' | 'transform credits' | 'extract movies';
  ours: Run;
  theirs: Run;
}

const CRITICAL_STEPS = new Set(['extract movies', 'transform movies']);

export async function measureLibraries(seed: number, workDir: string, rounds: number, log: (line: string) => void): Promise<LibrariesResult> {
  const loadAtStart = os.loadavg()[0] ?? NaN;
  log('libraries: generating full-scale movies and credits in memory…');
  const inputs = await makeInputs(seed);
  const folder = path.join(workDir, 'libraries');
  await mkdir(folder, { recursive: true });
  const lake = await openLake(pathToFileURL(path.join(folder, 'lake')).href);
  const logger = silentLogger();
  const { url, server } = await startServer(Buffer.concat([inputs.credits.bytes, inputs.movies.bytes]));
  try {
    const pairs = pairsOf(inputs.movies, inputs.credits, lake, { url, folder, logger });
    const times = new Map<Pair, { ours: number[]; theirs: number[] }>(pairs.map((pair) => [pair, { ours: [], theirs: [] }]));
    const steps: Record<Pair['step'], number[]> = { 'transform movies': [], 'transform credits': [], 'extract movies': [] };
    for (let round = 1; round <= rounds; round++) {
      log(`libraries: round ${round} of ${rounds} (load ${os.loadavg()[0]?.toFixed(1)})`);
      steps['transform movies'].push(await timed(() => transformStep(lake, 'movies', inputs.movies, logger, round)));
      steps['transform credits'].push(await timed(() => transformStep(lake, 'credits', inputs.credits, logger, round)));
      for (const pair of pairs) {
        const time = times.get(pair) as { ours: number[]; theirs: number[] };
        const [ours, theirs] = round % 2 === 1 ? [await timedPair(pair.ours), await timedPair(pair.theirs)] : [...(await reversed(pair))];
        checkSameWork(pair, ours.count, theirs.count);
        time.ours.push(ours.seconds);
        time.theirs.push(theirs.seconds);
      }
    }
    // The extract of the movies source is its download: the step is the piece.
    steps['extract movies'] = times.get(pairs.find((pair) => pair.step === 'extract movies') as Pair)?.ours ?? [];
    const rows = pairs.map((pair): LibraryRow => {
      const time = times.get(pair) as { ours: number[]; theirs: number[] };
      return {
        piece: pair.piece,
        library: pair.library,
        input: pair.input,
        oursSeconds: median(time.ours),
        librarySeconds: median(time.theirs),
        step: pair.step,
        stepSeconds: median(steps[pair.step]),
        criticalPath: CRITICAL_STEPS.has(pair.step),
      };
    });
    return { rounds, rows, loadAverage: { start: loadAtStart, end: os.loadavg()[0] ?? NaN } };
  } finally {
    server.close();
    await rm(folder, { recursive: true, force: true });
  }
}

function pairsOf(movies: SourceInput, credits: SourceInput, lake: Lake, http: { url: string; folder: string; logger: Logger }): Pair[] {
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
  const pairs: Pair[] = [];
  for (const input of [movies, credits]) {
    const step = input === movies ? 'transform movies' : 'transform credits';
    const what = `${input.name} (${mb(input.bytes.length)})`;
    pairs.push({ piece: 'CSV reader (csv-reader.ts, next-occurrence.ts)', library: 'fast-csv parse', input: what, step, ours: csvReader.ours(input), theirs: csvReader.fastCsv(input) });
    pairs.push({ piece: 'CSV reader (csv-reader.ts, next-occurrence.ts)', library: 'csv-parse (info, raw)', input: what, step, ours: csvReader.ours(input), theirs: csvReader.csvParse(input) });
  }
  const rows = `${(movies.records.length - 1).toLocaleString('en-US')} movies rows`;
  pairs.push({ piece: 'CSV row encoder (csv-row-encoder.ts), with zlib gzip', library: 'fast-csv format, with zlib gzip', input: rows, step: 'transform movies', ours: stagedWriter.ours(movies.records, lake), theirs: stagedWriter.fastCsvZlib(movies.records, lake) });
  const body = `${mb(movies.bytes.length + credits.bytes.length)} over local HTTP`;
  const file = path.join(http.folder, 'download.csv');
  pairs.push({ piece: 'download with retry and redirects (http.ts)', library: "Node's fetch", input: body, step: 'extract movies', ours: download.ours(http.url, file, http.logger), theirs: download.fetch(http.url, file) });
  return pairs;
}

async function transformStep(lake: Lake, source: 'movies' | 'credits', input: SourceInput, logger: Logger, round: number): Promise<number> {
  const runId = `libraries-${source}-${round}`;
  const file = source === 'movies' ? 'movies_metadata.csv' : 'credits.csv';
  await lake.put(layout.raw(RAW_SOURCE.movies, runId, file), Readable.from([input.bytes]));
  const result = await transform({ source, maxRejectRatio: 1, partLimits: DEFAULT_PART_LIMITS }, { lake, logger, runId });
  return result.manifest.input_rows;
}

async function timed(run: Run): Promise<number> {
  return (await timedPair(run)).seconds;
}

async function timedPair(run: Run): Promise<{ seconds: number; count: number }> {
  const startedAt = process.hrtime.bigint();
  const count = await run();
  return { seconds: Number(process.hrtime.bigint() - startedAt) / 1e9, count };
}

async function reversed(pair: Pair): Promise<[{ seconds: number; count: number }, { seconds: number; count: number }]> {
  const theirs = await timedPair(pair.theirs);
  return [await timedPair(pair.ours), theirs];
}

function checkSameWork(pair: Pair, ours: number, theirs: number): void {
  if (ours !== theirs) throw new Error(`${pair.piece} against ${pair.library} on ${pair.input}: ${ours} against ${theirs} (not the same work)`);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function silentLogger(): Logger {
  return createLogger('bench', { json: true, level: 'error', stream: new Writable({ write: (_chunk, _encoding, done) => done() }) });
}
