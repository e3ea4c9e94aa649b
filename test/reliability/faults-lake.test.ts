/**
 * DESIGN.md §8 under fire, on the lake side: the extract and transform steps (the task bundle, as
 * the container runs it) against an S3 server (s3rver) behind a fault-injecting proxy. Each fault
 * ends either in success after retries or in a clear failure (exit 75, the object named), and in
 * both cases the lake ends up byte for byte as after a clean run: no partial object, no
 * duplicate, no manifest describing what is not there.
 */
import path from 'node:path';
import type { S3Lake } from '../../tasks/core/lake/s3-lake';
import { layout } from '../../tasks/core/lake/layout';
import { everyRequest, fractionOfRequests, startHttpFaultProxy, type FaultPlan, type HttpFaultProxy } from '../support/fault-proxy';
import { REAL_SAMPLE_DIR } from '../support/real-sample';
import { freshS3Lake, testS3Endpoint } from '../support/s3';
import { buildBundle, lakeSnapshot, outcome, runBundle, type Bundle, type RunOptions, type TaskRun } from './support';

const RUN = 'faults-1';
/** The pipeline's lake side, in dependency order: both extracts, then the transforms of the large sources. */
const TRANSFORMED = ['movies', 'links', 'cpi'] as const;
const STEPS: string[][] = [
  ['extract-movies', '--movies-source', REAL_SAMPLE_DIR],
  ['extract-cpi', '--cpi-source', path.join(REAL_SAMPLE_DIR, 'CUSR0000SS62031.csv')],
  ...TRANSFORMED.map((source) => ['transform', source]),
];
/** Silence a request may keep before the SDK gives it up and retries (the default is a minute). */
const LAKE_TIMEOUT_MS = 1500;

let bundle: Bundle;
let proxy: HttpFaultProxy;
let clean: Record<string, string>;

/** A bucket of its own per scenario, read and written directly (not through the proxy). */
const freshBucket = (): Promise<S3Lake> => freshS3Lake('lake');

/** The environment of a task whose lake is reached through the proxy. */
function viaProxy(): NodeJS.ProcessEnv {
  return {
    AWS_ENDPOINT_URL_S3: proxy.url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    MOVALYTICS_LAKE_TIMEOUT_MS: String(LAKE_TIMEOUT_MS),
  };
}

async function step(lake: S3Lake, argv: readonly string[], options: RunOptions = {}): Promise<TaskRun> {
  return runBundle(bundle, [...argv, '--run-id', RUN, '--lake', lake.url], { env: viaProxy(), ...options });
}

/** Every lake step in order; stops at the first that fails and returns it. */
async function lakeSide(lake: S3Lake): Promise<TaskRun | undefined> {
  for (const argv of STEPS) {
    const run = await step(lake, argv);
    if (run.code !== 0) return run;
  }
  return undefined;
}

const isGetOf = (pattern: RegExp) => (request: { method: string; url: string }) => request.method === 'GET' && pattern.test(request.url);

beforeAll(async () => {
  [bundle, proxy] = await Promise.all([buildBundle(), startHttpFaultProxy(testS3Endpoint())]);
  const lake = await freshBucket();
  proxy.setPlan(undefined);
  const failed = await lakeSide(lake);
  expect(failed && outcome(failed)).toBeUndefined();
  clean = await lakeSnapshot(lake);
}, 180_000);

afterAll(async () => {
  await proxy?.close();
  await bundle?.remove();
});

beforeEach(() => proxy.setPlan(undefined));

it('the clean run fills the lake: raw, staged, rejects and one manifest per step', () => {
  const keys = Object.keys(clean);
  expect(keys.filter((key) => key.startsWith('manifests/')).sort()).toEqual(
    ['extract-cpi', 'extract-movies', ...TRANSFORMED.map((source) => `transform-${source}`)].map((task) => layout.manifest(task, RUN)).sort(),
  );
  expect(keys.filter((key) => key.startsWith('staged/')).length).toBeGreaterThanOrEqual(13);
  expect(keys).toContain(layout.raw('movies', RUN, 'ratings.csv'));
});

