/**
 * `npm run bench`: the pipeline measured where it matters, beside its floors, in one run.
 *
 *   the hand-written pieces against the libraries that do the same job (bench/libraries/)
 *   → start PostgreSQL (and MinIO) with scripts/services/, generate the dataset once (cached)
 *   → for each pipeline variant (PostgreSQL with a file lake, PostgreSQL with the MinIO lake, PGlite):
 *       the floors (psql \copy of the ratings, a plain read of each source file), then the whole
 *       pipeline step by step, each step its own process under GNU time (wall, rows/s, MB/s, peak RSS)
 *   → the PySpark peer (the original approach) on the same files and server
 *   → the results as Markdown on stdout, and as JSON and Markdown under <cache-dir>/results/
 *   → every schema, lake and scratch folder of the run removed (the generated data stays cached).
 *
 * Not a test: it asserts nothing but that every step succeeded and the report counted the ratings.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { S3Client } from '@aws-sdk/client-s3';
import type { Lake } from '../tasks/core/lake/lake';
import { openLake } from '../tasks/core/lake/open-lake';
import { S3Lake } from '../tasks/core/lake/s3-lake';
import { ensureDataset, RATINGS_FILE, sourceFile, type Dataset } from './dataset';
import { measureFloors } from './floors';
import { measureLibraries } from './libraries/index';
import { renderLibraries } from './libraries/render';
import { describeMachine } from './machine';
import { checkGnuTime } from './measure';
import { CLI, readBenchOptions, REPO_ROOT, type BenchOptions, type Part } from './options';
import { measurePipeline, type PipelineTarget } from './pipeline';
import { measurePyspark } from './pyspark';
import { renderResult, type BenchResult, type VariantResult } from './report';
import { BenchDatabase, startMinio, startPostgres, type MinioService } from './services';

type PipelinePart = Exclude<Part, 'pyspark' | 'libraries'>;

const TITLES: Record<PipelinePart, string> = {
  'pg-file': 'PostgreSQL, file lake',
  'pg-s3': 'PostgreSQL, MinIO lake',
  pglite: 'PGlite, file lake',
};

interface Services {
  postgresUrl: string;
  database: BenchDatabase;
  minio: MinioService | undefined;
}

async function main(): Promise<void> {
  const options = readBenchOptions();
  checkGnuTime();
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm run bench does)`);
  const startedAt = new Date();
  const loadAtStart = os.loadavg()[0] ?? NaN;
  log(`bench: ${options.scale} scale, parts ${options.parts.join(', ')}; scratch in ${options.workDir}`);
  if (options.parts.includes('libraries')) await benchLibraries(options, startedAt);
  if (options.parts.every((part) => part === 'libraries')) return rm(options.workDir, { recursive: true, force: true });

  const postgresUrl = await startPostgres(options);
  log(`PostgreSQL at ${postgresUrl}`);
  const minio = options.parts.includes('pg-s3') ? await startMinio(options) : undefined;
  if (minio) log(`MinIO at ${minio.endpoint}, bucket ${minio.bucket}`);
  const dataset = await ensureDataset(options, log);
  log(`data: ${dataset.folder} (${sourceFile(dataset, RATINGS_FILE).records.toLocaleString('en-US')} ratings)`);
  const services: Services = { postgresUrl, database: await BenchDatabase.open(postgresUrl, options.childEnv.PGPASSWORD), minio };
  await mkdir(options.workDir, { recursive: true });
  try {
    const variants: VariantResult[] = [];
    const failures: string[] = [];
    let pyspark: BenchResult['pyspark'];
    for (const part of options.parts) {
      // A part that fails is reported and the others still run: one broken service costs one column.
      try {
        if (part === 'libraries') continue;
        if (part !== 'pyspark') {
          // PGlite runs one warehouse step at a time: its shards could not load at once.
          for (const shards of part === 'pglite' ? options.shards.slice(0, 1) : options.shards) {
            variants.push(await measureVariant(part, shards, options, dataset, services));
          }
        }
        else pyspark = await measurePeer(options, dataset, services, variants);
      } catch (error) {
        const message = `${part} failed: ${error instanceof Error ? error.message : String(error)}`;
        failures.push(message);
        log(message);
      }
    }
    const machine = await describeMachine({
      'PostgreSQL server': await services.database.serverVersion(),
      ...(minio ? { MinIO: await minioVersion() } : {}),
      ...(pyspark ? { pyspark: pyspark.version } : {}),
    });
    const result: BenchResult = {
      scale: options.scale,
      seed: options.seed,
      startedAt: startedAt.toISOString().replace(/\.\d+Z$/, 'Z'),
      minutes: (Date.now() - startedAt.getTime()) / 60000,
      loadAverage: { start: loadAtStart, end: os.loadavg()[0] ?? NaN },
      dataset,
      machine,
      variants,
      pyspark,
      failures,
    };
    const markdown = renderResult(result);
    process.stdout.write(`\n${markdown}`);
    const saved = await saveResult(options, result, markdown);
    log(`results: ${saved}.{json,md}`);
    if (failures.length > 0) process.exitCode = 1;
  } finally {
    await rm(options.workDir, { recursive: true, force: true });
    await services.database.close();
  }
}

async function measurePeer(options: BenchOptions, dataset: Dataset, services: Services, variants: readonly VariantResult[]): Promise<BenchResult['pyspark']> {
  log('PySpark peer…');
  const measured = await measurePyspark(options, dataset, services.database);
  log(`  PySpark peer ${measured.seconds.toFixed(1)} s (jobs ${JSON.stringify(measured.jobs)}), peak RSS ${measured.peakRssMb.toFixed(0)} MiB`);
  const ours = variants.find((variant) => variant.part === 'pg-file') ?? variants[0];
  return { ...measured, oursSeconds: ours?.pipeline.seconds ?? Number.NaN };
}

/** One pipeline variant: its floors, then the whole pipeline, then its data removed. */
async function measureVariant(part: PipelinePart, shards: number, options: BenchOptions, dataset: Dataset, services: Services): Promise<VariantResult> {
  const title = `${TITLES[part]}, ${shards} shard${shards === 1 ? '' : 's'}`;
  log(`${title}: floors…`);
  const floors = await measureFloors(options, dataset, services.database);
  log(`  \\copy ${floors.copy.seconds.toFixed(1)} s, plain reads ${(floors.totalSeconds - floors.copy.seconds).toFixed(2)} s`);
  const schema = `bench_${part.replace('-', '_')}`;
  const target = await targetOf(part, schema, options, services);
  await services.database.dropSchema(schema);
  log(`${title}: whole pipeline…`);
  try {
    const pipeline = await measurePipeline(options, shards, dataset, target, log);
    log(`  ${pipeline.seconds.toFixed(1)} s, ${(pipeline.seconds / floors.totalSeconds).toFixed(2)}× the floors`);
    return { part, title, floors, pipeline };
  } finally {
    await services.database.dropSchema(schema);
    await removeLake(target);
  }
}

