/**
 * The inputs of the library comparisons, made in memory from the sample generator at full scale
 * (the real files' counts and shapes): movies_metadata.csv (45,466 records) and credits.csv, and
 * what the transform makes of them: the Python-literal fields, the rows it stages, the keys of
 * the dimension rows it de-duplicates.
 */
import { buildCatalogue } from '../../tasks/generate-sample/catalogue';
import { creditChunks } from '../../tasks/generate-sample/credits-file';
import { emptyMoviesCounts, movieChunks } from '../../tasks/generate-sample/movies-file';
import { SCALES } from '../../tasks/generate-sample/scales';
import { readCsvRecords } from '../../tasks/transform/csv-reader';
import { readPythonLiteral, LiteralDict } from '../../tasks/transform/python-literal';

export interface SourceInput {
  name: string;
  bytes: Buffer;
  /** The fields of each record, header included. */
  records: string[][];
  /** The texts of the Python-literal columns. */
  literals: string[];
}

export interface LibraryInputs {
  movies: SourceInput;
  credits: SourceInput;
  /** The people ids of every cast and crew entry, in file order: the keys the credits transform de-duplicates. */
  peopleKeys: string[];
}

const LITERAL_COLUMNS: Record<string, readonly string[]> = {
  movies: ['belongs_to_collection', 'genres', 'production_companies', 'production_countries', 'spoken_languages'],
  credits: ['cast', 'crew'],
};

export async function makeInputs(seed: number): Promise<LibraryInputs> {
  const catalogue = buildCatalogue(SCALES.full, seed);
  const movies = await sourceInput('movies', Buffer.concat([...movieChunks(catalogue, emptyMoviesCounts())]));
  const credits = await sourceInput('credits', Buffer.concat([...creditChunks(catalogue, { records: 0, duplicateRows: 0 })]));
  return { movies, credits, peopleKeys: peopleKeysOf(credits.literals) };
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
  const header = records[0] ?? [];
  const columns = (LITERAL_COLUMNS[name] ?? []).map((column) => header.indexOf(column));
  const literals = records.slice(1).flatMap((fields) => columns.map((column) => fields[column] ?? '').filter((text) => text.startsWith('[') || text.startsWith('{')));
  return { name, bytes, records, literals };
}

function peopleKeysOf(literals: readonly string[]): string[] {
  const keys: string[] = [];
  for (const text of literals) {
    const parsed = readPythonLiteral(text);
    if (!parsed.ok || !Array.isArray(parsed.value)) continue;
    for (const item of parsed.value) if (item instanceof LiteralDict) keys.push(String(item.get('id')));
  }
  return keys;
}
