/** `movalytics run` stops at the first failed step, with that step's error and exit code. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { comparableReport } from '../bench/comparable-report';
import { ExitCode } from '../tasks/core/errors';
import { lockDirectory } from '../tasks/core/warehouse/directory-lock';
import { PIPELINE_STEPS } from '../tasks/pipeline/steps';
import type { Report } from '../tasks/report/report';
import { buildCli, runCli, type BuiltCli } from './support/cli-process';
import { REAL_SAMPLE_DIR, realSampleFile } from './support/real-sample';

let cli: BuiltCli;
let work: string;
beforeAll(async () => {
  cli = await buildCli();
  work = await mkdtemp(path.join(tmpdir(), 'movalytics-run-fail-'));
}, 120_000);
afterAll(() => cli.remove());

const runArgs = (sources: string) => [
  'run', '--movies-source', sources, '--lake', pathToFileURL(path.join(work, 'lake')).href,
  '--warehouse', `pglite://${path.join(work, 'warehouse')}`,
];

it('stops at a failed extract with its exit code and error, starting nothing after it (a step already running alongside ends)', async () => {
  const sources = path.join(work, 'incomplete');
  await mkdir(sources);
  await copyFile(realSampleFile('movies_metadata.csv'), path.join(sources, 'movies_metadata.csv'));
  await copyFile(realSampleFile('CUSR0000SS62031.csv'), path.join(sources, 'CUSR0000SS62031.csv'));
  const resultFile = path.join(work, 'failed-run', 'return.json');
  const run = await runCli(cli, [...runArgs(sources), '--result-file', resultFile], {}, work);
  expect(run.code).toBe(ExitCode.badData);
  // The run's own result, as a step writes its own: failed, which step, why.
  expect(JSON.parse(await readFile(resultFile, 'utf8'))).toMatchObject({
    task: 'run',
    run_id: 'local',
    status: 'failed',
    exit_code: ExitCode.badData,
    step: 'extract_movies',
    error: expect.stringMatching(/credits\.csv/),
  });
  const steps = PIPELINE_STEPS.length;
  expect(run.stdout).toMatch(new RegExp(`✗ +\\d+/${steps} extract_movies`));
  // With two steps at a time, extract_cpi and create_tables may have started beside it; nothing else does.
  const ran = [...run.stdout.matchAll(new RegExp(`^[✓✗] +\\d+/${steps} (\\w+)`, 'gm'))].map((match) => match[1]);
  expect(ran).toContain('extract_movies');
  expect(ran.filter((step) => !['extract_movies', 'extract_cpi', 'create_tables'].includes(step ?? ''))).toEqual([]);
  expect(run.stderr).toMatch(/^error: step extract_movies \(movalytics extract-movies\) failed: .*credits\.csv/m);
});

it('refuses a password on the command line before any step runs', async () => {
  const run = await runCli(cli, ['run', '--warehouse', 'postgres://user:hunter22@127.0.0.1:1/db'], {}, work);
  expect(run.code).toBe(ExitCode.usage);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(/password/);
  expect(run.stderr).not.toContain('hunter22');
});

/** `movalytics run <args>` as a child process (to be signalled or raced), its stderr kept and its exit awaited. */
function spawnRun(args: readonly string[]): { child: ChildProcess; stderr: () => string; closed: Promise<number | null> } {
  const child = spawn(process.execPath, [cli.cliPath, ...args], {
    cwd: work,
    env: { PATH: process.env.PATH, NODE_PATH: path.join(__dirname, '..', 'node_modules') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { child, stderr: () => stderr, closed };
}

/** The pids of the live child processes of `parent`, read from /proc (Linux). */
async function childrenOf(parent: number): Promise<number[]> {
  const children: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const status = await readFile(`/proc/${entry}/status`, 'utf8').catch(() => '');
    if (Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]) === parent) children.push(Number(entry));
  }
  return children;
}

