/**
 * DESIGN.md §8 on a real S3 server (MinIO, scripts/services/minio.sh) and PostgreSQL: the whole
 * pipeline (`movalytics run`, the task bundle, a generated `small` sample whose credits.csv is a
 * 46 MB multipart upload) once straight to MinIO and once through the fault-injecting proxy that
 * answers 500/503, resets connections and stalls on a share of the requests. The faulty run must
 * succeed after retries with the lake and the warehouse equal to the clean run's: no partial
 * object, no duplicated row. MinIO checks every request's signature, so its secret key is really
 * in use: it must not appear in the output, the lake or any step's command line.
 * MinIO enforces S3's conditional writes, which s3rver ignores: the run lease on S3 is tested here.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { gunzipSync } from 'node:zlib';
import { AbortMultipartUploadCommand, CreateMultipartUploadCommand, ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { ExitCode } from '../../tasks/core/errors';
import type { Lake } from '../../tasks/core/lake/lake';
import { removeStaleWrites } from '../../tasks/core/lake/stale-writes';
import { createS3Client, S3Lake } from '../../tasks/core/lake/s3-lake';
import { WarehouseNames } from '../../tasks/core/warehouse/identifiers';
import { openWarehouse } from '../../tasks/core/warehouse/open-warehouse';
import type { Warehouse } from '../../tasks/core/warehouse/warehouse';
import { buildBundle, childCommandLines, lakeDigests, outcome, runBundle, tableChecksums, type Bundle, type TaskRun } from '../reliability/support';
import { firstOf, firstRequest, fractionOfRequests, startHttpFaultProxy, type HttpFaultProxy, type ProxiedRequest } from '../support/fault-proxy';
import { lakeLeaseContract } from '../support/lake-lease-contract';
import { silentLogger } from '../support/silent-logger';
import { serviceEnv } from './support';

const RUN = 'minio-1';
const PASSWORD = `pgpassword-${randomBytes(12).toString('hex')}`;
const prefix = `reliability-${randomBytes(4).toString('hex')}`;

let bundle: Bundle;
let work: string;
let sample: string;
let proxy: HttpFaultProxy;
let warehouse: Warehouse;
const schemas: string[] = [];
const lakes: Lake[] = [];

function minioEnv(): NodeJS.ProcessEnv {
  return {
    AWS_ACCESS_KEY_ID: serviceEnv('MOVALYTICS_TEST_MINIO_ACCESS_KEY'),
    AWS_SECRET_ACCESS_KEY: serviceEnv('MOVALYTICS_TEST_MINIO_SECRET_KEY'),
    AWS_REGION: 'us-east-1',
  };
}

function lakeAt(name: string): S3Lake {
  const client = createS3Client({ endpoint: serviceEnv('MOVALYTICS_TEST_MINIO_ENDPOINT'), region: 'us-east-1' });
  const lake = new S3Lake(`s3://${serviceEnv('MOVALYTICS_TEST_MINIO_BUCKET')}/${prefix}/${name}`, client);
  lakes.push(lake);
  return lake;
}

interface PipelineRun {
  run: TaskRun;
  lake: S3Lake;
  names: WarehouseNames;
  cmdlines: string[];
}

/** `movalytics run` on the sample, its lake reached at `endpoint`; the command lines of its steps sampled from /proc. */
async function pipeline(name: string, endpoint: string): Promise<PipelineRun> {
  const lake = lakeAt(name);
  const names = new WarehouseNames(`rel_${randomBytes(4).toString('hex')}`, '');
  schemas.push(names.schema);
  let parent = 0;
  let running = true;
  const cmdlines = new Set<string>();
  const sampler = (async () => {
    while (running) {
      if (parent) for (const line of await childCommandLines([parent])) cmdlines.add(line);
      await sleep(50);
    }
  })();
  const run = await runBundle(
    bundle,
    ['run', '--movies-source', sample, '--run-id', RUN, '--lake', lake.url, '--warehouse', serviceEnv('MOVALYTICS_TEST_POSTGRES_URL'), '--warehouse-schema', names.schema],
    { env: { ...minioEnv(), AWS_ENDPOINT_URL_S3: endpoint, PGPASSWORD: PASSWORD, MOVALYTICS_LAKE_TIMEOUT_MS: '3000' }, cwd: work, onSpawn: (pid) => (parent = pid) },
  );
  running = false;
  await sampler;
  return { run, lake, names, cmdlines: [...cmdlines] };
}

