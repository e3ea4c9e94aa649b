/** `movalytics load <dataset…>`: warehouse flags, then the shared task entry around the plain handler. */
import type { RegisterCommand } from '../core/command';
import { checkNumber } from '../core/config';
import { checkShardCount, parseShard } from '../core/shard';
import { runTask } from '../core/task';
import { readWarehouseConfig, warehouseOptions } from '../core/warehouse/config';
import { withWarehouse } from '../core/warehouse/open-warehouse';
import { load, LOADABLE_DATASETS, TASK } from './index';

export const registerLoad: RegisterCommand = (cli) =>
  cli.command(
    `${TASK} <datasets..>`,
    'Load staged datasets (or the raw ratings) of the run into the warehouse model, idempotently',
    (command) =>
      command
        .positional('datasets', { type: 'string', array: true, choices: LOADABLE_DATASETS, describe: 'Datasets to load' })
        .options(warehouseOptions)
        .option('max-reject-ratio', {
          type: 'number',
          default: 0.001,
          describe: 'Ratings: fail (exit 65) when a larger share of the raw ratings is rejected',
        })
        .option('shard', {
          type: 'string',
          describe: 'Ratings: load only shard I of N (I/N) of the raw file, cut at user boundaries, into the run\'s next table; commit with --shards N',
        })
        .option('shards', {
          type: 'number',
          describe: 'Ratings: commit the N loaded shards (--shard I/N) into the model in one transaction',
        }),
    (args) =>
      runTask(TASK, args, async ({ config, logger, lake }) => {
        const { target, names } = readWarehouseConfig(args);
        const maxRejectRatio = checkNumber('max-reject-ratio', args['max-reject-ratio'], 0, 1);
        const shard = args.shard === undefined ? undefined : parseShard(args.shard);
        const commitShards = args.shards === undefined ? undefined : checkShardCount(args.shards);
        return withWarehouse(target, logger, (warehouse) =>
          load(
            { warehouse, names, lake, logger, runId: config.runId, now: () => new Date() },
            { datasets: args.datasets ?? [], maxRejectRatio, shard, commitShards },
          ),
        );
      }),
  );
