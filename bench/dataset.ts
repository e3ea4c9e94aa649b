/**
 * The generated source files the bench measures, made once per scale and seed and cached
 * (`<cache-dir>/<scale>-seed-<seed>/`): generated into a scratch folder beside it, then renamed,
 * so an interrupted generation never leaves a half-written dataset that looks complete.
 */
import { existsSync } from 'node:fs';
import { readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { measure } from './measure';
import { CLI, type BenchOptions } from './options';

export const RATINGS_FILE = 'ratings.csv';
export const CPI_FILE = 'CUSR0000SS62031.csv';
const SUMMARY = 'generate-sample.json';

export interface SourceFile {
  name: string;
  path: string;
  bytes: number;
  records: number;
}

export interface Dataset {
  folder: string;
  files: SourceFile[];
  /** Seconds the generation took in this run, or undefined when the cached copy was used. */
  generatedInSeconds: number | undefined;
}

interface GenerateSummary {
  files: Record<string, { bytes: number; records: number }>;
}

export async function ensureDataset(options: BenchOptions, log: (line: string) => void): Promise<Dataset> {
  const folder = path.join(options.cacheDir, `${options.scale}-seed-${options.seed}`);
  let generatedInSeconds: number | undefined;
  if (!existsSync(path.join(folder, SUMMARY))) {
    const scratch = `${folder}.tmp-${process.pid}`;
    log(`generating the ${options.scale} dataset once into ${folder} (cached for later runs)…`);
    const args = [CLI, 'generate-sample', '--scale', options.scale, '--seed', String(options.seed), '--out', scratch, '--log-level', 'warn'];
    const stderr: string[] = [];
    const generated = await measure(process.execPath, args, { env: options.childEnv, onStderrLine: (line) => keepTail(stderr, line) });
    if (generated.exitCode !== 0) {
      await rm(scratch, { recursive: true, force: true });
      throw new Error(`generate-sample failed (exit ${generated.exitCode}): ${stderr.join('\n')}`);
    }
    await rm(folder, { recursive: true, force: true });
    await rename(scratch, folder);
    generatedInSeconds = generated.seconds;
  }
  const summary = JSON.parse(await readFile(path.join(folder, SUMMARY), 'utf8')) as GenerateSummary;
  const files = Object.entries(summary.files).map(([name, file]) => ({ name, path: path.join(folder, name), bytes: file.bytes, records: file.records }));
  return { folder, files, generatedInSeconds };
}

export function sourceFile(dataset: Dataset, name: string): SourceFile {
  const file = dataset.files.find((candidate) => candidate.name === name);
  if (!file) throw new Error(`the generated dataset in ${dataset.folder} has no ${name}`);
  return file;
}

/** Keeps the last lines of a child's output for an error message. */
export function keepTail(lines: string[], line: string, max = 20): void {
  lines.push(line);
  if (lines.length > max) lines.shift();
}
