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
          describe: "Ratings: load only shard I of N (I/N) of the raw file, cut at user boundaries, into the run's next table; commit with --shards N",
        })
        .option('shards', {
          type: 'number',
          describe:
            'The transforms ran as N shards (transform <source> --shard I/N): load the union of the N shards. Ratings: commit the N loaded shards (--shard I/N) into the model in one transaction. Unset: unsharded',
        }),
    (args) =>
      runTask(TASK, args, async ({ config, logger, lake }) => {
        const { target, names } = readWarehouseConfig(args);
        const maxRejectRatio = checkNumber('max-reject-ratio', args['max-reject-ratio'], 0, 1);
        return withWarehouse(target, logger, (warehouse) =>
          load(
            { warehouse, names, lake, logger, runId: config.runId, now: () => new Date() },
            {
              datasets: args.datasets ?? [],
              maxRejectRatio,
              ...(args.shards === undefined ? {} : { shards: checkShardCount(args.shards) }),
              ...(args.shard === undefined ? {} : { shard: parseShard(args.shard) }),
            },
          ),
        );
      }),
  );
