/** `movalytics data-dictionary`: warehouse flags, --out and --row-counts, then the shared task entry. */
import type { RegisterCommand } from '../core/command';
import { runTask } from '../core/task';
import { readWarehouseConfig, warehouseOptions, type WarehouseArgs } from '../core/warehouse/config';
import { withWarehouse } from '../core/warehouse/open-warehouse';
import { DEFAULT_OUT, TASK, writeDataDictionary } from './index';

export const registerDataDictionary: RegisterCommand = (cli) =>
  cli.command(
    TASK,
    'Write the data dictionary (tables, columns, keys, descriptions, Mermaid ER diagram) from the live warehouse catalog',
    (command) =>
      command
        .options(warehouseOptions)
        .option('out', { type: 'string', default: DEFAULT_OUT, describe: 'Markdown file to write' })
        .option('row-counts', { type: 'boolean', default: false, describe: "Count every table's rows (a full count per table)" }),
    (args) =>
      runTask(TASK, args, async ({ logger }) => {
        const { target, names } = readWarehouseConfig(args as WarehouseArgs);
        return withWarehouse(target, logger, (warehouse) =>
          writeDataDictionary({ out: args.out, rowCounts: args['row-counts'] }, { warehouse, names, logger }),
        );
      }),
  );
