/** `movalytics transform <source>`: the flags, then the shared task entry around transform(). */
import type { Argv } from 'yargs';
import type { RegisterCommand } from '../core/command';
import { checkNumber, type CommonArgs } from '../core/config';
import { TRANSFORM_SOURCES, type TransformSource } from '../core/staged';
import { DEFAULT_PART_LIMITS } from '../core/lake/staged-writer';
import { parseShard } from '../core/shard';
import { runTask } from '../core/task';
import { DEFAULT_MAX_REJECT_RATIO, transform, type TransformOptions } from './index';
import { manifestTask } from './manifest';

interface TransformArgs extends CommonArgs {
  source: TransformSource;
  'max-reject-ratio': number;
  'part-rows': number;
  shard?: string;
}

export const registerTransform: RegisterCommand = (cli) =>
  cli.command(
    'transform <source>',
    'Transform one raw source into staged gzip CSV parts, a rejects file and a manifest',
    (command: Argv<CommonArgs>) =>
      command
        .positional('source', { choices: TRANSFORM_SOURCES, describe: 'Which source to transform' })
        .option('max-reject-ratio', {
          type: 'number',
          default: DEFAULT_MAX_REJECT_RATIO,
          describe:
            'Largest fraction of records that may be rejected as bad data (0.001 = 1 in 1,000; repeats of an ' +
            'already staged id, reason duplicate_id, do not count); above it the task exits 65 (DataError) ' +
            'after writing the rejects and the manifest',
        })
        .option('part-rows', {
          type: 'number',
          default: DEFAULT_PART_LIMITS.rows,
          describe: 'Rows per staged part before a new part starts (parts let Redshift COPY in parallel)',
        })
        .option('shard', {
          type: 'string',
          describe:
            'Transform only shard I of N (I/N, e.g. 2/4): the records that start in the I-th share of the raw ' +
            "object's bytes; `load --shards N` loads the N shards together (movies, credits, keywords, links)",
        }) as unknown as Argv<TransformArgs>,
    (args: TransformArgs) =>
      runTask(manifestTask(args.source), args, async ({ config, logger, lake }) => {
        const options: TransformOptions = {
          source: args.source,
          maxRejectRatio: checkNumber('max-reject-ratio', args['max-reject-ratio'], 0, 1),
          partLimits: { ...DEFAULT_PART_LIMITS, rows: Math.floor(checkNumber('part-rows', args['part-rows'], 1)) },
          ...(args.shard === undefined ? {} : { shard: parseShard(args.shard) }),
        };
        const { manifest, manifestObject, rowsPerSecond } = await transform(options, { lake, logger, runId: config.runId });
        return {
          source: manifest.source.object,
          manifest: manifestObject,
          input_rows: manifest.input_rows,
          accepted: manifest.accepted,
          rejected: manifest.rejected,
          rejected_by_reason: manifest.rejected_by_reason,
          rejects_object: manifest.rejects_object,
          outputs: Object.fromEntries(Object.entries(manifest.outputs).map(([name, output]) => [name, output.rows])),
          rows_per_second: rowsPerSecond,
        };
      }),
  );