it.each(['SIGTERM', 'SIGINT'] as const)('%s to run alone reaches its running steps, which it waits for: exit 128 + the signal, no step left running', async (signal) => {
  const { child, stderr, closed } = spawnRun([...runArgs(REAL_SAMPLE_DIR), '--run-id', `stopped-${signal}`]);
  // Once a step has run for a moment, only the run's own process is signalled (as Airflow or
  // `docker stop` signal it), not its process group.
  let steps: number[] = [];
  while (steps.length === 0) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    steps = await childrenOf(child.pid as number);
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  steps = await childrenOf(child.pid as number);
  child.kill(signal);
  const code = await closed;
  expect({ code, left: steps.filter((pid) => existsSync(`/proc/${pid}`)) }).toEqual({ code: signal === 'SIGTERM' ? 143 : 130, left: [] });
  expect(stderr()).toMatch(new RegExp(`error: run stopped by ${signal}; the steps it had started have ended`));
}, 120_000);

describe('one run of a run id at a time, and what killed steps of it left behind', () => {
  const lake = () => path.join(work, 'lake-lease');
  const args = (runId: string, resultFile: string) => [
    'run', '--movies-source', REAL_SAMPLE_DIR, '--run-id', runId, '--lake', pathToFileURL(lake()).href,
    '--warehouse', `pglite://${path.join(work, 'warehouse-lease')}`, '--result-file', resultFile,
  ];

  it('a second run of a run id under way is refused with 75, saying the run id is busy, before it writes anything', async () => {
    // As the first run holds it: the run id's lease in the lake (its heartbeat keeps it renewed).
    await mkdir(path.join(lake(), 'runs'), { recursive: true });
    const first = await lockDirectory(path.join(lake(), 'runs', 'busy'), { timeoutMs: 0 });
    try {
      const resultFile = path.join(work, 'busy.json');
      const second = await runCli(cli, args('busy', resultFile), {}, work);
      expect(second.code).toBe(ExitCode.transient);
      expect(second.stderr).toMatch(/^error: run id "busy" is busy: another process holds its lock \(.*holder=pid \d+ on /m);
      expect(second.stdout).not.toMatch(/[✓✗] /);
      expect(await readdir(lake())).toEqual(['runs']);
      expect(JSON.parse(await readFile(resultFile, 'utf8'))).toMatchObject({ task: 'run', run_id: 'busy', status: 'failed', exit_code: ExitCode.transient });
    } finally {
      await first.release();
    }
  }, 120_000);

  it(".partial objects of killed writers left 6 hours ago are removed by any step of the run id run alone (as Airflow runs them); a live writer's and another run id's are kept", async () => {
    const killed = 'staged/movies/r3/part-00000.csv.gz.abcdef012345.partial';
    const live = 'staged/movies/r3/part-00001.csv.gz.0123456789ab.partial';
    const anotherRun = 'staged/movies/r4/part-00000.csv.gz.abcdef012345.partial';
    const sevenHoursAgo = new Date(Date.now() - 7 * 3_600_000);
    for (const key of [killed, live, anotherRun]) {
      await mkdir(path.dirname(path.join(lake(), key)), { recursive: true });
      await writeFile(path.join(lake(), key), 'half an object');
      if (key !== live) await utimes(path.join(lake(), key), sevenHoursAgo, sevenHoursAgo);
    }
    const step = await runCli(cli, ['extract-cpi', '--cpi-source', realSampleFile('CUSR0000SS62031.csv'), '--run-id', 'r3', '--lake', pathToFileURL(lake()).href], {}, work);
    expect(step.code).toBe(0);
    expect([killed, live, anotherRun].map((key) => existsSync(path.join(lake(), key)))).toEqual([false, true, true]);
  }, 120_000);

  it("the next run of a run id removes the .partial objects its killed steps left, not another run id's; success in the result file", async () => {
    const leftBehind = ['raw/movies/r1/ratings_small.csv.0123456789ab.partial', 'staged/movies/r1/part-00000.csv.gz.abcdef012345.partial', 'manifests/transform_movies/r1.json.00aa00aa00aa.partial'];
    const anotherRun = 'raw/movies/r2/ratings_small.csv.0123456789ab.partial';
    for (const key of [...leftBehind, anotherRun]) {
      await mkdir(path.dirname(path.join(lake(), key)), { recursive: true });
      await writeFile(path.join(lake(), key), 'half an object');
    }
    const resultFile = path.join(work, 'r1.json');
    const run = await runCli(cli, args('r1', resultFile), {}, work);
    expect({ code: run.code, stderr: run.stderr.split('\n').filter((line) => line.startsWith('error')) }).toEqual({ code: 0, stderr: [] });
    for (const key of leftBehind) expect({ key, exists: existsSync(path.join(lake(), key)) }).toEqual({ key, exists: false });
    expect(existsSync(path.join(lake(), anotherRun))).toBe(true);
    expect(existsSync(path.join(lake(), 'runs', 'r1.lock'))).toBe(false);
    expect(JSON.parse(await readFile(resultFile, 'utf8'))).toMatchObject({
      task: 'run',
      run_id: 'r1',
      status: 'success',
      exit_code: 0,
      // One shard (the sample is small): each mapped step ran once.
      steps: PIPELINE_STEPS.length,
      report: pathToFileURL(path.join(lake(), 'reports', 'r1', 'report.html')).href,
    });
  }, 300_000);

  it('a run whose lease another run took over stops its steps and exits 75 saying so', async () => {
    const resultFile = path.join(work, 'taken.json');
    const { stderr, closed } = spawnRun(args('taken', resultFile));
    const lockFile = path.join(lake(), 'runs', 'taken.lock');
    while (!existsSync(lockFile)) await new Promise((resolve) => setTimeout(resolve, 50));
    // As a run that found this one frozen past its lease would: the lock names another holder now.
    const holder = JSON.parse(await readFile(lockFile, 'utf8')) as Record<string, unknown>;
    await writeFile(lockFile, JSON.stringify({ ...holder, token: 'another-run' }));
    expect(await closed).toBe(ExitCode.transient);
    expect(stderr()).toMatch(/^error: .*taken over/m);
    expect(stderr()).not.toMatch(/run stopped by SIGTERM/);
    expect(JSON.parse(await readFile(resultFile, 'utf8'))).toMatchObject({ run_id: 'taken', status: 'failed', exit_code: ExitCode.transient });
  }, 120_000);

  it('--shards 2 runs each mapped step as two shards and gives the report one shard gives', async () => {
    const resultFile = path.join(work, 'r2.json');
    const run = await runCli(cli, [...args('r2', resultFile), '--shards', '2'], {}, work);
    expect({ code: run.code, stderr: run.stderr.split('\n').filter((line) => line.startsWith('error')) }).toEqual({ code: 0, stderr: [] });
    const mapped = PIPELINE_STEPS.filter((step) => step.shards === 'each');
    for (const step of mapped) expect(run.stdout).toMatch(new RegExp(`✓ +\\d+/\\d+ ${step.id}\\[2\\] `));
    expect(JSON.parse(await readFile(resultFile, 'utf8'))).toMatchObject({ status: 'success', steps: PIPELINE_STEPS.length + mapped.length });
    const comparable = async (runId: string) => {
      const text = await readFile(path.join(lake(), 'reports', runId, 'report.json'), 'utf8');
      // The run id and the per-shard rejects files differ; every count and answer must not.
      const sameRun = text.split(`/${runId}/`).join('/<run>/').split(`"${runId}"`).join('"<run>"');
      return comparableReport(JSON.parse(sameRun) as Report, lake());
    };
    expect(await comparable('r2')).toEqual(await comparable('r1'));
    // The report names every rejects file a source's shards wrote (one per shard that rejected records).
    const sharded = JSON.parse(await readFile(path.join(lake(), 'reports', 'r2', 'report.json'), 'utf8')) as Report;
    for (const ledger of sharded.source_ledgers) {
      const folder = path.join(lake(), 'rejects', ledger.source, 'r2');
      const written = existsSync(folder) ? (await readdir(folder)).sort().map((file) => `rejects/${ledger.source}/r2/${file}`) : [];
      expect({ source: ledger.source, files: ledger.rejects_objects }).toEqual({ source: ledger.source, files: written });
    }
  }, 300_000);
});
