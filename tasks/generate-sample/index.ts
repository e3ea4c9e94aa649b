/**
 * `movalytics generate-sample`: writes a synthetic copy of the Kaggle "The Movies Dataset" files
 * and of the FRED CPI series, with the real files' headers, value formats and quirks, at any
 * scale, deterministically from a seed, to a local folder or a lake URL (file:// or s3://).
 *
 * Flow: build the catalogue (ids, links, fame; sized by movies, not ratings) → stream each file
 * into the output lake, one after the other → write generate-sample.json with the true counts.
 */
import type { Argv } from 'yargs';
import type { RegisterCommand } from '../core/command';
import { checkNumber, type CommonArgs } from '../core/config';
import { UsageError } from '../core/errors';
import { putJson, type Lake } from '../core/lake/lake';
import { openLake } from '../core/lake/open-lake';
import type { Logger } from '../core/log';
import { Progress } from '../core/progress';
import { runTask } from '../core/task';
import { buildCatalogue } from './catalogue';
import { CPI_DATE_HEADERS, CPI_FILE, cpiChunks, emptyCpiCounts, type CpiDateHeader } from './cpi-file';
import { CREDITS_FILE, creditChunks } from './credits-file';
import { chunkStream, type SampleFile } from './csv-output';
import { KEYWORDS_FILE, keywordChunks } from './keywords-file';
import { LINKS_FILE, linkChunks } from './links-file';
import { emptyMoviesCounts, MOVIES_FILE, movieChunks } from './movies-file';
import { emptyRatingsCounts, RATINGS_FILE, ratingChunks } from './ratings-file';
import { SCALE_NAMES, SCALES, type ScaleName } from './scales';
import { fileSummary, sampleCounts, SUMMARY_FILE, type AllCounts, type FileSummary, type SampleSummary } from './summary';

export interface GenerateSampleOptions {
  scale: ScaleName;
  seed: number;
  cpiDateHeader: CpiDateHeader;
}

export interface GenerateSampleDeps {
  /** Where the files go: a lake opened on the output folder or prefix. */
  out: Lake;
  logger: Logger;
}

/** Generates every file into `out` and returns (and writes) the summary with the true counts. */
export async function generateSample(options: GenerateSampleOptions, { out, logger }: GenerateSampleDeps): Promise<SampleSummary> {
  const scale = SCALES[options.scale];
  const catalogue = buildCatalogue(scale, options.seed);
  const counts: AllCounts = {
    movies: emptyMoviesCounts(),
    ratings: emptyRatingsCounts(),
    links: { records: 0, emptyTmdbIds: 0, doublyMappedTmdbIds: 0, absentTmdbIds: 0 },
    credits: { records: 0, duplicateRows: 0 },
    keywords: { records: 0, duplicateRows: 0 },
    cpi: emptyCpiCounts(),
  };
  const progress = new Progress(logger, 'ratings.csv');
  const files: Array<[SampleFile, () => Iterable<Buffer>, () => number]> = [
    [MOVIES_FILE, () => movieChunks(catalogue, counts.movies), () => counts.movies.records],
    [LINKS_FILE, () => linkChunks(catalogue, counts.links), () => counts.links.records],
    [CREDITS_FILE, () => creditChunks(catalogue, counts.credits), () => counts.credits.records],
    [KEYWORDS_FILE, () => keywordChunks(catalogue, counts.keywords), () => counts.keywords.records],
    [CPI_FILE, () => cpiChunks(options.seed, scale.cpiMissingValues, options.cpiDateHeader, counts.cpi), () => counts.cpi.records],
    [RATINGS_FILE, () => ratingChunks(catalogue, counts.ratings, (rows) => progress.add(rows)), () => counts.ratings.records],
  ];
  const written: { [name: string]: FileSummary } = {};
  for (const [file, chunks, records] of files) {
    logger.info(`writing ${file.name}`, { object: out.urlOf(file.name) });
    const bytes = await out.put(file.name, chunkStream(chunks()));
    written[file.name] = fileSummary(file, bytes, records());
  }
  progress.done();
  const summary: SampleSummary = {
    scale: scale.name,
    seed: options.seed,
    cpi_date_header: options.cpiDateHeader,
    files: written,
    counts: sampleCounts(counts),
  };
  await putJson(out, SUMMARY_FILE, summary);
  return summary;
}

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
