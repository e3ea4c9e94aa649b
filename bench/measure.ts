/**
 * One measured child process: wall time from this process's monotonic clock, peak RSS and CPU
 * time from GNU time (`/usr/bin/time -f '%M %U %S' -o FILE`), which reads them from wait4()'s
 * rusage of the child: ru_maxrss is the peak resident set of the child or of the largest
 * descendant the child itself waited for (not of one it left running). The child's stdout and stderr stream
 * through line callbacks, so a multi-GB log never sits in memory.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

export const GNU_TIME = '/usr/bin/time';

export interface Measurement {
  /** Wall-clock seconds from spawn to exit. */
  seconds: number;
  /** Peak resident set size of the child, in MiB. */
  peakRssMb: number;
  /** CPU seconds (user + system) the child used. */
  cpuSeconds: number;
  exitCode: number;
}

export interface MeasureOptions {
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** Text written to the child's standard input (closed after it); otherwise no input. */
  input?: string;
  onStdoutLine?: (line: string) => void;
  onStderrLine?: (line: string) => void;
}

export function checkGnuTime(): void {
  if (!existsSync(GNU_TIME)) {
    throw new Error(`${GNU_TIME} (GNU time) is needed to read each step's peak RSS: apt-get install time`);
  }
}

export async function measure(command: string, args: readonly string[], options: MeasureOptions): Promise<Measurement> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'movalytics-bench-time-'));
  const timeFile = path.join(folder, 'time.txt');
  try {
    const startedAt = process.hrtime.bigint();
    const exitCode = await new Promise<number>((resolve, reject) => {
      const child = spawn(GNU_TIME, ['-f', '%M %U %S', '-o', timeFile, command, ...args], {
        env: options.env,
        cwd: options.cwd,
        stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      });
      child.on('error', reject);
      child.stdin?.end(options.input);
      if (child.stdout) createInterface({ input: child.stdout }).on('line', (line) => options.onStdoutLine?.(line));
      if (child.stderr) createInterface({ input: child.stderr }).on('line', (line) => options.onStderrLine?.(line));
      child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    });
    const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
    const usage = parseTimeFile(await readFile(timeFile, 'utf8'));
    return { seconds, exitCode, ...usage };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** The last line is ours (`%M %U %S`); a line before it may say the command was killed by a signal. */
function parseTimeFile(text: string): { peakRssMb: number; cpuSeconds: number } {
  const last = text.trim().split('\n').pop() ?? '';
  const [rssKb, user, system] = last.split(' ').map(Number);
  if (rssKb === undefined || user === undefined || system === undefined || [rssKb, user, system].some(Number.isNaN)) {
    throw new Error(`unexpected GNU time output: ${JSON.stringify(text)}`);
  }
  return { peakRssMb: rssKb / 1024, cpuSeconds: user + system };
}
