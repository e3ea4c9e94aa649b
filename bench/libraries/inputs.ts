/**
 * The inputs of the library comparisons, made in memory from the sample generator at full scale
 * (the real files' counts and shapes): movies_metadata.csv (45,466 records) and credits.csv, and
 * their records (the rows the staged writer is measured on).
 */
import { buildCatalogue } from '../../tasks/generate-sample/catalogue';
import { creditChunks } from '../../tasks/generate-sample/credits-file';
import { emptyMoviesCounts, movieChunks } from '../../tasks/generate-sample/movies-file';
import { SCALES } from '../../tasks/generate-sample/scales';
import { readCsvRecords } from '../../tasks/transform/csv-reader';

export interface SourceInput {
  name: string;
  bytes: Buffer;
  /** The fields of each record, header included. */
  records: string[][];
}

export interface LibraryInputs {
  movies: SourceInput;
  credits: SourceInput;
}

export async function makeInputs(seed: number): Promise<LibraryInputs> {
  const catalogue = buildCatalogue(SCALES.full, seed);
  const movies = await sourceInput('movies', Buffer.concat([...movieChunks(catalogue, emptyMoviesCounts())]));
  const credits = await sourceInput('credits', Buffer.concat([...creditChunks(catalogue, { records: 0, duplicateRows: 0 })]));
  return { movies, credits };
}

/** 64 KiB chunks, the size a file or S3 stream hands over. */
export function chunksOf(bytes: Buffer, size = 64 * 1024): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return chunks;
}

async function sourceInput(name: string, bytes: Buffer): Promise<SourceInput> {
  const records: string[][] = [];
  for await (const record of readCsvRecords(chunksOf(bytes), { object: name })) records.push(record.fields);
  return { name, bytes, records };
}
