/** `movalytics quality-check`: warehouse flags, then the shared task entry around the plain handler. */
import type { RegisterCommand } from '../core/command';
import { runTask } from '../core/task';
import { readWarehouseConfig, warehouseOptions } from '../core/warehouse/config';
import { withWarehouse } from '../core/warehouse/open-warehouse';
import { qualityCheck, TASK } from './index';

export const registerQualityCheck: RegisterCommand = (cli) =>
  cli.command(
    TASK,
    'Run the data-quality checks on the warehouse; exit 65 when any fails (after running them all)',
    (command) => command.options(warehouseOptions),
    (args) =>
      runTask(TASK, args, async ({ config, logger, lake }) => {
        const { target, names } = readWarehouseConfig(args);
        return withWarehouse(target, logger, (warehouse) => qualityCheck({ warehouse, names, lake, logger, runId: config.runId }));
      }),
  );
