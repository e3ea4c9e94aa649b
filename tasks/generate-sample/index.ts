/**
 * `movalytics generate-sample`: writes a synthetic copy of the Kaggle "The Movies Dataset" files
 * and of the FRED CPI series, with the real files' headers, value formats and quirks, at any
 * scale, deterministically from a seed, to a local folder or a lake URL (file:// or s3://).
 *
 * Flow: build the catalogue (ids, links, fame; sized by movies, not ratings) → stream each file
 * into the output lake, one after the other → write generate-sample.json with the true counts.
 */
import { putJson, type Lake } from '../core/lake/lake';
import type { Logger } from '../core/log';
import { Progress } from '../core/progress';
import { buildCatalogue } from './catalogue';
import { CPI_FILE, cpiChunks, emptyCpiCounts, type CpiDateHeader } from './cpi-file';
import { CREDITS_FILE, creditChunks } from './credits-file';
import { chunkStream, type SampleFile } from './csv-output';
import { KEYWORDS_FILE, keywordChunks } from './keywords-file';
import { LINKS_FILE, linkChunks } from './links-file';
import { emptyMoviesCounts, MOVIES_FILE, movieChunks } from './movies-file';
import { emptyRatingsCounts, RATINGS_FILE, ratingChunks } from './ratings-file';
import { SCALES, type ScaleName } from './scales';
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
