/**
 * The one place configuration is read. Flags come from yargs; every flag also reads a
 * `MOVALYTICS_*` variable (`--run-id` ← `MOVALYTICS_RUN_ID`), and AWS settings come the standard
 * AWS way (`AWS_REGION`, `AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL`, the default credential chain).
 * Everything is validated here, once; handlers get typed values and never read `process.env`.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Options } from 'yargs';
import { UsageError } from './errors';
import { normaliseLakeUrl } from './lake/open-lake';
import type { S3LakeOptions } from './lake/s3-lake';

/** Where local runs keep their lake and embedded warehouse unless told otherwise. */
export const DEFAULT_DATA_DIR = '.data';
const AIRFLOW_XCOM_DIR = '/airflow/xcom';
/** A stalled S3 request (no byte for this long) is abandoned and retried instead of hanging the task. */
export const DEFAULT_LAKE_TIMEOUT_MS = 60_000;

export const commonOptions = {
  // requiresArg: a flag typed without its value (`--run-id -x`, `--run-id` last) is refused, not
  // silently the default: a run that writes to run `local` instead of the one meant is a wrong run.
  'run-id': {
    type: 'string',
    requiresArg: true,
    describe: 'Run identifier; every lake path of the run derives from it',
    default: 'local',
  },
  lake: {
    type: 'string',
    requiresArg: true,
    describe: 'Lake URL: s3://bucket/prefix or file:///abs/path',
    default: pathToFileURL(path.resolve(DEFAULT_DATA_DIR, 'lake')).href,
    defaultDescription: 'file://$PWD/.data/lake',
  },
  'result-file': {
    type: 'string',
    requiresArg: true,
    describe: 'Where to write the task result JSON (also printed as the last stdout line)',
    defaultDescription: `${AIRFLOW_XCOM_DIR}/return.json when ${AIRFLOW_XCOM_DIR} exists`,
  },
  'log-level': {
    type: 'string',
    choices: ['error', 'warn', 'info', 'debug'],
    default: 'info',
    describe: 'Log level',
  },
  'lake-timeout-ms': {
    type: 'number',
    default: DEFAULT_LAKE_TIMEOUT_MS,
    describe: 'S3 lake: longest a request may go without a byte either way before it is abandoned (and retried)',
  },
} satisfies Record<string, Options>;

export interface CommonArgs {
  'run-id': string;
  lake: string;
  'result-file'?: string;
  'log-level': string;
  'lake-timeout-ms'?: number;
}

export interface CommonConfig {
  runId: string;
  lakeUrl: string;
  resultFile: string | undefined;
  logLevel: string;
  s3: S3LakeOptions;
}

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_.=-]{0,99}$/;

export function readCommonConfig(args: CommonArgs, env: NodeJS.ProcessEnv = process.env): CommonConfig {
  return {
    runId: checkRunId(args['run-id']),
    lakeUrl: normaliseLakeUrl(args.lake),
    resultFile: checkResultFile(args['result-file']) ?? (existsSync(AIRFLOW_XCOM_DIR) ? `${AIRFLOW_XCOM_DIR}/return.json` : undefined),
    logLevel: args['log-level'],
    s3: { ...readS3Options(env), timeoutMs: checkNumber('lake-timeout-ms', args['lake-timeout-ms'] ?? DEFAULT_LAKE_TIMEOUT_MS, 1) },
  };
}

export function checkRunId(value: string): string {
  if (!RUN_ID.test(value)) {
    throw new UsageError(`invalid run id "${value}": use letters, digits, '_', '.', '=', '-' (at most 100)`);
  }
  return value;
}

/** A result file that names a folder could not be written: refused before the work, not after it. */
function checkResultFile(file: string | undefined): string | undefined {
  if (file !== undefined && statSync(file, { throwIfNoEntry: false })?.isDirectory()) {
    throw new UsageError(`--result-file "${file}" is a folder: name the file to write, e.g. ${path.join(file, 'return.json')}`);
  }
  return file;
}

export function readS3Options(env: NodeJS.ProcessEnv): S3LakeOptions {
  const endpoint = env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || undefined;
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
  return { ...(endpoint ? { endpoint } : {}), ...(region ? { region } : {}) };
}

/** A positive number flag, e.g. a ratio or a count, with the flag's name in the error. */
export function checkNumber(name: string, value: number, min: number, max = Number.POSITIVE_INFINITY): number {
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be a number from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}
