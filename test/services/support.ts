/** What the real-services tests share: the services' coordinates and running the CLI. */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

export const REPO = path.resolve(__dirname, '..', '..');

/** A variable exported by `source scripts/services/setup.sh`; the test fails without it. */
export function serviceEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run \`source scripts/services/setup.sh\` first`);
  return value;
}

/**
 * The environment for a CLI process: ours without MOVALYTICS_* variables (setup.sh exports
 * MOVALYTICS_TEST_*), which the strict CLI would read as unknown flags, plus `extra`.
 */
export function cliEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('MOVALYTICS_')) env[name] = value;
  return { ...env, ...extra };
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** The task result JSON (the last stdout line), when there is one. */
  result: Record<string, unknown> | undefined;
}

export function runNode(script: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): CliRun {
  return runCommand(process.execPath, [script, ...args], options);
}

/** A program that runs a movalytics task (node, `docker run` of a task image): its output and result. */
export function runCommand(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv }): CliRun {
  const run: SpawnSyncReturns<string> = spawnSync(command, args, {
    cwd: options.cwd,
    env: options.env ?? cliEnv(),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error) throw new Error(`${command} ${args[0] ?? ''}: ${run.error.message}`);
  const last = run.stdout.trim().split('\n').pop() ?? '';
  let result: Record<string, unknown> | undefined;
  try {
    result = last.startsWith('{') ? (JSON.parse(last) as Record<string, unknown>) : undefined;
  } catch {
    result = undefined;
  }
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, result };
}

/** Command names listed by `movalytics --help` (`  movalytics <name> ...` lines). */
export function listedCommands(help: string): string[] {
  return [...help.matchAll(/^\s+movalytics ([a-z][a-z-]*)/gm)].map((match) => match[1] ?? '');
}

/** The steps that have an image of their own: tasks/<step>/main.ts is its entry (scripts/bundle.mjs). */
export function stepImageFolders(): string[] {
  return readdirSync(path.join(REPO, 'tasks'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(REPO, 'tasks', entry.name, 'main.ts')))
    .map((entry) => entry.name)
    .sort();
}
