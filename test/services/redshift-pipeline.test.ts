/**
 * The whole pipeline (`movalytics run`, the generated `tiny` sample, min_ratings 2) twice, on real
 * services: once on PostgreSQL as one shard, once in two shards with `--warehouse redshift-data://…`
 * against the Redshift Data API stand-in (test/support/redshift-data-server.ts: its limits, its
 * concurrent sessions judged under SERIALIZABLE isolation), each with its own lake on MinIO, whose
 * objects the stand-in's COPY reads as Redshift reads S3. The loads run at once, as the step graph
 * allows. Both runs must write the same report.json; every statement Redshift received must pass
 * the dialect check.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { comparableReport } from '../../bench/comparable-report';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { getJson } from '../../tasks/core/lake/lake';
import { layout } from '../../tasks/core/lake/layout';
import { S3Lake } from '../../tasks/core/lake/s3-lake';
import { STAGED_DATASETS } from '../../tasks/core/staged';
import { PIPELINE_STEPS } from '../../tasks/pipeline/steps';
import type { Report } from '../../tasks/report/report';
import { buildCli, runCli, type BuiltCli } from '../support/cli-process';
import { RedshiftDataServer } from '../support/redshift-data-server';
import { redshiftDialectProblems } from '../support/redshift-dialect';
import { TEST_COPY_ROLE, TEST_WORKGROUP_URL } from '../support/warehouse-targets';
import { serviceEnv } from './support';

const RUN_ID = 'parity-1';
const prefix = `redshift-parity-${randomBytes(4).toString('hex')}`;
const postgresSchema = `parity_${randomBytes(4).toString('hex')}`;

let cli: BuiltCli;
let work: string;
let server: RedshiftDataServer;

function minioEnv(): NodeJS.ProcessEnv {
  return {
    AWS_ACCESS_KEY_ID: serviceEnv('MOVALYTICS_TEST_MINIO_ACCESS_KEY'),
    AWS_SECRET_ACCESS_KEY: serviceEnv('MOVALYTICS_TEST_MINIO_SECRET_KEY'),
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_S3: serviceEnv('MOVALYTICS_TEST_MINIO_ENDPOINT'),
  };
}

/** MinIO with the credentials the tasks use: for the stand-in's COPY and for reading the lakes here. */
function minioClient(): S3Client {
  return new S3Client({
    endpoint: serviceEnv('MOVALYTICS_TEST_MINIO_ENDPOINT'),
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: serviceEnv('MOVALYTICS_TEST_MINIO_ACCESS_KEY'), secretAccessKey: serviceEnv('MOVALYTICS_TEST_MINIO_SECRET_KEY') },
  });
}

function lakeOf(name: string): S3Lake {
  return new S3Lake(`s3://${serviceEnv('MOVALYTICS_TEST_MINIO_BUCKET')}/${prefix}/${name}`, minioClient());
}

/** `movalytics run` of the shared sample into `lake` and `warehouse`; the report it wrote. */
async function pipeline(lake: S3Lake, runArgs: string[], env: NodeJS.ProcessEnv): Promise<Report> {
  const run = await runCli(
    cli,
    ['run', '--scale', 'tiny', '--data-dir', path.join(work, 'data'), '--lake', lake.url, ...runArgs, '--run-id', RUN_ID, '--min-ratings', '2', '--parallel', '6'],
    { ...minioEnv(), ...env },
    work,
  );
  expect({ code: run.code, errors: run.errorLines }).toEqual({ code: 0, errors: [] });
  return getJson<Report>(lake, layout.report(RUN_ID, 'report.json'));
}

/**
 * The load steps that write staging tables in the two-shard run on Redshift: all but the ratings
 * shards, which stage their rows in the lake for the step gathering them to COPY.
 */
const LOAD_STEPS = PIPELINE_STEPS.filter((step) => step.argv[0] === 'load' && step.shards !== 'each');

