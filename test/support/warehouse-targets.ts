/**
 * The warehouses the integration suite runs on, each with a lake it can load from and what the
 * CLI needs to reach it: PGlite (embedded, a file lake), PostgreSQL (a URL from the environment,
 * a file lake) and Redshift through the local Data API endpoint (an S3 lake on the test server).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FileLake } from '../../tasks/core/lake/file-lake';
import { createS3Client } from '../../tasks/core/lake/s3-lake';
import type { Lake } from '../../tasks/core/lake/lake';
import { readWarehouseConfig } from '../../tasks/core/warehouse/config';
import { openWarehouseTarget } from '../../tasks/core/warehouse/open-warehouse';
import { RedshiftDataWarehouse } from '../../tasks/core/warehouse/redshift-data-warehouse';
import type { Warehouse, WarehouseKind } from '../../tasks/core/warehouse/warehouse';
import { RedshiftDataServer } from './redshift-data-server';
import { freshS3Lake, testS3Endpoint, testS3Env } from './s3';

export interface WarehouseTestTarget {
  name: string;
  kind: WarehouseKind;
  /** `--warehouse` for the CLI. */
  url: string;
  /** Environment and flags a CLI child needs to reach this warehouse and its lake. */
  cliEnv: NodeJS.ProcessEnv;
  cliArgs: string[];
  lake: Lake;
  /** Redshift's COPY cannot tell "" from NULL (EMPTYASNULL). */
  emptyStringsAreNull: boolean;
  /** The shared in-process warehouse (opened on first use). */
  warehouse(): Promise<Warehouse>;
  /** Close the shared warehouse: PGlite admits one process at a time, so do this before a CLI run. */
  release(): Promise<void>;
  close(): Promise<void>;
}

/** A target whose in-process warehouse is opened lazily and can be released. */
function sharedWarehouse(open: () => Promise<Warehouse>): Pick<WarehouseTestTarget, 'warehouse' | 'release'> {
  let current: Promise<Warehouse> | undefined;
  return {
    warehouse: () => (current ??= open()),
    release: async () => {
      const opened = current;
      current = undefined;
      if (opened) await (await opened).close();
    },
  };
}

async function fileLake(directory: string): Promise<{ lake: Lake; url: string }> {
  const url = pathToFileURL(path.join(directory, 'lake')).href;
  return { lake: new FileLake(url), url };
}

export async function pgliteTarget(): Promise<WarehouseTestTarget> {
  const directory = await mkdtemp(path.join(tmpdir(), 'warehouse-pglite-'));
  const url = `pglite://${path.join(directory, 'warehouse')}`;
  const { lake, url: lakeUrl } = await fileLake(directory);
  const shared = sharedWarehouse(() => openWarehouseTarget(readWarehouseConfig(defaults(url), {}).target));
  return {
    name: 'pglite',
    kind: 'pglite',
    url,
    cliEnv: {},
    cliArgs: ['--lake', lakeUrl],
    lake,
    emptyStringsAreNull: false,
    ...shared,
    close: async () => {
      await shared.release();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** PostgreSQL at `url` (no password in it: PGPASSWORD carries one if needed). */
export async function postgresTarget(url: string): Promise<WarehouseTestTarget> {
  const directory = await mkdtemp(path.join(tmpdir(), 'warehouse-postgres-'));
  const { lake, url: lakeUrl } = await fileLake(directory);
  const env = { PGPASSWORD: process.env.PGPASSWORD };
  const shared = sharedWarehouse(() => openWarehouseTarget(readWarehouseConfig(defaults(url), env).target));
  return {
    name: 'postgres',
    kind: 'postgres',
    url,
    cliEnv: process.env.PGPASSWORD ? { PGPASSWORD: process.env.PGPASSWORD } : {},
    cliArgs: ['--lake', lakeUrl],
    lake,
    emptyStringsAreNull: false,
    ...shared,
    close: async () => {
      await shared.release();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

export const TEST_COPY_ROLE = 'arn:aws:iam::123456789012:role/movalytics-copy';
export const TEST_WORKGROUP_URL = 'redshift-data://workgroup/movalytics-test/dev';

export interface RedshiftDataTestTarget extends WarehouseTestTarget {
  server: RedshiftDataServer;
}

/** Redshift through the local Data API endpoint; its COPY reads the test S3 server. */
export async function redshiftDataTarget(options: { pageBytes?: number } = {}): Promise<RedshiftDataTestTarget> {
  const directory = await mkdtemp(path.join(tmpdir(), 'warehouse-redshift-'));
  const lake = await freshS3Lake('lake');
  const server = await RedshiftDataServer.start({
    dataDir: path.join(directory, 'pglite'),
    s3: createS3Client({ endpoint: testS3Endpoint(), region: 'us-east-1' }),
    ...(options.pageBytes !== undefined ? { pageBytes: options.pageBytes } : {}),
  });
  const env = { ...testS3Env(), AWS_ENDPOINT_URL_REDSHIFT_DATA: server.endpoint };
  Object.assign(process.env, env);
  const args = { ...defaults(TEST_WORKGROUP_URL), 'copy-iam-role': TEST_COPY_ROLE };
  const shared = sharedWarehouse(async () => {
    const { target } = readWarehouseConfig(args, env);
    if (target.kind !== 'redshift') throw new Error('expected a Redshift target');
    // Tests poll briskly; the CLI runs use the adapter's defaults.
    return new RedshiftDataWarehouse({ ...target, poll: { initialMs: 5, maxMs: 50 } });
  });
  return {
    name: 'redshift-data',
    kind: 'redshift',
    url: TEST_WORKGROUP_URL,
    cliEnv: env,
    cliArgs: ['--lake', lake.url, '--copy-iam-role', TEST_COPY_ROLE],
    lake,
    emptyStringsAreNull: true,
    server,
    ...shared,
    close: async () => {
      await shared.release();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

function defaults(url: string) {
  return { warehouse: url, 'warehouse-schema': 'movalytics', 'warehouse-table-prefix': '' };
}
