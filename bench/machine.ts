/** The machine and the versions a bench run measured, for BENCHMARKS.md. */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './options';

const run = promisify(execFile);

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGb: number;
  os: string;
  kernel: string;
  versions: Record<string, string>;
}

export async function describeMachine(extra: Record<string, string>): Promise<MachineInfo> {
  const versions: Record<string, string> = {
    movalytics: await commitOf(REPO_ROOT),
    node: process.version,
    psql: await firstLine('psql', ['--version']),
    pglite: packageVersion('@electric-sql/pglite'),
    pg: packageVersion('pg'),
    'aws-sdk client-s3': packageVersion('@aws-sdk/client-s3'),
    java: await firstLine('java', ['-version']),
    ...extra,
  };
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    os: osName(),
    kernel: os.release(),
    versions,
  };
}

/** The first line a tool prints about itself (java prints to stderr), or `not found`. */
export async function firstLine(command: string, args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run(command, args);
    return (stdout.trim() || stderr.trim()).split('\n')[0] ?? '';
  } catch {
    return 'not found';
  }
}

/** The commit measured, marked when the working tree differs from it (uncommitted edits count). */
async function commitOf(folder: string): Promise<string> {
  const commit = await firstLine('git', ['-C', folder, 'rev-parse', '--short', 'HEAD']);
  if (commit === 'not found') return 'not a git checkout';
  const { stdout } = await run('git', ['-C', folder, 'status', '--porcelain', '--untracked-files=no']);
  return stdout.trim() === '' ? `commit ${commit}` : `commit ${commit} with uncommitted changes`;
}

function packageVersion(name: string): string {
  try {
    const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version?: string };
    return manifest.version ?? 'unknown';
  } catch {
    return 'not installed';
  }
}

function osName(): string {
  try {
    const release = readFileSync('/etc/os-release', 'utf8');
    return /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(release)?.[1] ?? os.type();
  } catch {
    return os.type();
  }
}
