/** Opens the warehouse a URL names: pglite:///path, postgres://…, redshift-data://…. */
import type { Logger } from '../log';
import { readWarehouseConfig, type WarehouseArgs, type WarehouseTarget } from './config';
import type { Warehouse } from './warehouse';

/** Each adapter's client library is loaded only when its kind of warehouse is opened. */
export async function openWarehouseTarget(target: WarehouseTarget, logger?: Logger): Promise<Warehouse> {
  switch (target.kind) {
    case 'pglite':
      return (await import('./pglite-warehouse')).PgliteWarehouse.open(target.dataDir, logger, target.lock);
    case 'postgres':
      return (await import('./postgres-warehouse')).PostgresWarehouse.open(target, logger);
    case 'redshift':
      return new (await import('./redshift-data-warehouse')).RedshiftDataWarehouse(target, logger);
  }
}

/** `openWarehouse('pglite:///tmp/w')`: the URL alone, with the default schema, for scripts and tests. */
export async function openWarehouse(url: string, logger?: Logger, env: NodeJS.ProcessEnv = process.env): Promise<Warehouse> {
  const args: WarehouseArgs = { warehouse: url, 'warehouse-schema': 'movalytics', 'warehouse-table-prefix': '' };
  return openWarehouseTarget(readWarehouseConfig(args, env).target, logger);
}

/** Runs `body` with an open warehouse and always closes it. */
export async function withWarehouse<T>(target: WarehouseTarget, logger: Logger, body: (warehouse: Warehouse) => Promise<T>): Promise<T> {
  const warehouse = await openWarehouseTarget(target, logger);
  logger.info('warehouse opened', { warehouse: warehouse.description });
  try {
    return await body(warehouse);
  } finally {
    await warehouse.close();
  }
}
