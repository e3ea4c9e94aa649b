/**
 * The task images, built by a real container engine from docker/Dockerfile (scripts/services/
 * images.sh: podman serving the Docker API, a locally made Node 24 base) and run the way users run
 * them, with the docker CLI:
 * - each image's `--help` as the unprivileged user, with a read-only root filesystem, no
 *   capabilities and no network; no secret in its environment or history; only its own step inside;
 * - the whole pipeline as one `docker run` per step image, in the step graph's order, against
 *   MinIO and PostgreSQL on the host network, credentials only in the environment: its report
 *   equals that of `movalytics run` on the same sample;
 * - a step given bad input exits 65 from the container, one refused by the warehouse exits 75.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getJson } from '../../tasks/core/lake/lake';
import { layout } from '../../tasks/core/lake/layout';
import { createS3Client, S3Lake } from '../../tasks/core/lake/s3-lake';
import { shardInstances, topologicalOrder } from '../../tasks/pipeline/steps';
import { cliEnv, REPO, runCommand, runNode, serviceEnv, stepImageFolders, type CliRun } from './support';

const NODE_UID = 1000; // the `node` user of the images
const tag = () => serviceEnv('MOVALYTICS_TEST_IMAGE_TAG');

/** The images (the Dockerfile's targets: test/services/docker.test.ts), with the command each runs. */
const IMAGES = [...stepImageFolders().map((command) => ({ name: `movalytics-${command}`, command })), { name: 'movalytics', command: '' }];
/** Images whose step reads and writes the lake only: no warehouse driver, PGlite or SQL inside. */
const LAKE_ONLY = new Set(['extract-movies', 'extract-cpi', 'transform', 'generate-sample']);

function engineEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return cliEnv({ DOCKER_HOST: serviceEnv('MOVALYTICS_TEST_DOCKER_HOST'), ...extra });
}

/** `docker <args>`; `env` holds the values of the variables that `-e NAME` hands to the container. */
function docker(args: string[], env: NodeJS.ProcessEnv = {}): CliRun {
  return runCommand('docker', args, { env: engineEnv(env) });
}

