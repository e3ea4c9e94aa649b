/**
 * Warehouse configuration, read and validated once: the warehouse URL (`--warehouse`, or
 * MOVALYTICS_WAREHOUSE), the schema and table prefix the model lives under, and what Redshift's
 * COPY needs. Passwords never come from the command line: a postgres:// URL carries one only when
 * the whole URL comes from MOVALYTICS_WAREHOUSE; otherwise PGPASSWORD supplies it. Secrets are
 * registered with the logger so that no log line can show them.
 */
import path from 'node:path';
import type { Options } from 'yargs';
import { checkNumber, DEFAULT_DATA_DIR } from '../config';
import { UsageError } from '../errors';
import { registerSecret } from '../log';
import { checkIdentifier, WarehouseNames } from './identifiers';
import type { PgliteLockSettings } from './pglite-warehouse';
import type { PostgresTarget } from './postgres-warehouse';
import type { RedshiftDataTarget } from './redshift-data-warehouse';
import { displayUrl } from '../display-url';

/** PGlite admits one process at a time: a second one waits this long, then fails as transient. */
export const DEFAULT_LOCK_TIMEOUT_MS = 15 * 60 * 1000;

export const warehouseOptions = {
  warehouse: {
    type: 'string',
    requiresArg: true,
    describe:
      'Warehouse URL: pglite:///path (embedded), postgres://user@host:port/db (password in PGPASSWORD), ' +
      'redshift-data://workgroup/<name>/<db> or redshift-data://cluster/<id>/<db>?db_user=<user>',
    default: `pglite://${path.resolve(DEFAULT_DATA_DIR, 'warehouse')}`,
    defaultDescription: 'pglite://$PWD/.data/warehouse',
  },
  'warehouse-schema': { type: 'string', default: 'movalytics', describe: 'Schema holding the model tables' },
  'warehouse-table-prefix': { type: 'string', default: '', describe: 'Prefix of every table name (e.g. dev_)' },
  'copy-iam-role': {
    type: 'string',
    describe: 'Redshift: IAM role ARN that Redshift assumes to COPY from the S3 lake (comma-separated to chain roles)',
  },
  'copy-region': { type: 'string', describe: "Redshift: the lake bucket's region, when it differs from the warehouse's" },
  'warehouse-lock-timeout-ms': {
    type: 'number',
    default: DEFAULT_LOCK_TIMEOUT_MS,
    describe: 'Embedded warehouse (pglite://): longest wait for another process to let go of the data directory; then exit 75',
  },
  'warehouse-lock-lease-ms': {
    type: 'number',
    describe:
      'Embedded warehouse (pglite://): a lock holder renews its lease every fifth of this; a lock not renewed for this long ' +
      'is taken over (its holder was killed). Must exceed any stall of the file system, and a --warehouse-lock-timeout-ms ' +
      'shorter than it never outwaits a killed holder (default: 30000)',
  },
  'redshift-statement-timeout-ms': {
    type: 'number',
    describe: 'Redshift: longest wait for one statement; then it is cancelled (CancelStatement) and the task exits 75 (default: 2 hours)',
  },
  'redshift-secret-arn': {
    type: 'string',
    describe:
      'Redshift: Secrets Manager secret ARN holding the database credentials; only from MOVALYTICS_REDSHIFT_SECRET_ARN ' +
      '(or secret_arn= in a MOVALYTICS_WAREHOUSE URL), never typed on the command line; IAM auth without',
  },
} satisfies Record<string, Options>;

export interface WarehouseArgs {
  warehouse: string;
  'warehouse-lock-timeout-ms'?: number;
  'warehouse-lock-lease-ms'?: number;
  'warehouse-schema': string;
  'warehouse-table-prefix': string;
  'copy-iam-role'?: string;
  'copy-region'?: string;
  'redshift-secret-arn'?: string;
  'redshift-statement-timeout-ms'?: number;
}

export type WarehouseTarget =
  | { kind: 'pglite'; dataDir: string; description: string; lock: PgliteLockSettings }
  | ({ kind: 'postgres' } & PostgresTarget)
  | ({ kind: 'redshift' } & RedshiftDataTarget);

export interface WarehouseConfig {
  target: WarehouseTarget;
  names: WarehouseNames;
}

