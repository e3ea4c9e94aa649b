/**
 * Warehouse failures mapped to the task exit codes: a dropped connection, a serialization
 * conflict or throttling may pass on retry (75); refused credentials or a missing database need a
 * fix (2); a value the table cannot take is bad input (65); any other SQL error is a bug in a
 * statement (1) and keeps the statement text and the server's message.
 */
import {
  DataError,
  ExitCode,
  MovalyticsError,
  TransientError,
  UsageError,
  type ErrorContext,
} from '../errors';

/** A statement the warehouse refused for a reason no retry or data fix can cure. */
export class SqlError extends MovalyticsError {
  readonly exitCode = ExitCode.unexpected;
}

/** The statement as shown in errors: one line, cut at 300 characters. */
export function statementForError(sql: string): string {
  const oneLine = sql.replace(/\s+/g, ' ').trim();
  return oneLine.length > 300 ? `${oneLine.slice(0, 297)}...` : oneLine;
}

const TRANSIENT_NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

interface PostgresErrorFields {
  code?: unknown;
  message?: unknown;
  detail?: unknown;
  where?: unknown;
}

/** An error from `pg` or PGlite (both carry PostgreSQL's SQLSTATE in `code`), or from the socket. */
export function classifyPostgresError(error: unknown, sql: string | undefined): MovalyticsError {
  if (error instanceof MovalyticsError) return error;
  const fields = (typeof error === 'object' && error !== null ? error : {}) as PostgresErrorFields;
  const code = typeof fields.code === 'string' ? fields.code : '';
  const message = error instanceof Error ? error.message : String(error);
  const context: ErrorContext = {
    ...(sql !== undefined ? { statement: statementForError(sql) } : {}),
    ...(code ? { sqlstate: code } : {}),
    ...(typeof fields.detail === 'string' ? { detail: fields.detail } : {}),
    ...(typeof fields.where === 'string' ? { where: statementForError(fields.where) } : {}),
  };
  const options = { cause: error };
  if (TRANSIENT_NETWORK_CODES.has(code) || /Connection terminated|connection.*(reset|closed)/i.test(message)) {
    return new TransientError(`warehouse connection failed: ${message}`, context, options);
  }
  if (code === 'ENOTFOUND') return new UsageError(`warehouse host not found: ${message}`, context, options);
  const sqlClass = code.slice(0, 2);
  if (['08', '53', '57'].includes(sqlClass) || ['40001', '40P01', '55P03'].includes(code)) {
    return new TransientError(`warehouse busy or unavailable: ${message}`, context, options);
  }
  if (['28', '3D'].includes(sqlClass) || code === '42501') {
    return new UsageError(`warehouse refused access: ${message}`, context, options);
  }
  if (['22', '23'].includes(sqlClass)) return new DataError(`warehouse rejected the data: ${message}`, context, options);
  return new SqlError(`SQL failed: ${message}`, context, options);
}

/**
 * Failures a retry may pass: a serialization conflict (error 1023), a dropped connection, a
 * statement stopped by the statement_timeout setting or by a workload management rule (WLM
 * abort or timeout, query monitoring rules), a cluster restarting or resizing.
 */
const TRANSIENT_REDSHIFT_TEXT =
  /serializable isolation violation|deadlock|conflict with concurrent|connection (reset|refused|closed)|terminat|statement timeout|canceling statement due to|cancelled by WLM|WLM (abort|timeout)|abort action|query monitoring rule|cluster is (being )?(resized|restarted|rebooted)|server closed the connection/i;

/** The error text of a FAILED Redshift statement, which carries no SQLSTATE. */
export function classifyRedshiftStatementError(text: string, sql: string, statementId: string): MovalyticsError {
  const context: ErrorContext = { statement: statementForError(sql), statementId };
  if (TRANSIENT_REDSHIFT_TEXT.test(text)) {
    return new TransientError(`Redshift statement failed, may pass on retry: ${text}`, context);
  }
  if (/permission denied|not authorized|access denied|password authentication/i.test(text)) {
    return new UsageError(`Redshift refused access: ${text}`, context);
  }
  if (/invalid input syntax|value too long|out of range|Load into table|stl_load_errors|violates|invalid digit/i.test(text)) {
    return new DataError(`Redshift rejected the data: ${text}`, context);
  }
  // A lake object COPY must read (a manifest's mandatory entry) is gone: as for the lake's own
  // NoSuchKey, the run's input is incomplete and a retry reads the same lake; rerun its producer.
  if (/NoSuchKey|The specified key does not exist/i.test(text)) {
    return new DataError(`Redshift found a lake object missing: ${text}`, context);
  }
  return new SqlError(`SQL failed on Redshift: ${text}`, context);
}

const TRANSIENT_API_ERRORS = new Set([
  'ThrottlingException',
  'ActiveStatementsExceededException',
  'ActiveSessionsExceededException',
  'InternalServerException',
  'DatabaseConnectionException',
  'QueryTimeoutException',
  'ServiceUnavailableException',
  'TimeoutError',
]);
const USAGE_API_ERRORS = new Set(['ValidationException', 'ResourceNotFoundException', 'AccessDeniedException', 'UnrecognizedClientException', 'InvalidSignatureException', 'ExpiredTokenException', 'CredentialsProviderError']);

/**
 * An error thrown by the Redshift Data API client itself (the SDK has already retried). A request
 * that got no HTTP response at all (refused, reset, timed out) may pass later.
 */
export function classifyRedshiftApiError(error: unknown, sql: string | undefined): MovalyticsError {
  if (error instanceof MovalyticsError) return error;
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  const context: ErrorContext = { ...(sql !== undefined ? { statement: statementForError(sql) } : {}), ...(name ? { code: name } : {}) };
  const options = { cause: error };
  const metadata = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata;
  if (USAGE_API_ERRORS.has(name)) return new UsageError(`Redshift Data API refused the request: ${message}`, context, options);
  if (metadata === undefined) return new SqlError(`Redshift Data API request failed: ${message}`, context, options);
  const status = metadata.httpStatusCode;
  if (TRANSIENT_API_ERRORS.has(name) || status === undefined || status >= 500) {
    return new TransientError(`Redshift Data API unavailable: ${message}`, context, options);
  }
  return new SqlError(`Redshift Data API request failed: ${message}`, context, options);
}
