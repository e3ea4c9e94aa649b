/**
 * The real `movalytics` CLI as a child process, for tests of exit codes, stdout and stderr.
 * It is compiled once per test file into a private folder rather than dist/, which other test
 * files (and a developer's own build) may be rebuilding at the same moment. Type errors elsewhere in the tree do
 * not stop the emit; `npm run lint` reports them.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '..', '..');

export interface BuiltCli {
  cliPath: string;
  remove(): Promise<void>;
}

export async function buildCli(): Promise<BuiltCli> {
  const outDir = await mkdtemp(path.join(tmpdir(), 'movalytics-cli-'));
  const tsc = require.resolve('typescript/bin/tsc');
  const build = await promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', outDir], {
    cwd: ROOT,
  }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
  const cliPath = path.join(outDir, 'tasks', 'cli.js');
  if (!existsSync(cliPath)) throw new Error(`the CLI did not build:\n${build.stdout}`);
  // The warehouse tasks read their SQL from the sql/ folder beside the build, as in an image.
  await symlink(path.join(ROOT, 'sql'), path.join(outDir, 'sql'));
  return { cliPath, remove: () => rm(outDir, { recursive: true, force: true }) };
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The task result: the last stdout line, parsed. */
  result: Record<string, unknown>;
  /** stderr log lines at level error. */
  errorLines: string[];
}

/** Runs the CLI with only the given environment (plus PATH, and NODE_PATH to find the dependencies). */
export async function runCli(cli: BuiltCli, args: string[], env: NodeJS.ProcessEnv = {}, cwd = tmpdir()): Promise<CliRun> {
  const child = spawn(process.execPath, [cli.cliPath, ...args], {
    cwd,
    env: { PATH: process.env.PATH, NODE_PATH: path.join(ROOT, 'node_modules'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const lastLine = stdout.trimEnd().split('\n').pop() ?? '';
  let result: Record<string, unknown> = {};
  try {
    result = JSON.parse(lastLine) as Record<string, unknown>;
  } catch {
    result = { unparsable_stdout: lastLine };
  }
  const errorLines = stderr.split('\n').filter((line) => /"level":"error"/.test(line) || /^error:/.test(line));
  return { code, stdout, stderr, result, errorLines };
}
