/** `movalytics create-tables`: warehouse flags, then the shared task entry around the plain handler. */
import type { RegisterCommand } from '../core/command';
import { runTask } from '../core/task';
import { readWarehouseConfig, warehouseOptions } from '../core/warehouse/config';
import { withWarehouse } from '../core/warehouse/open-warehouse';
import { createTables, TASK } from './index';

export const registerCreateTables: RegisterCommand = (cli) =>
  cli.command(
    TASK,
    'Create or migrate the warehouse model (versioned migrations; safe to run every time)',
    (command) => command.options(warehouseOptions),
    (args) =>
      runTask(TASK, args, async ({ logger }) => {
        const { target, names } = readWarehouseConfig(args);
        return withWarehouse(target, logger, (warehouse) => createTables({ warehouse, names, logger }));
      }),
  );
