/**
 * The real `movalytics` CLI against a test warehouse (built once per test file by cli-process.ts,
 * with `sql/` beside the build as in an image), run to completion or killed mid-run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { runCli, type BuiltCli, type CliRun } from './cli-process';
import type { WarehouseTestTarget } from './warehouse-targets';

const ROOT = path.resolve(__dirname, '..', '..');

/** `movalytics <command> …` with the target's warehouse, lake and schema. */
export function warehouseArgs(target: WarehouseTestTarget, schema: string, runId: string, command: string[]): string[] {
  return [...command, '--warehouse', target.url, '--warehouse-schema', schema, '--run-id', runId, ...target.cliArgs];
}

export async function runWarehouseCli(cli: BuiltCli, target: WarehouseTestTarget, args: string[]): Promise<CliRun> {
  await target.release();
  return runCli(cli, args, target.cliEnv);
}

export interface KilledRun {
  signal: NodeJS.Signals | null;
  code: number | null;
  stderr: string;
}

/**
 * Runs the CLI and SIGKILLs it as soon as a stderr line matches `killWhen` (a log line written
 * while the COPY is in flight). The run must not have finished by itself.
 */
export async function runAndKill(cli: BuiltCli, target: WarehouseTestTarget, args: string[], killWhen: RegExp): Promise<KilledRun> {
  await target.release();
  const child: ChildProcess = spawn(process.execPath, [cli.cliPath, ...args], {
    env: { PATH: process.env.PATH, NODE_PATH: path.join(ROOT, 'node_modules'), ...target.cliEnv },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const lines = createInterface({ input: child.stderr as NodeJS.ReadableStream });
  lines.on('line', (line) => {
    stderr += `${line}\n`;
    if (killWhen.test(line)) child.kill('SIGKILL');
  });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
  });
  return { code, signal, stderr };
}
