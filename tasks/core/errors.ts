/**
 * The few error classes a task can end with. Each maps to one exit code of DESIGN.md §2, so Airflow
 * can tell "retry may help" (75) from "fix the input" (65) and "fix the configuration" (2).
 */

import type { TaskOutput } from './result';

/** Where something went wrong: the object, the line or row, the statement. Never secret values. */
export interface ErrorContext {
  object?: string;
  line?: number;
  statementId?: string;
  [key: string]: string | number | boolean | undefined;
}

export const ExitCode = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  badData: 65,
  transient: 75,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export abstract class MovalyticsError extends Error {
  abstract readonly exitCode: ExitCode;
  /** What the task produced before failing (e.g. every quality check's result), kept in the task result. */
  output: TaskOutput | undefined;
  constructor(
    message: string,
    readonly context: ErrorContext = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }

  withOutput(output: TaskOutput): this {
    this.output = output;
    return this;
  }
}

/** Bad flags, missing or invalid configuration, refused credentials: retrying cannot help. */
export class UsageError extends MovalyticsError {
  readonly exitCode = ExitCode.usage;
}

/** The input itself is wrong: wrong header, wrong series, corrupt archive, too many rejects. */
export class DataError extends MovalyticsError {
  readonly exitCode = ExitCode.badData;
}

/** Network, throttling, a busy warehouse: a later retry may succeed. */
export class TransientError extends MovalyticsError {
  readonly exitCode = ExitCode.transient;
}

export function exitCodeFor(error: unknown): ExitCode {
  return error instanceof MovalyticsError ? error.exitCode : ExitCode.unexpected;
}

/** One line: the message followed by its context, e.g. `wrong header (object=raw/cpi/x.csv, line=1)`. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const context = error instanceof MovalyticsError ? formatContext(error.context) : '';
  return `${error.message}${context}`.replace(/\s*\n\s*/g, ' ');
}

function formatContext(context: ErrorContext): string {
  const parts = Object.entries(context)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${String(value)}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

/** The error a child step's exit code stands for, so a pipeline run exits as its failed step did. */
export function errorForExitCode(exitCode: number, message: string, context: ErrorContext = {}): Error {
  switch (exitCode) {
    case ExitCode.usage:
      return new UsageError(message, context);
    case ExitCode.badData:
      return new DataError(message, context);
    case ExitCode.transient:
      return new TransientError(message, context);
    default:
      return new Error(message);
  }
}