/**
 * raw/, staged/, rejects/ and the extract and transform manifests, byte for byte. Left out: the
 * load and quality-check manifests (they name the schema and hold timings) and the reports
 * (compared by their numbers).
 */
async function lakeContents(lake: Lake): Promise<Record<string, string>> {
  return lakeDigests(lake, (key) => key.startsWith('manifests/load-') || key.startsWith('manifests/quality-check/') || key.startsWith('reports/'));
}

async function reportOf(lake: Lake): Promise<Record<string, unknown>> {
  return JSON.parse((await readAll(lake, `reports/${RUN}/report.json`)).toString('utf8')) as Record<string, unknown>;
}

/**
 * Equal reports: every key the same, numbers to 1e-12 relative (sums of doubles may differ in
 * their last digit with the order PostgreSQL adds them in), the time of writing excepted.
 */
function expectSameAnswers(actual: unknown, expected: unknown, where = 'report'): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (Math.abs(actual - expected) > 1e-12 * Math.max(1, Math.abs(expected))) throw new Error(`${where}: ${actual} != ${expected}`);
  } else if (expected !== null && typeof expected === 'object' && actual !== null && typeof actual === 'object') {
    expect({ where, keys: Object.keys(actual).sort() }).toEqual({ where, keys: Object.keys(expected).sort() });
    for (const [key, value] of Object.entries(expected)) {
      if (where === 'report' && key === 'generated_at') continue;
      expectSameAnswers((actual as Record<string, unknown>)[key], value, `${where}.${key}`);
    }
  } else {
    expect({ where, value: actual }).toEqual({ where, value: expected });
  }
}