export function readWarehouseConfig(args: WarehouseArgs, env: NodeJS.ProcessEnv = process.env): WarehouseConfig {
  const names = new WarehouseNames(
    checkIdentifier('warehouse schema (--warehouse-schema)', args['warehouse-schema']),
    args['warehouse-table-prefix'],
  );
  return { target: parseWarehouseUrl(args, env), names };
}

function parseWarehouseUrl(args: WarehouseArgs, env: NodeJS.ProcessEnv): WarehouseTarget {
  const url = args.warehouse;
  if (url.startsWith('pglite://')) {
    return pgliteTarget(url, pgliteLockSettings(args));
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    return postgresTarget(url, { fromEnvironment: env.MOVALYTICS_WAREHOUSE === url, pgPassword: env.PGPASSWORD });
  }
  if (url.startsWith('redshift-data://')) return redshiftTarget(url, args, env);
  throw new UsageError(
    `unsupported warehouse URL "${displayUrl(url)}": expected pglite:///path, postgres://… or redshift-data://…`,
  );
}

function pgliteLockSettings(args: WarehouseArgs): PgliteLockSettings {
  const wait = args['warehouse-lock-timeout-ms'];
  const lease = args['warehouse-lock-lease-ms'];
  return {
    ...(wait !== undefined ? { timeoutMs: checkNumber('warehouse-lock-timeout-ms', wait, 0) } : {}),
    ...(lease !== undefined ? { leaseMs: checkNumber('warehouse-lock-lease-ms', lease, 1) } : {}),
  };
}

function pgliteTarget(url: string, lock: PgliteLockSettings): WarehouseTarget {
  const rest = decodeURIComponent(url.slice('pglite://'.length));
  if (rest === '' || rest.includes('\0')) throw new UsageError('pglite:// needs a data directory, e.g. pglite:///abs/path');
  const dataDir = path.resolve(rest);
  return { kind: 'pglite', dataDir, description: `pglite://${dataDir}`, lock };
}

function postgresTarget(url: string, options: { fromEnvironment: boolean; pgPassword: string | undefined }): WarehouseTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError('invalid postgres:// warehouse URL');
  }
  const urlPassword = parsed.password ? decodeURIComponent(parsed.password) : undefined;
  registerSecret(urlPassword);
  if (urlPassword !== undefined && !options.fromEnvironment) {
    throw new UsageError(
      'a password in --warehouse would be visible in the process list and logs: set PGPASSWORD, or pass the whole URL in MOVALYTICS_WAREHOUSE',
    );
  }
  parsed.password = '';
  const password = urlPassword ?? options.pgPassword;
  registerSecret(password);
  return { kind: 'postgres', url: parsed.href, ...(password !== undefined ? { password } : {}), description: parsed.href };
}

const WORKGROUP = /^[a-z0-9-]{3,64}$/;
const CLUSTER = /^[a-z][a-z0-9-]{0,62}$/;
const DATABASE = /^[A-Za-z_][A-Za-z0-9_$]{0,126}$/;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/;
const IAM_ROLE = /^arn:aws[a-z-]*:iam::\d{12}:role\/[A-Za-z0-9+=,.@_/-]+$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const REDSHIFT_URL_PARAMETERS = new Set(['db_user', 'secret_arn', 'region']);

