/**
 * DESIGN.md §8, security: no credential in arguments, logs, results, the lake or the SQL sent;
 * identifiers from configuration validated; values never spliced into SQL; the image runs as
 * non-root and the DAG carries no secret.
 *
 * The whole pipeline runs step by step the way Airflow's local runtime runs it (every step of
 * `movalytics steps --json` as its own process of the task bundle, configuration and credentials in
 * MOVALYTICS_* and the standard variables, debug logging), against the Kaggle API stand-in, an S3
 * lake and the Redshift Data API endpoint, with sentinel secrets: the AWS secret key and session
 * token, the Kaggle key, a database password and a Secrets Manager ARN. Then every byte a step
 * produced is searched for them.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { PipelineStep } from '../../tasks/pipeline/steps';
import { REAL_SAMPLE_DIR } from '../support/real-sample';
import { buildZip, folderEntries, startKaggleServer, type KaggleServer } from '../support/servers/kaggle-server';
import { TEST_COPY_ROLE, TEST_WORKGROUP_URL, redshiftDataTarget, type RedshiftDataTestTarget } from '../support/warehouse-targets';
import { buildBundle, outcome, ROOT, runBundle, type Bundle, type TaskRun } from './support';

const RUN = 'security-1';
const DATASET = 'rounakbanik/the-movies-dataset';
const sentinel = (label: string) => `${label}-${randomBytes(12).toString('hex')}`;
const SECRETS = {
  AWS_SECRET_ACCESS_KEY: sentinel('awssecret'),
  AWS_SESSION_TOKEN: sentinel('awstoken'),
  KAGGLE_KEY: sentinel('kagglekey'),
  PGPASSWORD: sentinel('pgpassword'),
  MOVALYTICS_REDSHIFT_SECRET_ARN: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${sentinel('dwsecret')}`,
};
const KAGGLE_USERNAME = 'movie-fan';

/** Every form a secret could leak in: as is, base64 (Basic auth), URL-encoded. */
function leakPatterns(): Array<[string, string]> {
  const forms: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(SECRETS)) {
    forms.push([name, value], [`${name} (base64)`, Buffer.from(value).toString('base64')], [`${name} (URL-encoded)`, encodeURIComponent(value)]);
  }
  forms.push(['Kaggle Basic credentials', Buffer.from(`${KAGGLE_USERNAME}:${SECRETS.KAGGLE_KEY}`).toString('base64')]);
  return forms;
}

/** The secrets found in `text`, by name. */
function leaks(text: string): string[] {
  return leakPatterns()
    .filter(([, value]) => text.includes(value))
    .map(([name]) => name);
}

let bundle: Bundle;
let kaggle: KaggleServer;
let target: RedshiftDataTestTarget;
let work: string;

beforeAll(async () => {
  const zip = await buildZip(await folderEntries(REAL_SAMPLE_DIR, (name) => name.endsWith('.csv') && name !== 'CUSR0000SS62031.csv'));
  [bundle, kaggle, target, work] = await Promise.all([
    buildBundle(),
    startKaggleServer({ username: KAGGLE_USERNAME, key: SECRETS.KAGGLE_KEY, datasets: { [DATASET]: zip } }),
    redshiftDataTarget(),
    mkdtemp(path.join(tmpdir(), 'movalytics-security-')),
  ]);
}, 120_000);

afterAll(async () => {
  await kaggle?.close();
  await target?.close();
  await bundle?.remove();
  if (work) await rm(work, { recursive: true, force: true });
});

/** What Airflow hands a task: settings and credentials in the environment, never in argv. */
function stepEnvironment(): NodeJS.ProcessEnv {
  return {
    ...target.cliEnv,
    ...SECRETS,
    AWS_ACCESS_KEY_ID: 'S3RVER',
    KAGGLE_USERNAME,
    MOVALYTICS_RUN_ID: RUN,
    MOVALYTICS_LAKE: target.lake.url,
    MOVALYTICS_WAREHOUSE: TEST_WORKGROUP_URL,
    MOVALYTICS_WAREHOUSE_SCHEMA: 'secure',
    MOVALYTICS_COPY_IAM_ROLE: TEST_COPY_ROLE,
    MOVALYTICS_MOVIES_SOURCE: DATASET,
    MOVALYTICS_KAGGLE_API_URL: kaggle.apiUrl,
    MOVALYTICS_CPI_SOURCE: path.join(REAL_SAMPLE_DIR, 'CUSR0000SS62031.csv'),
    MOVALYTICS_LOG_LEVEL: 'debug',
  };
}

interface ObservedStep {
  id: string;
  run: TaskRun;
  cmdline: string;
  environ: string;
  resultFile: string;
}