async function readAll(lake: Lake, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await lake.get(key)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

beforeAll(async () => {
  Object.assign(process.env, minioEnv());
  [bundle, work, proxy] = await Promise.all([
    buildBundle(),
    mkdtemp(path.join(tmpdir(), 'movalytics-rel-minio-')),
    startHttpFaultProxy(serviceEnv('MOVALYTICS_TEST_MINIO_ENDPOINT')),
  ]);
  sample = path.join(work, 'sample');
  expect(outcome(await runBundle(bundle, ['generate-sample', '--scale', 'small', '--seed', '3', '--out', sample]))).toEqual({ code: 0, errors: [] });
  warehouse = await openWarehouse(serviceEnv('MOVALYTICS_TEST_POSTGRES_URL'), undefined, {});
}, 240_000);

afterAll(async () => {
  for (const schema of schemas) await warehouse?.execute(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
  await warehouse?.close();
  for (const lake of lakes) for (const object of await lake.list('').catch(() => [])) await lake.delete(object.key).catch(() => undefined);
  await proxy?.close();
  await bundle?.remove();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the whole pipeline on MinIO and PostgreSQL', () => {
  let clean: PipelineRun;
  beforeAll(async () => {
    clean = await pipeline('clean', serviceEnv('MOVALYTICS_TEST_MINIO_ENDPOINT'));
    expect(outcome(clean.run)).toEqual({ code: 0, errors: [] });
  }, 600_000);

  it('through an S3 endpoint that fails a fifth of the requests: success after retries, the lake and the tables of the clean run', async () => {
    // Steps run in parallel, so which request meets which seeded draw varies from run to run; the
    // first part of a multipart upload is failed on purpose so that path is always exercised.
    const isUploadPart = (request: ProxiedRequest) => request.method === 'PUT' && /partNumber=/.test(request.url);
    proxy.setPlan(
      firstOf(
        firstRequest({ kind: 'reset' }, isUploadPart),
        fractionOfRequests({
          fraction: 0.2,
          seed: 2024,
          faults: [{ kind: 'status', status: 500 }, { kind: 'status', status: 503 }, { kind: 'reset' }, { kind: 'stall' }],
        }),
      ),
    );
    const faulty = await pipeline('faulty', proxy.url);
    proxy.setPlan(undefined);
    expect(outcome(faulty.run)).toEqual({ code: 0, errors: [] });

    const faults = proxy.faultCounts();
    expect(faults.status ?? 0).toBeGreaterThanOrEqual(5);
    // One reset is planned (the first part upload below); the seeded fifth must bring others.
    expect(faults.reset ?? 0).toBeGreaterThanOrEqual(3);
    expect(faults.stall ?? 0).toBeGreaterThanOrEqual(2);
    // Multipart uploads (credits.csv is 46 MB): the part reset on purpose was sent again and stored.
    const parts = proxy.requests.filter(isUploadPart);
    expect(parts[0]?.fault).toBe('reset');
    expect(parts.slice(1).filter((request) => request.url === parts[0]?.url && request.fault === undefined)).toHaveLength(1);

    expect(await lakeContents(faulty.lake)).toEqual(await lakeContents(clean.lake));
    expectSameAnswers(await reportOf(faulty.lake), await reportOf(clean.lake));
    expect(await tableChecksums(warehouse, faulty.names)).toEqual(await tableChecksums(warehouse, clean.names));
  }, 600_000);

  it('the MinIO secret key and the database password appear in no output, no lake object and no step command line', async () => {
    const secrets = [serviceEnv('MOVALYTICS_TEST_MINIO_SECRET_KEY'), PASSWORD];
    const found = (text: string) => secrets.filter((secret) => text.includes(secret)).length;
    expect(clean.cmdlines.length).toBeGreaterThanOrEqual(5);
    expect(found(clean.run.stdout + clean.run.stderr)).toBe(0);
    expect(clean.cmdlines.filter((line) => found(line) > 0)).toEqual([]);
    for (const object of await clean.lake.list('')) {
      const bytes = await readAll(clean.lake, object.key);
      const text = (object.key.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
      expect({ object: object.key, found: found(text) }).toEqual({ object: object.key, found: 0 });
    }
  });
});

/** Incomplete multipart uploads under a lake, begun and listed straight through the SDK. */
function multipartUploads(lake: S3Lake) {
  const client = createS3Client({ endpoint: serviceEnv('MOVALYTICS_TEST_MINIO_ENDPOINT'), region: 'us-east-1' });
  const [bucket = '', ...folders] = lake.url.replace('s3://', '').split('/');
  const under = folders.join('/');
  return {
    begin: async (key: string) => {
      const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: `${under}/${key}` }));
      return { Key: `${under}/${key}`, UploadId };
    },
    uploadsUnder: async () => {
      const { Uploads = [] } = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
      return Uploads.flatMap((upload) => (upload.Key?.startsWith(`${under}/`) ? [upload.Key.slice(under.length + 1)] : [])).sort();
    },
    abort: async (uploads: Array<{ Key: string; UploadId: string | undefined }>) => {
      for (const upload of uploads) await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, ...upload })).catch(() => undefined);
    },
  };
}