function redshiftTarget(url: string, args: WarehouseArgs, env: NodeJS.ProcessEnv): WarehouseTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`invalid redshift-data:// warehouse URL "${displayUrl(url)}"`);
  }
  const [identifier = '', database = '', ...extra] = parsed.pathname.replace(/^\//, '').split('/').map(decodeURIComponent);
  const mode = parsed.hostname;
  if ((mode !== 'workgroup' && mode !== 'cluster') || extra.length > 0) {
    throw new UsageError('expected redshift-data://workgroup/<name>/<database> or redshift-data://cluster/<id>/<database>');
  }
  for (const key of parsed.searchParams.keys()) {
    if (!REDSHIFT_URL_PARAMETERS.has(key)) throw new UsageError(`unknown redshift-data:// URL parameter "${key}": expected db_user, secret_arn or region`);
  }
  check(mode === 'workgroup' ? 'workgroup name' : 'cluster identifier', identifier, mode === 'workgroup' ? WORKGROUP : CLUSTER);
  check('database', database, DATABASE);
  const dbUser = parsed.searchParams.get('db_user') ?? undefined;
  if (dbUser !== undefined) check('db_user', dbUser, DATABASE);
  const secretArn = secretArnOf(args, parsed.searchParams.get('secret_arn') ?? undefined, env.MOVALYTICS_WAREHOUSE === url, env);
  // The combinations the Data API accepts: Serverless derives the database user from the IAM
  // identity (or reads it from a secret); a cluster takes a db_user (GetClusterCredentials), a
  // secret, or neither (the IAM identity's own user, GetClusterCredentialsWithIAM).
  if (mode === 'workgroup' && dbUser !== undefined) {
    throw new UsageError('a Serverless workgroup takes no db_user: its database user is derived from the IAM identity (or given by a secret ARN)');
  }
  if (dbUser !== undefined && secretArn !== undefined) throw new UsageError('give db_user or a secret ARN, not both: each names the database user');
  const region = parsed.searchParams.get('region') ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? undefined;
  if (region !== undefined) check('region', region, REGION);
  const endpoint = env.AWS_ENDPOINT_URL_REDSHIFT_DATA || env.AWS_ENDPOINT_URL || undefined;
  const timeout = args['redshift-statement-timeout-ms'];
  return {
    kind: 'redshift',
    ...(mode === 'workgroup' ? { workgroupName: identifier } : { clusterIdentifier: identifier }),
    database,
    ...(dbUser !== undefined ? { dbUser } : {}),
    ...(secretArn !== undefined ? { secretArn } : {}),
    ...(region !== undefined ? { region } : {}),
    ...(endpoint !== undefined ? { endpoint } : {}),
    description: `redshift-data://${mode}/${identifier}/${database}`,
    copy: readCopyOptions(args),
    ...(timeout !== undefined ? { statementTimeoutMs: checkNumber('redshift-statement-timeout-ms', timeout, 1) } : {}),
  };
}

/**
 * The Secrets Manager ARN: from MOVALYTICS_REDSHIFT_SECRET_ARN, or secret_arn= in a warehouse URL
 * that itself comes from MOVALYTICS_WAREHOUSE. Typed on the command line it would be visible in
 * the process list (and Airflow's rendered commands): refused, like a password. Masked in logs.
 */
function secretArnOf(args: WarehouseArgs, inUrl: string | undefined, urlFromEnvironment: boolean, env: NodeJS.ProcessEnv): string | undefined {
  const flag = args['redshift-secret-arn'];
  registerSecret(flag);
  registerSecret(inUrl);
  if (flag !== undefined && env.MOVALYTICS_REDSHIFT_SECRET_ARN !== flag) {
    throw new UsageError('a secret ARN in --redshift-secret-arn would be visible in the process list: set MOVALYTICS_REDSHIFT_SECRET_ARN instead');
  }
  if (inUrl !== undefined && !urlFromEnvironment) {
    throw new UsageError('a secret_arn in --warehouse would be visible in the process list: set MOVALYTICS_REDSHIFT_SECRET_ARN, or pass the whole URL in MOVALYTICS_WAREHOUSE');
  }
  const secretArn = flag ?? inUrl;
  if (secretArn !== undefined && !SECRET_ARN.test(secretArn)) throw new UsageError('invalid secret ARN: expected arn:aws:secretsmanager:<region>:<account>:secret:<name>');
  return secretArn;
}

function readCopyOptions(args: WarehouseArgs): RedshiftDataTarget['copy'] {
  const iamRole = args['copy-iam-role'];
  if (iamRole !== undefined) for (const role of iamRole.split(',')) check('--copy-iam-role', role, IAM_ROLE);
  const region = args['copy-region'];
  if (region !== undefined) check('--copy-region', region, REGION);
  return { ...(iamRole !== undefined ? { iamRole } : {}), ...(region !== undefined ? { region } : {}) };
}

function check(what: string, value: string, pattern: RegExp): string {
  if (!pattern.test(value)) throw new UsageError(`invalid ${what} ${JSON.stringify(value)}`);
  return value;
}
