/** `movalytics report`: warehouse flags and --min-ratings, then the shared task entry around writeReport. */
import type { RegisterCommand } from '../core/command';
import { checkNumber } from '../core/config';
import { runTask } from '../core/task';
import { readWarehouseConfig, warehouseOptions, type WarehouseArgs } from '../core/warehouse/config';
import { withWarehouse } from '../core/warehouse/open-warehouse';
import { DEFAULT_MIN_RATINGS, reportOutput, TASK, writeReport } from './index';

export const registerReport: RegisterCommand = (cli) =>
  cli.command(
    TASK,
    'Answer the four business questions: reports/<run_id>/report.json, report.md and report.html',
    (command) =>
      command.options(warehouseOptions).option('min-ratings', {
        type: 'number',
        default: DEFAULT_MIN_RATINGS,
        describe: 'Fewest ratings a movie needs to rank among the highest-rated (also the Bayesian prior weight m)',
      }),
    (args) =>
      runTask(TASK, args, async ({ config, logger, lake }) => {
        const { target, names } = readWarehouseConfig(args as WarehouseArgs);
        const minRatings = Math.trunc(checkNumber('min-ratings', args['min-ratings'], 1));
        return withWarehouse(target, logger, async (warehouse) =>
          reportOutput(await writeReport({ runId: config.runId, minRatings }, { warehouse, names, lake, logger })),
        );
      }),
  );
