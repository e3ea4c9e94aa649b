/**
 * Runs one step as its own process — `node <cli> <argv>` — exactly as Airflow's local runtime and a
 * container would: configuration through MOVALYTICS_* variables, the task result as the last stdout
 * line, JSON log lines on stderr, the exit code as the outcome.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { TaskResult } from '../core/result';

export interface StepOutcome {
  exitCode: number;
  /** The task result (last stdout line), when the step printed one. */
  result: TaskResult | undefined;
  /** The last error-level log message, for a one-line failure report. */
  lastError: string | undefined;
}

export type StepRunner = (argv: string[], env: NodeJS.ProcessEnv, onLog: (line: LogLine) => void) => Promise<StepOutcome>;

export interface LogLine {
  level: string;
  message: string;
  [key: string]: unknown;
}

/**
 * The steps' processes, each `node <cli> <argv>`. When the run itself is told to stop (SIGTERM
 * from Airflow or `docker stop`, Ctrl-C), `stop` passes the signal on to every step still running,
 * so none is left orphaned and writing, and no step starts after it; the run waits for them.
 */
export class ChildSteps {
  private readonly live = new Set<ChildProcess>();
  /** The signal the run was stopped by, once it was. */
  stoppedBy: NodeJS.Signals | undefined;

  constructor(private readonly cliPath: string) {}

  readonly run: StepRunner = (argv, env, onLog) => {
    if (this.stoppedBy) {
      return Promise.resolve({ exitCode: 1, result: undefined, lastError: `not started: the run was stopped by ${this.stoppedBy}` });
    }
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [this.cliPath, ...argv], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      this.live.add(child);
      let lastStdout = '';
      let lastError: string | undefined;
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (line.trim() !== '') lastStdout = line;
      });
      createInterface({ input: child.stderr }).on('line', (line) => {
        const parsed = parseLogLine(line);
        if (parsed.level === 'error') lastError = parsed.message;
        onLog(parsed);
      });
      child.on('error', (error) => {
        this.live.delete(child);
        reject(error);
      });
      child.on('close', (code, signal) => {
        this.live.delete(child);
        resolve({
          exitCode: code ?? (signal ? 1 : 0),
          result: parseResult(lastStdout),
          lastError: lastError ?? (signal ? `killed by ${signal}` : undefined),
        });
      });
    });
  };

  /** Passes `signal` to every running step; no step starts after it. */
  stop(signal: NodeJS.Signals): void {
    this.stoppedBy ??= signal;
    for (const child of this.live) child.kill(signal);
  }
}

/** A stderr line of a step: its JSON log record, or the text itself as a warning. */
export function parseLogLine(line: string): LogLine {
  try {
    const parsed = JSON.parse(line) as Partial<LogLine>;
    if (typeof parsed.message === 'string' && typeof parsed.level === 'string') return parsed as LogLine;
  } catch {
    // Not a JSON log line (e.g. a Node warning): keep it as text.
  }
  return { level: 'warn', message: line };
}

/** A step's task result from its last stdout line, when the line is one. */
export function parseResult(line: string): TaskResult | undefined {
  try {
    const parsed = JSON.parse(line) as Partial<TaskResult>;
    return typeof parsed.task === 'string' ? (parsed as TaskResult) : undefined;
  } catch {
    return undefined;
  }
}
