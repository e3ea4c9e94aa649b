/** `movalytics generate-sample`: the flags, then the shared task entry around generateSample(). */
import type { Argv } from 'yargs';
import type { RegisterCommand } from '../core/command';
import { checkNumber, type CommonArgs } from '../core/config';
import { UsageError } from '../core/errors';
import { openLake } from '../core/lake/open-lake';
import { runTask } from '../core/task';
import { CPI_DATE_HEADERS } from './cpi-file';
import { generateSample, type GenerateSampleOptions } from './index';
import { SCALE_NAMES } from './scales';
import { SUMMARY_FILE } from './summary';

interface GenerateSampleArgs extends CommonArgs {
  scale: string;
  seed: number;
  out: string;
  'cpi-date-header': string;
}

export function readGenerateSampleOptions(args: GenerateSampleArgs): GenerateSampleOptions {
  const seed = checkNumber('seed', args.seed, 0, 2 ** 32 - 1);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got ${seed}`);
  return {
    scale: oneOf('scale', args.scale, SCALE_NAMES),
    seed,
    cpiDateHeader: oneOf('cpi-date-header', args['cpi-date-header'], CPI_DATE_HEADERS),
  };
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  const found = allowed.find((item) => item === value);
  if (found === undefined) throw new UsageError(`--${flag} must be one of ${allowed.join(', ')}, got "${value}"`);
  return found;
}

export const registerGenerateSample: RegisterCommand = (cli) =>
  cli.command(
    'generate-sample',
    'Write synthetic Kaggle movie files and the FRED CPI CSV, with every quirk of the real ones',
    (command: Argv<CommonArgs>) =>
      command.options({
        scale: { type: 'string', choices: SCALE_NAMES, default: 'small', describe: 'tiny (~50 movies), small (~ratings_small), full (26M ratings)' },
        seed: { type: 'number', default: 42, describe: 'Random seed: the same seed writes byte-identical files' },
        out: { type: 'string', default: '.data/sample', describe: 'Output folder, or a lake URL (file:///abs/path, s3://bucket/prefix)' },
        'cpi-date-header': { type: 'string', choices: CPI_DATE_HEADERS, default: 'DATE', describe: 'Date column name of the FRED CSV (observation_date since late 2024)' },
      }),
    (args) =>
      runTask('generate-sample', args, async ({ config, logger }) => {
        const options = readGenerateSampleOptions(args);
        const out = await openLake(args.out, config.s3);
        const summary = await generateSample(options, { out, logger });
        return {
          out: out.url,
          summary: out.urlOf(SUMMARY_FILE),
          scale: summary.scale,
          seed: summary.seed,
          files: Object.fromEntries(Object.entries(summary.files).map(([name, file]) => [name, file.bytes])),
          counts: summary.counts,
        };
      }),
  );