const image = (name: string) => `${name}:${tag()}`;
/** How users run a step: read-only root, scratch in a tmpfs, no capability, nothing to escalate. */
const HARDENED = ['--read-only', '--tmpfs', '/tmp', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges'];

/**
 * `docker run` of one container, then `docker rm`. Not `run --rm`: podman 4.3's Docker API answers
 * the CLI's `wait?condition=removed` with exit code 0 whatever the container exited with
 * (containers/podman#18889, fixed in 4.6), and the exit code is what these tests are about.
 */
function dockerRun(args: string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const name = `movalytics-test-${randomBytes(6).toString('hex')}`;
  try {
    return docker(['run', '--name', name, ...HARDENED, ...args], env);
  } finally {
    docker(['rm', '--force', name]);
  }
}

function psql(database: string, sql: string): string {
  const url = serviceEnv('MOVALYTICS_TEST_POSTGRES_URL').replace(/\/[^/]*$/, `/${database}`);
  const run = spawnSync('psql', [url, '-Atc', sql], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`psql: ${run.stderr}`);
  return run.stdout.trim();
}

function leftoverContainers(): string[] {
  const listed = docker(['ps', '-a', '--format', '{{.Image}} {{.Names}}']);
  return listed.stdout.split('\n').filter((line) => /(^|\/)movalytics/.test(line));
}

describe.each(IMAGES)('image $name', ({ name, command }) => {
  test('answers --help as the node user, read-only, without capabilities or network', () => {
    const help = dockerRun(['--network', 'none', image(name), '--help']);
    expect({ status: help.status, stderr: help.stderr }).toEqual({ status: 0, stderr: '' });
    if (command) expect(help.stdout).toMatch(new RegExp(`^movalytics ${command}\\b`, 'm'));
    else expect(help.stdout).toMatch(/movalytics run\b[\s\S]*movalytics steps\b[\s\S]*movalytics data-dictionary\b/);
    const user = dockerRun(['--network', 'none', '--entrypoint', 'id', image(name), '-u']);
    expect(user.stdout.trim()).toBe(String(NODE_UID));
  });

  test('bakes in no secret: its environment and history name no credential', () => {
    const inspect = docker(['image', 'inspect', '--format', '{{.Config.User}}|{{json .Config.Env}}', image(name)]);
    const [user, env] = inspect.stdout.trim().split('|');
    expect(user).toBe('node');
    const history = docker(['history', '--no-trunc', '--format', '{{.CreatedBy}}', image(name)]);
    expect(history.status).toBe(0);
    const secretish = /(SECRET|PASSWORD|PGPASSWORD|TOKEN|KAGGLE_KEY|AWS_ACCESS_KEY_ID)\s*=/i;
    expect(`${env ?? ''}\n${history.stdout}`).not.toMatch(secretish);
    expect(`${env ?? ''}\n${history.stdout}`).not.toContain(serviceEnv('MOVALYTICS_TEST_MINIO_SECRET_KEY'));
  });

  test('holds only its own step: the bundle inputs and the files beside it', () => {
    const listing = dockerRun(['--network', 'none', '--entrypoint', 'sh', image(name), '-c', 'ls /app; cat /app/bundle-inputs.json']);
    expect(listing.status).toBe(0);
    const files = listing.stdout.split('\n');
    const warehouseCode = /node_modules\/(pg|pg-copy-streams|@electric-sql\/pglite|@aws-sdk\/client-redshift-data)\//;
    if (LAKE_ONLY.has(command)) {
      expect(listing.stdout).not.toMatch(warehouseCode);
      expect(files).not.toContain('sql');
      expect(files).not.toContain('pglite.wasm');
    } else {
      expect(listing.stdout).toMatch(warehouseCode);
      expect(files).toEqual(expect.arrayContaining(['sql', 'pglite.wasm', 'main.js']));
    }
    // The chart renderer is the report's alone.
    expect(/node_modules\/vega-lite\//.test(listing.stdout)).toBe(command === 'report' || command === '');
  });
});

describe('the pipeline as one container per step', () => {
  const unique = randomBytes(4).toString('hex');
  const work = mkdtempSync(path.join(tmpdir(), 'movalytics-images-'));
  const database = `img_${unique}`;
  const bucket = () => serviceEnv('MOVALYTICS_TEST_MINIO_BUCKET');
  const warehouseUrl = () => serviceEnv('MOVALYTICS_TEST_POSTGRES_URL').replace(/\/[^/]*$/, `/${database}`);
  const lakeEnv = () => ({
    AWS_ACCESS_KEY_ID: serviceEnv('MOVALYTICS_TEST_MINIO_ACCESS_KEY'),
    AWS_SECRET_ACCESS_KEY: serviceEnv('MOVALYTICS_TEST_MINIO_SECRET_KEY'),
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_S3: serviceEnv('MOVALYTICS_TEST_MINIO_ENDPOINT'),
  });

  /** One step image, on the host network, with the sample folder mounted and every value in the environment. */
  function step(command: string, args: string[], env: Record<string, string>): CliRun {
    const names = Object.keys(env).flatMap((variable) => ['-e', variable]);
    return dockerRun(['--network', 'host', '-v', `${work}:/samples`, ...names, image(`movalytics-${command}`), ...args], env);
  }

  beforeAll(() => {
    chownSync(work, NODE_UID, NODE_UID); // the containers write the sample as the node user
    psql('postgres', `CREATE DATABASE ${database}`);
  });
  afterAll(() => {
    psql('postgres', `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    rmSync(work, { recursive: true, force: true });
  });

  test('docker run of each step image, in the step graph order, reports what `movalytics run` reports', async () => {
    const generated = step('generate-sample', ['--scale', 'tiny', '--out', '/samples/sample'], {});
    expect({ status: generated.status, result: generated.result?.status }).toEqual({ status: 0, result: 'success' });

    const flags = {
      MOVALYTICS_RUN_ID: `img-${unique}`,
      MOVALYTICS_LAKE: `s3://${bucket()}/images-${unique}/containers`,
      MOVALYTICS_WAREHOUSE: warehouseUrl(),
      MOVALYTICS_MOVIES_SOURCE: '/samples/sample',
      MOVALYTICS_CPI_SOURCE: '/samples/sample/CUSR0000SS62031.csv',
      MOVALYTICS_MIN_RATINGS: '2', // the tiny sample has no movie with the default 50 ratings
      ...lakeEnv(),
    };
    // One shard, as `movalytics run` runs the tiny sample: the steps gathering shards get --shards 1.
    for (const { id, argv } of topologicalOrder().flatMap((graphStep) => shardInstances(graphStep, 1))) {
      const [command = '', ...args] = argv;
      const run = step(command, args, flags);
      expect({ id, status: run.status, result: run.result?.status, stderr: run.status === 0 ? '' : run.stderr.slice(-2000) })
        .toEqual({ id, status: 0, result: 'success', stderr: '' });
    }
    expect(leftoverContainers()).toEqual([]);

    // The same sample through the CLI on the host, into its own lake prefix and schema.
    const reference = runNode(path.join(REPO, 'dist/tasks/cli.js'), [
      'run', '--run-id', `img-${unique}`, '--lake', `s3://${bucket()}/images-${unique}/host`,
      '--warehouse', warehouseUrl(), '--warehouse-schema', 'reference', '--min-ratings', '2',
      '--movies-source', path.join(work, 'sample'), '--cpi-source', path.join(work, 'sample', 'CUSR0000SS62031.csv'),
    ], { cwd: REPO, env: cliEnv(lakeEnv()) });
    expect({ status: reference.status, stderr: reference.status === 0 ? '' : reference.stderr.slice(-2000) }).toEqual({ status: 0, stderr: '' });

    const report = async (where: string) => {
      const lake = new S3Lake(`s3://${bucket()}/images-${unique}/${where}`, createS3Client({ endpoint: lakeEnv().AWS_ENDPOINT_URL_S3 }));
      const answers = await getJson<Record<string, unknown>>(lake, layout.report(`img-${unique}`, 'report.json'));
      delete answers.generated_at;
      return answers;
    };
    Object.assign(process.env, lakeEnv());
    const fromContainers = await report('containers');
    expect(fromContainers).toEqual(await report('host'));
    expect(fromContainers).toMatchObject({ coverage: { ratings_analysed: Number(psql(database, 'SELECT count(*) FROM movalytics.ratings')) } });
    expect((fromContainers.highest_rated as unknown[]).length).toBeGreaterThan(0);
  });

  test('a step given bad input exits 65 from its container; one refused by the warehouse exits 75', () => {
    writeFileSync(path.join(work, 'wrong-series.csv'), 'DATE,CPIAUCSL\n2020-01-01,258.7\n');
    const badData = step('extract-cpi', [], { MOVALYTICS_CPI_SOURCE: '/samples/wrong-series.csv', MOVALYTICS_LAKE: 'file:///tmp/lake' });
    expect({ status: badData.status, exit: badData.result?.exit_code }).toEqual({ status: 65, exit: 65 });
    expect(badData.stderr).toContain('CPIAUCSL');

    const refused = step('create-tables', [], { MOVALYTICS_WAREHOUSE: 'postgres://postgres@127.0.0.1:1/none', MOVALYTICS_LAKE: 'file:///tmp/lake' });
    expect({ status: refused.status, exit: refused.result?.exit_code }).toEqual({ status: 75, exit: 75 });
    expect(leftoverContainers()).toEqual([]);
  });
});
