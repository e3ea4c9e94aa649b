/**
 * The floors our steps are measured against, each as its own measured process:
 *
 *   \copy  psql's `\copy` of the raw ratings file into an unindexed table of four text columns
 *          (sql/bench/create-ratings-floor.sql), in a bench schema of the same server: the least
 *          any load of that file can cost;
 *   read   a plain read of each source file (plain-read.ts): the least any transform can cost.
 *
 * Their sum is the floor of the whole pipeline.
 */
import path from 'node:path';
import { quoteIdentifier, WarehouseNames } from '../tasks/core/warehouse/identifiers';
import { readSqlFile, renderSql, sqlStatement } from '../tasks/core/warehouse/sql-files';
import { keepTail, RATINGS_FILE, sourceFile, type Dataset } from './dataset';
import { measure, type Measurement } from './measure';
import type { BenchOptions } from './options';
import type { BenchDatabase } from './services';

export const FLOOR_SCHEMA = 'bench_floor';
/** The floor table's columns: the raw file's four, as text. */
const FLOOR_COLUMNS = ['user_id', 'movielens_id', 'rating', 'rated_at_epoch'];

export interface Floors {
  copy: Measurement & { rows: number };
  /** Plain read of each source file, by file name. */
  reads: Record<string, Measurement>;
  /** \copy plus every plain read: the floor of the whole pipeline. */
  totalSeconds: number;
}

export async function measureFloors(options: BenchOptions, dataset: Dataset, database: BenchDatabase): Promise<Floors> {
  const reads: Record<string, Measurement> = {};
  for (const file of dataset.files) reads[file.name] = await plainRead(options, file.path);
  const copy = await copyFloor(options, dataset, database);
  const totalSeconds = copy.seconds + Object.values(reads).reduce((sum, read) => sum + read.seconds, 0);
  return { copy, reads, totalSeconds };
}

async function plainRead(options: BenchOptions, file: string): Promise<Measurement> {
  const stderr: string[] = [];
  const read = await measure(process.execPath, [path.join(__dirname, 'plain-read.js'), file], {
    env: options.childEnv,
    onStderrLine: (line) => keepTail(stderr, line),
  });
  if (read.exitCode !== 0) throw new Error(`plain read of ${file} failed: ${stderr.join('\n')}`);
  return read;
}

async function copyFloor(options: BenchOptions, dataset: Dataset, database: BenchDatabase): Promise<Measurement & { rows: number }> {
  const table = new WarehouseNames(FLOOR_SCHEMA, '').table('ratings_copy_floor');
  await database.dropSchema(FLOOR_SCHEMA);
  await database.createSchema(FLOOR_SCHEMA);
  try {
    await database.execute(sqlStatement('bench/create-ratings-floor', undefined, { table }));
    const script = renderSql(readSqlFile('bench/copy-ratings-floor'), {
      table,
      columns: FLOOR_COLUMNS.map(quoteIdentifier).join(', '),
      file: sqlLiteral(sourceFile(dataset, RATINGS_FILE).path),
    });
    let rows = Number.NaN;
    const output: string[] = [];
    const copy = await measure('psql', ['-X', '-v', 'ON_ERROR_STOP=1', '-d', database.url, '-f', '-'], {
      env: options.childEnv,
      input: script,
      onStdoutLine: (line) => {
        const match = /^COPY (\d+)$/.exec(line.trim());
        if (match) rows = Number(match[1]);
      },
      onStderrLine: (line) => keepTail(output, line),
    });
    if (copy.exitCode !== 0 || Number.isNaN(rows)) throw new Error(`psql \\copy failed (exit ${copy.exitCode}): ${output.join('\n')}`);
    return { ...copy, rows };
  } finally {
    await database.dropSchema(FLOOR_SCHEMA);
  }
}

/** A file path as a psql string literal: the path is the bench's own, quotes doubled anyway. */
function sqlLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