/** Per load step of the step graph: [first, last] index of the statements naming its staging tables. */
function loadStepSpans(statements: string[]): Array<{ step: string; first: number; last: number }> {
  const stage = (dataset: string) => `stage_${dataset}_${RUN_ID.replace(/-/g, '_')}_`;
  return LOAD_STEPS.flatMap((step) => {
    const datasets = step.argv.slice(1);
    const indexes = statements.flatMap((sql, index) => (datasets.some((dataset) => sql.includes(stage(dataset))) ? [index] : []));
    return indexes.length ? [{ step: step.id, first: Math.min(...indexes), last: Math.max(...indexes) }] : [];
  });
}

beforeAll(async () => {
  [cli, work] = await Promise.all([buildCli(), mkdtemp(path.join(tmpdir(), 'redshift-parity-'))]);
  server = await RedshiftDataServer.start({ dataDir: path.join(work, 'pglite'), s3: minioClient() });
}, 180_000);

afterAll(async () => {
  const client = new pg.Client({ connectionString: process.env.MOVALYTICS_TEST_POSTGRES_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${postgresSchema} CASCADE`);
  await client.end();
  for (const lake of [lakeOf('postgres'), lakeOf('redshift')]) for (const object of await lake.list('')) await lake.delete(object.key);
  await server?.close();
  await cli?.remove();
  await rm(work, { recursive: true, force: true });
}, 120_000);

describe('the whole pipeline on the Redshift stand-in and on PostgreSQL, both with MinIO', () => {
  let postgresReport: Report;
  let redshiftReport: Report;
  const postgresLake = lakeOf('postgres');
  const redshiftLake = lakeOf('redshift');

  beforeAll(async () => {
    postgresReport = await pipeline(postgresLake, ['--warehouse', serviceEnv('MOVALYTICS_TEST_POSTGRES_URL'), '--warehouse-schema', postgresSchema], {});
    redshiftReport = await pipeline(redshiftLake, ['--warehouse', TEST_WORKGROUP_URL, '--copy-iam-role', TEST_COPY_ROLE, '--shards', '2'], {
      AWS_ENDPOINT_URL_REDSHIFT_DATA: server.endpoint,
    });
  }, 600_000);

  it('write the same report.json', () => {
    expect(comparableReport(redshiftReport, redshiftLake.url)).toEqual(comparableReport(postgresReport, postgresLake.url));
    expect(redshiftReport.highest_rated.length).toBeGreaterThan(0);
  });

  it('Redshift read every staged dataset from MinIO itself, with COPY; both ratings shards\' parts with one manifest', () => {
    const copied = server.copies.flatMap((copy) => copy.objects);
    expect(copied.length).toBeGreaterThanOrEqual(STAGED_DATASETS.length + 1);
    const ratingsCopies = server.copies.filter((copy) => copy.objects.some((url) => url.includes('/staged/ratings/')));
    expect(ratingsCopies.map((copy) => copy.objects.map((url) => url.slice(url.lastIndexOf('/') + 1)))).toEqual([['part-01of02-00000.csv.gz', 'part-02of02-00000.csv.gz']]);
    expect(copied.filter((url) => !url.startsWith(`${redshiftLake.url}/staged/`))).toEqual([]);
    expect(server.copies.reduce((rows, copy) => rows + copy.rows, 0)).toBeGreaterThan(500);
  });

  it('the loads ran at once: the staging work of different load steps interleaved', () => {
    const spans = loadStepSpans(server.statements);
    expect(spans.map((span) => span.step).sort()).toEqual(LOAD_STEPS.map((step) => step.id).sort());
    const overlapping = spans.filter((span) => spans.some((other) => other !== span && other.first < span.last && span.first < other.last));
    expect(overlapping.length).toBeGreaterThanOrEqual(2);
  });

  it('every statement Redshift received passes the Redshift dialect check', () => {
    const received = server.statements.map((sql, index) => ({ where: `statement ${index + 1}`, sql }));
    expect(received.length).toBeGreaterThan(200);
    expect(redshiftDialectProblems(received)).toEqual([]);
  });
});
