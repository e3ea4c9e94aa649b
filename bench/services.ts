/**
 * The real services the bench needs, started the way the real-services suite starts them (the
 * scripts of scripts/services/, which reuse a running server), and the bench's own use of the
 * PostgreSQL server: its schemas, dropped before and after each run.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { PostgresWarehouse } from '../tasks/core/warehouse/postgres-warehouse';
import { sqlStatement } from '../tasks/core/warehouse/sql-files';
import { quoteIdentifier } from '../tasks/core/warehouse/identifiers';
import { stringColumn } from '../tasks/core/warehouse/rows';
import { REPO_ROOT, type BenchOptions } from './options';

const run = promisify(execFile);
const SERVICES = path.join(REPO_ROOT, 'scripts', 'services');

export interface MinioService {
  endpoint: string;
  bucket: string;
  /** What a step needs to use the MinIO lake (the standard AWS variables). */
  env: Record<string, string>;
}

/** Runs a service script; its last stdout line is the service's address. */
async function startService(name: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  try {
    const { stdout } = await run('bash', [path.join(SERVICES, name), ...args], { env, maxBuffer: 1024 * 1024 });
    const address = stdout.trim().split('\n').pop() ?? '';
    if (address === '') throw new Error('it printed no address');
    return address;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`could not start ${name} (scripts/services/${name}): ${detail}`);
  }
}

export async function startPostgres(options: BenchOptions): Promise<string> {
  return startService('postgres.sh', [], options.childEnv);
}

export async function startMinio(options: BenchOptions): Promise<MinioService> {
  const { user, password, bucket } = options.minio;
  const endpoint = await startService('minio.sh', [bucket], {
    ...options.childEnv,
    MINIO_ROOT_USER: user,
    MINIO_ROOT_PASSWORD: password,
  });
  return {
    endpoint,
    bucket,
    env: { AWS_ENDPOINT_URL_S3: endpoint, AWS_ACCESS_KEY_ID: user, AWS_SECRET_ACCESS_KEY: password, AWS_REGION: 'us-east-1' },
  };
}

/** The bench's connection to the PostgreSQL server, for its schemas and the server's version. */
export class BenchDatabase {
  private constructor(
    private readonly warehouse: PostgresWarehouse,
    readonly url: string,
  ) {}

  static async open(url: string, password: string | undefined): Promise<BenchDatabase> {
    const warehouse = await PostgresWarehouse.open({ url, description: url, ...(password !== undefined ? { password } : {}) });
    return new BenchDatabase(warehouse, url);
  }

  async dropSchema(schema: string): Promise<void> {
    await this.warehouse.execute(sqlStatement('bench/drop-schema', undefined, { schema: quoteIdentifier(schema) }));
  }

  async createSchema(schema: string): Promise<void> {
    await this.warehouse.execute(sqlStatement('bootstrap/create-schema', undefined, { schema: quoteIdentifier(schema) }));
  }

  async execute(sql: string): Promise<void> {
    await this.warehouse.execute(sql);
  }

  async serverVersion(): Promise<string> {
    const [row] = await this.warehouse.query(sqlStatement('bench/server-version', undefined));
    return stringColumn(row, 'version');
  }

  async close(): Promise<void> {
    await this.warehouse.close();
  }
}
