/**
 * What the reliability tests share: the task image's payload (the esbuild bundle, as the container
 * runs it) in a private folder, running its commands as child processes with exactly the
 * environment given, killing them at a chosen moment, and fingerprints of a lake and a warehouse
 * schema to compare a faulty run with a clean one.
 */
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import type { Lake } from '../../tasks/core/lake/lake';
import type { WarehouseNames } from '../../tasks/core/warehouse/identifiers';
import { MODEL_DATA_TABLES } from '../../tasks/core/warehouse/model';
import type { Warehouse } from '../../tasks/core/warehouse/warehouse';

export const ROOT = path.resolve(__dirname, '..', '..');

export interface Bundle {
  /** The bundled CLI: `node <script> <command> …` runs as `docker run movalytics-tasks <command> …` does. */
  script: string;
  remove(): Promise<void>;
}

/** Builds the bundle (scripts/bundle.mjs) into a private folder: other tests may rebuild dist/ meanwhile. */
export async function buildBundle(): Promise<Bundle> {
  const directory = await mkdtemp(path.join(tmpdir(), 'movalytics-reliability-'));
  await promisify(execFile)(process.execPath, [path.join(ROOT, 'scripts', 'bundle.mjs'), directory], { cwd: ROOT });
  return { script: path.join(directory, 'movalytics.js'), remove: () => rm(directory, { recursive: true, force: true }) };
}

export interface TaskRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The task result (the last stdout line), or {} when there is none. */
  result: Record<string, unknown>;
  /** Messages of error-level log lines. */
  errors: string[];
}

export interface RunOptions {
  /** The whole environment of the child (PATH is added). */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** SIGKILL the child as soon as a stderr line matches. */
  killWhen?: RegExp;
  /** Called with every stderr line as it arrives. */
  onLine?: (line: string) => void;
  /** Called with the child's pid once it runs. */
  onSpawn?: (pid: number) => void;
  /** A command that runs node, e.g. `unshare --pid --fork --mount-proc` for a PID namespace of its own, as a container has. */
  wrapper?: readonly string[];
  /** Run as this user and group (root only): e.g. to meet a read-only folder as a normal user would. */
  uid?: number;
  gid?: number;
}

export async function runBundle(bundle: Bundle, args: readonly string[], options: RunOptions = {}): Promise<TaskRun> {
  const [command = process.execPath, ...commandArgs] = [...(options.wrapper ?? []), process.execPath, bundle.script, ...args];
  const child = spawn(command, commandArgs, {
    cwd: options.cwd ?? tmpdir(),
    env: { PATH: process.env.PATH, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.uid !== undefined ? { uid: options.uid } : {}),
    ...(options.gid !== undefined ? { gid: options.gid } : {}),
  });
  if (child.pid !== undefined) options.onSpawn?.(child.pid);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  createInterface({ input: child.stderr }).on('line', (line) => {
    stderr += `${line}\n`;
    options.onLine?.(line);
    if (options.killWhen?.test(line)) child.kill('SIGKILL');
  });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
  });
  return { code, signal, stdout, stderr, result: lastJsonLine(stdout), errors: errorMessages(stderr) };
}

function lastJsonLine(stdout: string): Record<string, unknown> {
  const last = stdout.trimEnd().split('\n').pop() ?? '';
  try {
    const parsed: unknown = JSON.parse(last);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function errorMessages(stderr: string): string[] {
  const messages: string[] = [];
  for (const line of stderr.split('\n')) {
    try {
      const parsed = JSON.parse(line) as { level?: unknown; message?: unknown };
      if (parsed.level === 'error' && typeof parsed.message === 'string') messages.push(parsed.message);
    } catch {
      if (line.startsWith('error:')) messages.push(line);
    }
  }
  return messages;
}

/** A failed run's summary for assertion messages: exit code and its last error lines. */
export function outcome(run: TaskRun): { code: number | null; errors: string[] } {
  return { code: run.code, errors: run.errors.slice(-2) };
}

/** Every object of the lake under `prefix` with the sha256 of its bytes: equal snapshots, equal lakes. */
export async function lakeSnapshot(lake: Lake, prefix = ''): Promise<Record<string, string>> {
  return lakeDigests(lake, (key) => !key.startsWith(prefix));
}

/** Row count and an order-independent checksum of every model table of a schema. */
export async function tableChecksums(warehouse: Warehouse, names: WarehouseNames): Promise<Record<string, string>> {
  const sums: Record<string, string> = {};
  for (const table of MODEL_DATA_TABLES) {
    const [row] = await warehouse.query(
      `SELECT COUNT(*) AS row_count, md5(COALESCE(string_agg(t::text, '|' ORDER BY t::text), '')) AS checksum FROM ${names.table(table)} AS t`,
    );
    sums[table] = `${String(row?.row_count)}:${String(row?.checksum)}`;
  }
  return sums;
}

/** The command lines of the live child processes of `parents`, read from /proc (Linux). */
export async function childCommandLines(parents: readonly number[]): Promise<string[]> {
  const lines: string[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const status = await readFile(`/proc/${entry}/status`, 'utf8').catch(() => '');
    if (!parents.includes(Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]))) continue;
    const cmdline = (await readFile(`/proc/${entry}/cmdline`).catch(() => Buffer.alloc(0))).toString('utf8').split('\0').join(' ').trim();
    if (cmdline) lines.push(cmdline);
  }
  return lines;
}

/** sha256 of every object of the lake by key; `skip` leaves some out. */
export async function lakeDigests(lake: Lake, skip: (key: string) => boolean = () => false): Promise<Record<string, string>> {
  const digests: Record<string, string> = {};
  for (const object of await lake.list('')) {
    if (skip(object.key)) continue;
    const hash = createHash('sha256');
    for await (const chunk of await lake.get(object.key)) hash.update(chunk as Buffer);
    digests[object.key] = hash.digest('hex');
  }
  return digests;
}