const retriedFaults: Array<[string, FaultPlan]> = [
  [
    '500 InternalError, 503 SlowDown and connection resets on a quarter of the requests',
    fractionOfRequests({ fraction: 0.25, seed: 7, faults: [{ kind: 'status', status: 500 }, { kind: 'status', status: 503 }, { kind: 'reset' }] }),
  ],
  ['stalled requests (no answer at all) on a tenth of the requests', fractionOfRequests({ fraction: 0.1, seed: 11, faults: [{ kind: 'stall' }] })],
];

it.each(retriedFaults)('%s: every step succeeds after retries, the lake equals the clean run', async (_name, plan) => {
  const lake = await freshBucket();
  proxy.setPlan(plan);
  const before = proxy.requests.length;
  const failed = await lakeSide(lake);
  proxy.setPlan(undefined);
  expect(failed && outcome(failed)).toBeUndefined();
  const faults = proxy.requests.slice(before).filter((request) => request.fault !== undefined).length;
  expect(faults).toBeGreaterThanOrEqual(3);
  expect(await lakeSnapshot(lake)).toEqual(clean);
}, 240_000);

it('a raw object cut off mid-body fails the transform with exit 75 naming it; the rerun equals the clean run', async () => {
  const lake = await freshBucket();
  expect(await step(lake, STEPS[0] as string[])).toMatchObject({ code: 0 });
  proxy.setPlan(everyRequest({ kind: 'reset-body', afterBytes: 50_000 }, isGetOf(/movies_metadata\.csv/)));
  const cut = await step(lake, ['transform', 'movies']);
  expect(outcome(cut)).toEqual({ code: 75, errors: [expect.stringMatching(/transform-movies failed: .*movies_metadata\.csv/)] });
  expect(await lake.head(layout.manifest('transform-movies', RUN))).toBeUndefined();
  expect(await lakeSnapshot(lake, 'staged/')).toEqual({});

  proxy.setPlan(everyRequest({ kind: 'stall-body', afterBytes: 50_000 }, isGetOf(/movies_metadata\.csv/)));
  const stalled = await step(lake, ['transform', 'movies']);
  expect(outcome(stalled)).toEqual({ code: 75, errors: [expect.stringMatching(/transform-movies failed: .*movies_metadata\.csv/)] });
  expect(await lake.head(layout.manifest('transform-movies', RUN))).toBeUndefined();

  proxy.setPlan(undefined);
  const failed = await lakeSide(lake);
  expect(failed && outcome(failed)).toBeUndefined();
  expect(await lakeSnapshot(lake)).toEqual(clean);
}, 240_000);

it('an S3 server that answers 503 to everything: exit 75 after the retries, nothing written', async () => {
  const lake = await freshBucket();
  proxy.setPlan(everyRequest({ kind: 'status', status: 503 }));
  const run = await step(lake, STEPS[1] as string[]);
  expect(outcome(run)).toEqual({ code: 75, errors: [expect.stringMatching(/extract-cpi failed: lake request failed: .*SlowDown|reduce your request rate/i)] });
  expect(proxy.faultCounts().status).toBeGreaterThanOrEqual(5);
  proxy.setPlan(undefined);
  expect(await lakeSnapshot(lake)).toEqual({});
}, 120_000);

it('a transform killed while it uploads a staged part leaves no manifest; its rerun equals the clean run', async () => {
  const lake = await freshBucket();
  for (const argv of STEPS.slice(0, 2)) expect(outcome(await step(lake, argv))).toEqual({ code: 0, errors: [] });
  let pid = 0;
  proxy.setPlan((request) => {
    if (request.method !== 'PUT' || !/staged\/movies\//.test(request.url)) return undefined;
    process.kill(pid, 'SIGKILL');
    return { kind: 'stall' };
  });
  const killed = await step(lake, ['transform', 'movies'], { onSpawn: (childPid) => (pid = childPid) });
  expect(killed.signal).toBe('SIGKILL');
  proxy.setPlan(undefined);
  expect(await lake.head(layout.manifest('transform-movies', RUN))).toBeUndefined();

  const failed = await lakeSide(lake);
  expect(failed && outcome(failed)).toBeUndefined();
  expect(await lakeSnapshot(lake)).toEqual(clean);
}, 240_000);