async function targetOf(part: PipelinePart, schema: string, options: BenchOptions, services: Services): Promise<PipelineTarget> {
  const folder = path.join(options.workDir, part);
  if (part === 'pg-s3') {
    const minio = services.minio;
    if (!minio) throw new Error('MinIO was not started');
    const lakeUrl = `s3://${minio.bucket}/run-${process.pid}`;
    const client = new S3Client({
      endpoint: minio.endpoint,
      forcePathStyle: true,
      region: minio.env.AWS_REGION,
      credentials: { accessKeyId: minio.env.AWS_ACCESS_KEY_ID ?? '', secretAccessKey: minio.env.AWS_SECRET_ACCESS_KEY ?? '' },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    return { lakeUrl, lake: new S3Lake(lakeUrl, client), warehouseUrl: services.postgresUrl, warehouseKind: 'postgres', schema, env: minio.env };
  }
  const lakeUrl = pathToFileURL(path.join(folder, 'lake')).href;
  const lake: Lake = await openLake(lakeUrl);
  if (part === 'pglite') return { lakeUrl, lake, warehouseUrl: `pglite://${path.join(folder, 'warehouse')}`, warehouseKind: 'pglite', schema, env: {} };
  return { lakeUrl, lake, warehouseUrl: services.postgresUrl, warehouseKind: 'postgres', schema, env: {} };
}

/** Deletes what a variant wrote: its lake (objects of the run's S3 prefix, or its folder) and PGlite data. */
async function removeLake(target: PipelineTarget): Promise<void> {
  if (target.lakeUrl.startsWith('s3://')) {
    for (const object of await target.lake.list('')) await target.lake.delete(object.key);
  } else {
    await rm(path.dirname(new URL(target.lakeUrl).pathname), { recursive: true, force: true });
  }
}

async function minioVersion(): Promise<string> {
  const script = await readFile(path.join(REPO_ROOT, 'scripts', 'services', 'minio.sh'), 'utf8');
  return /^MINIO_VERSION="([^"]+)"/m.exec(script)?.[1] ?? 'unknown';
}

async function saveResult(options: BenchOptions, result: BenchResult, markdown: string): Promise<string> {
  const folder = path.join(options.cacheDir, 'results');
  await mkdir(folder, { recursive: true });
  const base = path.join(folder, `bench-${options.scale}-${result.startedAt.replace(/[:]/g, '')}`);
  await writeFile(`${base}.json`, `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(`${base}.md`, markdown);
  return base;
}

/** The hand-written pieces against their libraries: printed, and saved beside the pipeline results. */
async function benchLibraries(options: BenchOptions, startedAt: Date): Promise<void> {
  // The commit as the measurement starts: the tree may change while it runs.
  const machine = await describeMachine({});
  const result = await measureLibraries(options.seed, options.workDir, options.libraryRounds, log);
  const markdown = renderLibraries(result, machine, startedAt.toISOString().replace(/\.\d+Z$/, 'Z'));
  process.stdout.write(`\n${markdown}\n`);
  const folder = path.join(options.cacheDir, 'results');
  await mkdir(folder, { recursive: true });
  const base = path.join(folder, `libraries-${startedAt.toISOString().replace(/[:]/g, '').replace(/\.\d+Z$/, 'Z')}`);
  await writeFile(`${base}.json`, `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(`${base}.md`, markdown);
  log(`library results: ${base}.{json,md}`);
}

function log(line: string): void {
  process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`\nbench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