async function procFile(pid: number, name: string): Promise<string> {
  return (await readFile(`/proc/${pid}/${name}`).catch(() => Buffer.alloc(0))).toString('utf8').split('\0').join(' ');
}

async function runStep(id: string, argv: readonly string[], env: NodeJS.ProcessEnv): Promise<ObservedStep> {
  const resultFile = path.join(work, `${id}.json`);
  let seen: Promise<[string, string]> = Promise.resolve(['', '']);
  const run = await runBundle(bundle, [...argv, '--result-file', resultFile], {
    env,
    onSpawn: (pid) => (seen = Promise.all([procFile(pid, 'cmdline'), procFile(pid, 'environ')])),
  });
  const [cmdline, environ] = await seen;
  return { id, run, cmdline, environ, resultFile };
}

describe('sentinel secrets, through the whole pipeline', () => {
  const steps: ObservedStep[] = [];

  beforeAll(async () => {
    const listed = await runBundle(bundle, ['steps', '--json']);
    const graph = JSON.parse(listed.stdout) as PipelineStep[];
    for (const step of graph) {
      const observed = await runStep(step.id, step.argv, stepEnvironment());
      steps.push(observed);
      if (observed.run.code !== 0) break;
    }
    // A failing path too: Kaggle refuses a wrong key, and the error must not show it either.
    steps.push(await runStep('extract_movies_refused', ['extract-movies'], { ...stepEnvironment(), KAGGLE_KEY: SECRETS.PGPASSWORD }));
  }, 300_000);

  it('every step ran (and the refused key failed as it should, exit 2)', () => {
    expect(steps.map((step) => [step.id, outcome(step.run).code])).toEqual([
      ...steps.slice(0, -1).map((step) => [step.id, 0]),
      ['extract_movies_refused', 2],
    ]);
    expect(steps.length).toBeGreaterThanOrEqual(16);
    expect(steps.at(-1)?.run.errors.join('\n')).toMatch(/Kaggle refused the credentials for user "movie-fan"/);
  });

  it('the secrets were there: in the environment of every step, read from /proc (so the search below can find them)', () => {
    for (const step of steps.slice(0, -1)) {
      expect({ step: step.id, present: leaks(step.environ).filter((name) => name in SECRETS).sort() }).toEqual({ step: step.id, present: Object.keys(SECRETS).sort() });
    }
  });

  it('no secret in any argv (/proc/<pid>/cmdline), stdout, stderr or result file', async () => {
    for (const step of steps) {
      expect(step.cmdline).toContain('movalytics.js');
      const result = await readFile(step.resultFile, 'utf8');
      expect({ step: step.id, argv: leaks(step.cmdline), stdout: leaks(step.run.stdout), stderr: leaks(step.run.stderr), result: leaks(result) }).toEqual({
        step: step.id,
        argv: [],
        stdout: [],
        stderr: [],
        result: [],
      });
    }
    // Debug logging was on: the check covered real log volume, not silence. Counted in our own log
    // lines (110 debug and info lines in all), not in every stderr line: runtime warnings, such as the
    // AWS SDK's about an old Node, come and go with the Node version.
    const logLines = steps.flatMap((step) => step.run.stderr.split('\n').filter((line) => line.includes('"level":')));
    expect(logLines.length).toBeGreaterThan(100);
    expect(logLines.filter((line) => line.includes('"level":"debug"')).length).toBeGreaterThan(10);
  });

  it('no secret in any lake object (raw, staged, rejects, manifests, reports)', async () => {
    const objects = await target.lake.list('');
    expect(objects.some((object) => object.key.startsWith('reports/'))).toBe(true);
    for (const object of objects) {
      const chunks: Buffer[] = [];
      for await (const chunk of await target.lake.get(object.key)) chunks.push(chunk as Buffer);
      const bytes = Buffer.concat(chunks);
      const text = (object.key.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
      expect({ object: object.key, leaks: leaks(text) }).toEqual({ object: object.key, leaks: [] });
    }
  });

  it('no secret and no value in the SQL the warehouse received: run ids and counts travel as parameters', () => {
    const statements = target.server.statements.join('\n;\n');
    expect(statements.length).toBeGreaterThan(10_000);
    expect(leaks(statements)).toEqual([]);
    expect(statements).not.toContain(`'${RUN}'`);
  });
});

describe('identifiers from configuration are validated before they reach SQL', () => {
  const injections: Array<[string, string[]]> = [
    ['a schema that closes its quote', ['--warehouse-schema', 'secure"; DROP SCHEMA secure CASCADE; --']],
    ['a schema with capitals and a space', ['--warehouse-schema', 'Secure Schema']],
    ['a table prefix with a statement', ['--warehouse-table-prefix', 'x; DROP TABLE movies; --']],
    ['a table prefix with a quote', ['--warehouse-table-prefix', 'a"b']],
    ['a run id with a quote', ['--run-id', "x'; DROP TABLE movies; --"]],
    ['a run id with a path', ['--run-id', '../../etc']],
    ['a database name with a quote', ['--warehouse', "redshift-data://workgroup/movalytics-test/dev';--"]],
    ['a COPY role that closes the literal', ['--copy-iam-role', "arn:aws:iam::123456789012:role/x' CREDENTIALS 'y"]],
    ['a lake bucket with a quote', ['--lake', "s3://bad'bucket/lake"]],
  ];

  it.each(injections)('%s: exit 2, nothing executed', async (_name, flags) => {
    const before = target.server.statements.length;
    const run = await runBundle(bundle, ['load', 'genres', ...flags], { env: stepEnvironment() });
    expect(outcome(run).code).toBe(2);
    expect(run.errors.join('\n')).toMatch(/invalid|unsupported|refusing|not a/i);
    expect(target.server.statements.length).toBe(before);
  });
});

describe('secrets typed on the command line are refused before anything runs', () => {
  const cases: Array<[string, string[]]> = [
    ['a database password in --warehouse', ['load', 'genres', '--warehouse', `postgres://loader:${SECRETS.PGPASSWORD}@127.0.0.1:1/dw`]],
    ['a secret ARN in --redshift-secret-arn', ['load', 'genres', '--redshift-secret-arn', SECRETS.MOVALYTICS_REDSHIFT_SECRET_ARN]],
    ['a secret ARN in the --warehouse URL', ['load', 'genres', '--warehouse', `${TEST_WORKGROUP_URL}?secret_arn=${SECRETS.MOVALYTICS_REDSHIFT_SECRET_ARN}`]],
    ['a password in the whole pipeline', ['run', '--warehouse', `postgres://loader:${SECRETS.PGPASSWORD}@127.0.0.1:1/dw`]],
  ];

  it.each(cases)('%s: exit 2, and the message does not repeat it', async (_name, argv) => {
    const env = Object.fromEntries(Object.entries(stepEnvironment()).filter(([name]) => name !== 'MOVALYTICS_REDSHIFT_SECRET_ARN'));
    const before = target.server.statements.length;
    const run = await runBundle(bundle, argv, { env, cwd: work });
    expect(outcome(run).code).toBe(2);
    expect(run.stderr).toMatch(/visible in the process list/);
    expect(leaks(run.stdout + run.stderr)).toEqual([]);
    expect(target.server.statements.length).toBe(before);
  });
});

describe('URLs and connection strings are masked before they are printed, in every error path', () => {
  const secret = sentinel('urlsecret');
  const signature = sentinel('signature');
  const token = sentinel('sessiontoken');
  const cases: Array<[string, string[]]> = [
    ['an unparsable https URL with a password, to extract-movies', ['extract-movies', '--movies-source', `https://user:${secret}@[bad/x.zip`]],
    ['an unparsable https URL with a password, to extract-cpi', ['extract-cpi', '--cpi-source', `https://user:${secret}@[bad/x.csv`]],
    ['an unsupported scheme with a password, to extract-movies', ['extract-movies', '--movies-source', `mysql://u:${secret}@host/db`]],
    ['an unsupported scheme with a password, to extract-cpi', ['extract-cpi', '--cpi-source', `mysql://u:${secret}@host/db`]],
    ['an unsupported scheme with a password, as the Kaggle API', ['extract-movies', '--kaggle-api-url', `ftp://u:${secret}@host/api`]],
    ['an unsupported warehouse scheme with a password', ['load', 'genres', '--warehouse', `mysql://u:${secret}@host/db`]],
    ['an unparsable redshift-data:// URL with a password', ['load', 'genres', '--warehouse', `redshift-data://u:${secret}@[bad/dev`]],
    ['an unsupported lake scheme with a password', ['load', 'genres', '--lake', `ftp://u:${secret}@host/lake`]],
    ['an S3 lake URL with credentials', ['load', 'genres', '--lake', `s3://AKIAEXAMPLE:${secret}@bucket/lake`]],
    ['an unparsable https URL with a password, to the whole pipeline', ['run', '--movies-source', `https://user:${secret}@[bad/x.zip`]],
  ];

  it.each(cases)('%s: exit 2, and neither the message nor any output repeats it', async (_name, argv) => {
    const run = await runBundle(bundle, [...argv, '--result-file', path.join(work, 'masked.json')], { env: stepEnvironment(), cwd: work });
    expect(outcome(run).code).toBe(2);
    const printed = run.stdout + run.stderr + (await readFile(path.join(work, 'masked.json'), 'utf8').catch(() => ''));
    expect(printed.includes(secret)).toBe(false);
    expect(run.errors.join('\n')).toMatch(/unsupported|invalid|credentials|only http|must be an http/);
  });

  it('run prints a presigned --movies-source URL with its signature and token masked, in its output and its logs', async () => {
    const presigned = `${kaggle.storageUrl}/no-such.zip?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=${signature}&X-Amz-Security-Token=${token}`;
    const cpi = path.join(REAL_SAMPLE_DIR, 'CUSR0000SS62031.csv');
    const run = await runBundle(bundle, ['run', '--movies-source', presigned, '--cpi-source', cpi, '--log-level', 'debug'], {
      env: { ...stepEnvironment(), MOVALYTICS_WAREHOUSE: `pglite://${path.join(work, 'presigned-warehouse')}`, MOVALYTICS_LAKE: path.join(work, 'presigned-lake') },
      cwd: work,
    });
    expect(outcome(run).code).toBe(2);
    expect(run.stdout).toContain('X-Amz-Signature=***&X-Amz-Security-Token=***');
    expect([signature, token].filter((value) => (run.stdout + run.stderr).includes(value))).toEqual([]);
  }, 120_000);
});

describe('the image and the DAG', () => {
  it('the task image runs as an unprivileged user and bakes in no credential', async () => {
    const dockerfile = await readFile(path.join(ROOT, 'docker', 'Dockerfile'), 'utf8');
    // Every image is built on the base stage (test/services/docker.test.ts), whose last USER it runs as.
    const baseStage = /^FROM \S+ AS base\n([\s\S]*?)(?=^FROM )/m.exec(dockerfile)?.[1] ?? '';
    const users = [...baseStage.matchAll(/^USER\s+(\S+)/gm)].map((match) => match[1]);
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:.*)?$/);
    expect(dockerfile).not.toMatch(/^(ENV|ARG)\s+.*(SECRET|PASSWORD|KAGGLE_KEY|ACCESS_KEY|TOKEN)/im);
  });

  it('the DAG files hold no credential, and the step commands carry none', async () => {
    const folder = path.join(ROOT, 'airflow', 'dags');
    const files: string[] = [];
    const walk = async (directory: string): Promise<void> => {
      for (const entry of await readdir(directory, { withFileTypes: true })) {
        if (entry.isDirectory()) await walk(path.join(directory, entry.name));
        else if (entry.name.endsWith('.py')) files.push(path.join(directory, entry.name));
      }
    };
    await walk(folder);
    expect(files.length).toBeGreaterThan(0);
    const credentialLike = [
      /AKIA[0-9A-Z]{16}/, // an AWS access key id
      /arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:/, // a Secrets Manager ARN
      /(password|secret|token|key)\s*=\s*["'][^"'{}\s]{6,}["']/i, // a literal credential assigned
      /postgres(ql)?:\/\/[^/\s:@]+:[^/\s@]+@/, // a password inside a database URL
      /--(redshift-secret-arn|password)\b/, // a secret passed as a CLI flag
    ];
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      for (const pattern of credentialLike) expect({ file: path.relative(ROOT, file), pattern: String(pattern), found: pattern.test(text) }).toMatchObject({ found: false });
    }
    const steps = JSON.parse((await runBundle(bundle, ['steps', '--json'])).stdout) as PipelineStep[];
    expect(steps.flatMap((step) => step.argv).filter((arg) => arg.startsWith('-') && /secret|password|key|token/i.test(arg))).toEqual([]);
  });
});

describe('production dependencies (npm audit needs the registry; what can be checked offline is checked here)', () => {
  interface LockedPackage {
    version?: string;
    integrity?: string;
    dev?: boolean;
    link?: boolean;
    hasInstallScript?: boolean;
  }

  it('are pinned to exact versions, locked with integrity hashes, and run no install script', async () => {
    const manifest = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const lock = JSON.parse(await readFile(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockedPackage> };
    const ranges = Object.entries(manifest.dependencies).filter(([, version]) => !/^\d+\.\d+\.\d+$/.test(version));
    expect(ranges).toEqual([]);
    const production = Object.entries(lock.packages).filter(([name, entry]) => name !== '' && !entry.dev && !entry.link);
    expect(production.length).toBeGreaterThan(20);
    expect(production.filter(([, entry]) => !/^sha512-/.test(entry.integrity ?? '')).map(([name]) => name)).toEqual([]);
    expect(production.filter(([, entry]) => entry.hasInstallScript).map(([name]) => name)).toEqual([]);
    for (const [name, version] of Object.entries(manifest.dependencies)) expect({ name, locked: lock.packages[`node_modules/${name}`]?.version }).toEqual({ name, locked: version });
  });
});
