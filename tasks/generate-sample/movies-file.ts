/**
 * movies_metadata.csv: one record per movie in MovieLens order, extra copies of a few movies a few
 * rows after the original, and (at full scale) 3 movies broken as in the real file: a stub that
 * stops after the first half of an unquoted overview, then a record whose `id` holds the release
 * date because every column is shifted 9 places to the left. LF line endings, final newline.
 */
import type { Catalogue } from './catalogue';
import { csvField, csvRecord, emit, RecordChunks, type SampleFile } from './csv-output';
import { MOVIES_HEADER, movieRecord, OVERVIEW_COLUMN, type MovieRecord } from './movie-record';

export const MOVIES_FILE: SampleFile = { name: 'movies_metadata.csv', lineEnding: '\n', finalNewline: true };

export interface MoviesCounts {
  records: number;
  uniqueIds: number;
  duplicateRows: number;
  duplicatedIds: number;
  corruptRows: number;
  corruptStubIds: number[];
  multilineRecords: number;
  withRevenue: number;
  withBudget: number;
  withReleaseDate: number;
  /** Genre id → movies carrying it (first occurrences only). */
  genres: Record<string, number>;
}

export function* movieChunks(catalogue: Catalogue, counts: MoviesCounts): Generator<Buffer> {
  const out = new RecordChunks(MOVIES_FILE);
  const duplicated = new Set<number>();
  yield* emit(out, MOVIES_HEADER.join(','));
  for (let movie = 0; movie < catalogue.scale.movies; movie++) {
    const record = movieRecord(catalogue, movie);
    countMovie(record, counts);
    for (const line of encode(record, counts)) yield* emit(out, line);
    for (const copy of catalogue.movieDuplicates.get(movie) ?? []) {
      const duplicate = movieRecord(catalogue, copy.movie, copy.identical ? 'original' : 'differing');
      duplicated.add(copy.movie);
      counts.duplicateRows++;
      for (const line of encode(duplicate, counts)) yield* emit(out, line);
    }
  }
  counts.duplicatedIds = duplicated.size;
  counts.records = out.count - 1;
  yield out.end();
}

export function emptyMoviesCounts(): MoviesCounts {
  return {
    records: 0,
    uniqueIds: 0,
    duplicateRows: 0,
    duplicatedIds: 0,
    corruptRows: 0,
    corruptStubIds: [],
    multilineRecords: 0,
    withRevenue: 0,
    withBudget: 0,
    withReleaseDate: 0,
    genres: {},
  };
}

/** A movie as CSV text: one record, or the stub and the shifted record of a corrupt movie. */
function encode(record: MovieRecord, counts: MoviesCounts): string[] {
  if (!record.splitOverview) {
    if (record.fields.some((field) => field.includes('\n'))) counts.multilineRecords++;
    return [csvRecord(record.fields)];
  }
  const [head, tail] = record.splitOverview;
  counts.corruptRows++;
  counts.corruptStubIds.push(Number(record.fields[MOVIES_HEADER.indexOf('id')]));
  const before = record.fields.slice(0, OVERVIEW_COLUMN).map(csvField);
  const after = record.fields.slice(OVERVIEW_COLUMN + 1).map(csvField);
  return [[...before, head].join(','), [tail, ...after].join(',')];
}

function countMovie(record: MovieRecord, counts: MoviesCounts): void {
  counts.uniqueIds++;
  if (record.revenue > 0) counts.withRevenue++;
  if (record.budget > 0) counts.withBudget++;
  if (record.releaseDate !== '') counts.withReleaseDate++;
  for (const id of record.genreIds) counts.genres[id] = (counts.genres[id] ?? 0) + 1;
}
