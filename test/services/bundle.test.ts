/**
 * The task image's payload, proven without a Docker engine: the esbuild bundle (npm run bundle)
 * copied into an empty folder with no node_modules anywhere above it runs every command, as
 * `node /app/movalytics.js` runs in the image.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { cliEnv, listedCommands, REPO, runNode } from './support';

interface Step {
  id: string;
  argv: string[];
  upstream: string[];
}

// Not under os.tmpdir(): a stray /tmp/node_modules would let the bundle resolve what it forgot.
const work = mkdtempSync(path.join('/var/tmp', 'movalytics-bundle-'));
const app = path.join(work, 'app');
const script = path.join(app, 'movalytics.js');
const lake = pathToFileURL(path.join(work, 'lake')).href;
const sample = path.join(work, 'sample');
const RUN_ID = 'bundle-1';

const cli = (...args: string[]) => runNode(script, args, { cwd: work, env: cliEnv({ NODE_PATH: '' }) });

function expectSuccess(args: string[]): Record<string, unknown> {
  const run = cli(...args);
  if (run.status !== 0) throw new Error(`movalytics ${args.join(' ')} exited ${String(run.status)}:\n${run.stderr.slice(-3000)}`);
  expect(run.result?.status).toBe('success');
  return run.result ?? {};
}

function stagedParts(dataset: string): string[] {
  const folder = path.join(work, 'lake', 'staged', dataset, RUN_ID);
  return existsSync(folder) ? readdirSync(folder).filter((name) => name.endsWith('.csv.gz')) : [];
}

beforeAll(() => {
  execFileSync(process.execPath, ['scripts/bundle.mjs', path.join(work, 'build')], { cwd: REPO, stdio: 'pipe' });
  cpSync(path.join(work, 'build'), app, { recursive: true });
  rmSync(path.join(work, 'build'), { recursive: true, force: true });
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

test('the copied bundle has no node_modules to lean on', () => {
  for (let folder = app; ; folder = path.dirname(folder)) {
    expect(existsSync(path.join(folder, 'node_modules'))).toBe(false);
    if (path.dirname(folder) === folder) break;
  }
  expect(readdirSync(app).sort()).toEqual(
    ['bundle-inputs.json', 'initdb.wasm', 'movalytics.js', 'movalytics.js.LEGAL.txt', 'movalytics.js.map', 'package.json', 'pglite.data', 'pglite.wasm', 'sql'].sort(),
  );
  expect(existsSync(path.join(app, 'sql', 'migrations'))).toBe(true);
});

test('every command of the pipeline answers --help from the bundle', () => {
  const top = cli('--help');
  expect(top.status).toBe(0);
  const commands = listedCommands(top.stdout);
  const steps = JSON.parse(cli('steps', '--json').stdout) as Step[];
  const needed = new Set(['generate-sample', ...steps.map((step) => step.argv[0] ?? '')]);
  expect([...needed].filter((command) => !commands.includes(command))).toEqual([]);
  for (const command of commands) {
    const help = cli(command, '--help');
    expect(help.status).toBe(0);
    expect(help.stdout.split('\n')[0]).toMatch(new RegExp(`^movalytics ${command}\\b`));
  }
});

test('a tiny run from the bundle: generate-sample, both extracts and every transform into a file:// lake', () => {
  const common = ['--run-id', RUN_ID, '--lake', lake];
  const generated = expectSuccess(['generate-sample', '--scale', 'tiny', '--out', sample]);
  expect(generated.scale).toBe('tiny');
  expectSuccess(['extract-movies', ...common, '--movies-source', sample]);
  expectSuccess(['extract-cpi', ...common, '--cpi-source', path.join(sample, 'CUSR0000SS62031.csv')]);
  // The tiny sample keeps the real files' duplicate rows: 2 in 52 is over the default reject ratio.
  for (const source of ['movies', 'credits', 'keywords', 'links', 'cpi']) {
    expectSuccess(['transform', source, ...common, '--max-reject-ratio', '0.1']);
  }
  for (const dataset of ['movies', 'genres', 'people', 'keywords', 'links', 'cpi']) {
    expect({ dataset, hasParts: stagedParts(dataset).length > 0 }).toEqual({ dataset, hasParts: true });
  }
});

test('the whole pipeline runs from the bundle on the embedded PGlite warehouse (its .wasm/.data beside the bundle)', () => {
  const warehouse = pathToFileURL(path.join(work, 'warehouse')).href.replace(/^file:/, 'pglite:');
  const steps = JSON.parse(cli('steps', '--json').stdout) as Step[];
  const flagsOf: Record<string, string[]> = {
    'extract-movies': ['--movies-source', sample],
    'extract-cpi': ['--cpi-source', path.join(sample, 'CUSR0000SS62031.csv')],
    transform: ['--max-reject-ratio', '0.1'],
    'create-tables': ['--warehouse', warehouse],
    load: ['--warehouse', warehouse],
    'quality-check': ['--warehouse', warehouse],
    report: ['--warehouse', warehouse],
  };
  if (!existsSync(sample)) expectSuccess(['generate-sample', '--scale', 'tiny', '--out', sample]);
  for (const step of steps) {
    const command = step.argv[0] ?? '';
    expectSuccess([...step.argv, '--run-id', `${RUN_ID}-wh`, '--lake', lake, ...(flagsOf[command] ?? [])]);
  }
  const report = JSON.parse(readFileSync(path.join(work, 'lake', 'reports', `${RUN_ID}-wh`, 'report.json'), 'utf8')) as {
    run_id: string;
    coverage: { movies: number };
  };
  expect(report.run_id).toBe(`${RUN_ID}-wh`);
  expect(report.coverage.movies).toBeGreaterThan(0);
});
