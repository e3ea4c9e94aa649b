/**
 * The bench's options, read and checked once (flags; services' credentials from the environment
 * the way the service scripts take them). Nothing else in bench/ reads process.env.
 */
import os from 'node:os';
import path from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { checkShardCount } from '../tasks/core/shard';

/** What one bench run can measure besides the floors (which are always measured beside them). */
/**
 * In the order they run: the libraries against the hand-written pieces first (no service needed),
 * the slowest pipeline (PGlite) last.
 */
export const PARTS = ['libraries', 'pg-file', 'pg-s3', 'pyspark', 'pglite'] as const;
export type Part = (typeof PARTS)[number];
export type Scale = 'small' | 'full';

export interface BenchOptions {
  scale: Scale;
  seed: number;
  /** Where generated data, the PySpark venv and results are kept between runs. */
  cacheDir: string;
  /** Lakes, PGlite data and Parquet copies of this run; removed at the end. */
  workDir: string;
  parts: readonly Part[];
  /** Most pipeline steps running at once, as `movalytics run --parallel`. */
  parallel: number;
  /** Each PostgreSQL pipeline runs once per shard count (`movalytics run --shards`); PGlite with the first. */
  shards: readonly number[];
  /** Rounds of each library comparison (ours and the library's alternate; the median is kept). */
  libraryRounds: number;
  /** MinIO root credentials: the service script starts MinIO with them, the lake uses them. */
  minio: { user: string; password: string; bucket: string };
  /** The environment children inherit, without MOVALYTICS_* (each run sets its own). */
  childEnv: NodeJS.ProcessEnv;
}

/** The repository root: bench/*.ts runs compiled from dist/bench/. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const CLI = path.join(REPO_ROOT, 'dist', 'tasks', 'cli.js');
export const DEFAULT_CACHE_DIR = '/var/cache/movalytics/bench';

export function readBenchOptions(argv: string[] = hideBin(process.argv), env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const args = yargs(argv)
    .scriptName('npm run bench --')
    .usage('$0 [options]\n\nMeasure the pipeline beside its floors (psql \\copy, plain reads) and the PySpark peer.')
    .options({
      scale: { type: 'string', choices: ['small', 'full'], default: 'full', describe: 'Generated data scale (full: 26,024,289 ratings)' },
      seed: { type: 'number', default: 42, describe: 'Seed of the generated data' },
      'cache-dir': { type: 'string', default: DEFAULT_CACHE_DIR, describe: 'Cache of generated data, the PySpark venv and results' },
      'work-dir': { type: 'string', describe: 'Scratch folder for lakes and PGlite (removed afterwards)', defaultDescription: '$TMPDIR/movalytics-bench-<pid>' },
      only: { type: 'string', array: true, choices: PARTS, describe: 'Measure only these parts (each pipeline part measures its floors right before it)' },
      'skip-pyspark': { type: 'boolean', default: false, describe: 'Leave out the PySpark peer' },
      'library-rounds': { type: 'number', default: 3, describe: 'Rounds of each library comparison (the median is reported)' },
      parallel: { type: 'number', default: os.availableParallelism(), describe: 'Most pipeline steps running at once (movalytics run --parallel)' },
      shards: { type: 'number', array: true, default: [1, 2], describe: 'Run each PostgreSQL pipeline once per shard count (movalytics run --shards); PGlite with the first' },
    })
    .strict()
    .help()
    .parseSync();
  const chosen: readonly Part[] = args.only && args.only.length > 0 ? (args.only as Part[]) : PARTS;
  return {
    scale: args.scale as Scale,
    seed: Math.trunc(args.seed),
    cacheDir: path.resolve(args['cache-dir']),
    workDir: path.resolve(args['work-dir'] ?? path.join(os.tmpdir(), `movalytics-bench-${process.pid}`)),
    parts: chosen.filter((part) => !(args['skip-pyspark'] && part === 'pyspark')),
    parallel: Math.max(1, Math.trunc(args.parallel)),
    shards: args.shards.map((count) => checkShardCount(count)),
    libraryRounds: Math.max(1, Math.trunc(args['library-rounds'])),
    minio: {
      // The values scripts/services/setup.sh uses, so the bench reuses a MinIO the tests started.
      user: env.MINIO_ROOT_USER ?? 'movalytics',
      password: env.MINIO_ROOT_PASSWORD ?? 'movalytics-test-secret',
      bucket: 'movalytics-bench',
    },
    childEnv: Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('MOVALYTICS_'))),
  };
}