describe('the run lease on MinIO (conditional writes)', () => {
  lakeLeaseContract(() => Promise.resolve(lakeAt('lease')));

  it('a lease in a bucket that does not exist: exit 2 naming the bucket, not an endless wait', async () => {
    const client = createS3Client({ endpoint: serviceEnv('MOVALYTICS_TEST_MINIO_ENDPOINT'), region: 'us-east-1' });
    const lake = new S3Lake(`s3://no-such-bucket-${randomBytes(4).toString('hex')}/lake`, client);
    await expect(lake.lease('runs/r', { timeoutMs: 0 })).rejects.toMatchObject({ exitCode: ExitCode.usage, message: 'lake bucket does not exist' });
  });

  it('a run of a run id whose lease another holder renews exits 75 naming the run id, writing nothing; once released, the run succeeds', async () => {
    // The other holder is this test: a running pipeline could end inside the 15 s a run waits for a busy lease.
    const watched = lakeAt('twice');
    const held = await watched.lease(`runs/${RUN}`, { timeoutMs: 0, leaseMs: 2_000, name: `run id "${RUN}"` });
    const runArgs = () => {
      const schema = `rel_${randomBytes(4).toString('hex')}`;
      schemas.push(schema);
      return ['run', '--movies-source', sample, '--run-id', RUN, '--lake', watched.url, '--warehouse', serviceEnv('MOVALYTICS_TEST_POSTGRES_URL'), '--warehouse-schema', schema];
    };
    const options = { env: { ...minioEnv(), AWS_ENDPOINT_URL_S3: serviceEnv('MOVALYTICS_TEST_MINIO_ENDPOINT'), PGPASSWORD: PASSWORD }, cwd: work };
    let second: Awaited<ReturnType<typeof runBundle>>;
    try {
      second = await runBundle(bundle, runArgs(), options);
    } finally {
      await held.release();
    }
    expect(outcome(second)).toEqual({ code: 75, errors: [expect.stringMatching(new RegExp(`run id "${RUN}" is busy: another process holds its lock`))] });
    expect((await watched.list('')).map((object) => object.key)).toEqual([]);
    expect(outcome(await runBundle(bundle, runArgs(), options))).toEqual({ code: 0, errors: [] });
    expect(await watched.head(`runs/${RUN}.lock`)).toBeUndefined();
  }, 600_000);

  it("a killed run's lease is taken over once it lapses, and the multipart upload its killed step left is aborted: the next run succeeds", async () => {
    const lake = lakeAt('taken-over');
    await lake.put(`runs/${RUN}.lock`, `${JSON.stringify({ token: 'killed-run', host: 'gone', pid: 1, since: '2026-01-01T00:00:00.000Z' })}\n`);
    const { begin, uploadsUnder, abort } = multipartUploads(lake);
    const killedWriter = await begin(`raw/movies/${RUN}/credits.csv`);
    try {
      const next = await pipeline('taken-over', serviceEnv('MOVALYTICS_TEST_MINIO_ENDPOINT'));
      expect(outcome(next.run)).toEqual({ code: 0, errors: [] });
      expect(next.run.stderr).toMatch(new RegExp(`taking over the run id \\\\?"${RUN}\\\\?" lock: its holder stopped renewing it`));
      expect(await uploadsUnder()).toEqual([]);
      expect(await lake.head(`runs/${RUN}.lock`)).toBeUndefined();
    } finally {
      await abort([killedWriter]);
    }
  }, 600_000);

  it("a killed writer's incomplete multipart upload of the run is aborted once stale; a live one and other runs' are kept", async () => {
    const lake = lakeAt('uploads');
    const { begin, uploadsUnder, abort } = multipartUploads(lake);
    const ours = await begin(`staged/movies/${RUN}/part-00000.csv.gz`);
    const other = await begin('staged/movies/other-run/part-00000.csv.gz');
    try {
      // Begun just now: a live writer's, kept by a step's default cut-off (6 hours).
      await removeStaleWrites(lake, RUN, silentLogger());
      expect(await uploadsUnder()).toEqual([`staged/movies/${RUN}/part-00000.csv.gz`, 'staged/movies/other-run/part-00000.csv.gz']);
      // Under the run's lease every upload of the run is a killed writer's.
      await removeStaleWrites(lake, RUN, silentLogger(), new Date(Date.now() + 60_000));
      expect(await uploadsUnder()).toEqual(['staged/movies/other-run/part-00000.csv.gz']);
    } finally {
      await abort([ours, other]);
    }
  });
});
