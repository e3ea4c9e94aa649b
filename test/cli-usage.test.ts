/**
 * Usage mistakes are refused (exit 2) before any work starts, rather than noticed after it or
 * silently replaced by a default: a flag typed without its value, a result file that is a folder,
 * a report asked of a warehouse where create-tables never ran.
 */
import { mkdir, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ExitCode } from '../tasks/core/errors';
import { buildCli, runCli, type BuiltCli } from './support/cli-process';
import { realSampleFile } from './support/real-sample';

let cli: BuiltCli;
let work: string;
beforeAll(async () => {
  cli = await buildCli();
  work = await mkdtemp(path.join(tmpdir(), 'movalytics-usage-'));
}, 120_000);
afterAll(() => cli.remove());

/** extract-cpi of the real CPI file into a lake of its own, with `extra` flags last. */
async function extractCpi(name: string, extra: string[]) {
  const lake = path.join(work, name);
  const run = await runCli(cli, ['extract-cpi', '--cpi-source', realSampleFile('CUSR0000SS62031.csv'), '--lake', lake, ...extra], {}, work);
  const written = await readdir(lake, { recursive: true }).catch(() => []);
  return { run, written };
}

it.each([
  ['--run-id followed by another flag', ['--run-id', '-x']],
  ['--run-id with no value at the end', ['--run-id']],
  ['--result-file with no value', ['--result-file']],
  ['--lake with no value before another flag', ['--lake', '--run-id', 'r1']],
])('%s: exit 2 and nothing written, not the default run id', async (_name, extra) => {
  const { run, written } = await extractCpi(`lake-${extra.join('')}`, extra);
  expect({ code: run.code, written }).toEqual({ code: ExitCode.usage, written: [] });
  expect(run.stderr).toMatch(/Not enough arguments following: (run-id|result-file|lake)/);
});

it('a --result-file that names a folder: exit 2 before the work starts, naming the flag', async () => {
  const folder = path.join(work, 'results');
  await mkdir(folder);
  const { run, written } = await extractCpi('lake-folder', ['--result-file', folder]);
  expect({ code: run.code, written }).toEqual({ code: ExitCode.usage, written: [] });
  expect(run.result).toMatchObject({ status: 'failed', exit_code: ExitCode.usage, error: expect.stringMatching(/--result-file ".*results" is a folder/) });
});

it('report on a new warehouse (create-tables never ran): exit 2 saying to run create-tables, not exit 1 "relation does not exist"', async () => {
  const warehouse = `pglite://${path.join(work, 'new-warehouse')}`;
  const run = await runCli(cli, ['report', '--warehouse', warehouse, '--lake', path.join(work, 'report-lake')], {}, work);
  expect(run.code).toBe(ExitCode.usage);
  expect(run.result.error).toMatch(/lacks model tables \(movies, .*\): run "movalytics create-tables" first/);
  expect(run.stderr).not.toMatch(/does not exist/);
}, 60_000);
