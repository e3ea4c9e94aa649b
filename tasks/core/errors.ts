/**
 * The few error classes a task can end with. Each maps to one exit code of DESIGN.md §2, so Airflow
 * can tell "retry may help" (75) from "fix the input" (65) and "fix the configuration" (2).
 */

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
  constructor(
    message: string,
    readonly context: ErrorContext = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
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
