/**
 * binaryCopyChunks cuts typed rows into complete binary COPY files for PGlite, written one after
 * the other into one reused buffer: every chunk must be a whole file (header, tuples, trailer),
 * hold every row once and in order, stay near the chunk size, and give an oversized batch a chunk
 * of its own. The end-to-end round trip through PGlite and PostgreSQL is in warehouse-suite.ts.
 */
import { BINARY_COPY_HEADER, BINARY_COPY_TRAILER, binaryCopyChunks, binaryRowBytes } from '../tasks/core/warehouse/binary-copy';
import type { RowBatch, TypedColumn } from '../tasks/core/warehouse/typed-rows';

const COLUMNS: TypedColumn[] = [
  { name: 'a', type: 'int4' },
  { name: 'b', type: 'int4' },
];
const ROW_BYTES = binaryRowBytes(COLUMNS);

function batchOf(first: number, rows: number): RowBatch {
  const values = new Float64Array(rows * 2);
  for (let row = 0; row < rows; row++) {
    values[row * 2] = first + row;
    values[row * 2 + 1] = 1000 - (first + row);
  }
  return { rows, values };
}

async function* batches(sizes: readonly number[]): AsyncGenerator<RowBatch> {
  let next = 0;
  for (const rows of sizes) {
    yield batchOf(next, rows);
    next += rows;
  }
}

function expectedRows(count: number): Array<[number, number]> {
  return Array.from({ length: count }, (_, index) => [index, 1000 - index]);
}

/** A binary COPY file of (int4, int4) tuples back to its rows; throws on anything malformed. */
function decode(file: Buffer): Array<[number, number]> {
  expect(file.subarray(0, BINARY_COPY_HEADER.length)).toEqual(BINARY_COPY_HEADER);
  expect(file.subarray(file.length - BINARY_COPY_TRAILER.length)).toEqual(BINARY_COPY_TRAILER);
  const rows: Array<[number, number]> = [];
  for (let at = BINARY_COPY_HEADER.length; at < file.length - BINARY_COPY_TRAILER.length; at += ROW_BYTES) {
    expect([file.readInt16BE(at), file.readInt32BE(at + 2), file.readInt32BE(at + 10)]).toEqual([2, 4, 4]);
    rows.push([file.readInt32BE(at + 6), file.readInt32BE(at + 14)]);
  }
  return rows;
}

/** Each chunk decoded as it is yielded (its bytes are valid until the next one). */
async function chunksOf(sizes: readonly number[], chunkBytes: number): Promise<Array<{ rows: number; decoded: Array<[number, number]>; bytes: number }>> {
  const out = [];
  for await (const chunk of binaryCopyChunks(COLUMNS, batches(sizes), chunkBytes)) {
    out.push({ rows: chunk.rows, decoded: decode(Buffer.from(chunk.data)), bytes: chunk.data.length });
  }
  return out;
}

test('batches are gathered into whole COPY files near the chunk size; every row once, in order', async () => {
  const sizes = [10, 10, 10, 10, 10, 3];
  const chunks = await chunksOf(sizes, 25 * ROW_BYTES);
  // 10+10 fit in 25 rows' worth, 10 more would not: the chunk closes before it.
  expect(chunks.map((chunk) => chunk.rows)).toEqual([20, 20, 13]);
  expect(chunks.map((chunk) => chunk.decoded.length)).toEqual([20, 20, 13]);
  const all = chunks.flatMap((chunk) => chunk.decoded);
  expect(all).toEqual(expectedRows(53));
  for (const chunk of chunks) expect(chunk.bytes).toBeLessThanOrEqual(25 * ROW_BYTES + BINARY_COPY_HEADER.length + BINARY_COPY_TRAILER.length);
});

test('a batch larger than a chunk gets a chunk of its own, and the chunks after it are whole too', async () => {
  const chunks = await chunksOf([5, 100, 5, 5], 20 * ROW_BYTES);
  expect(chunks.map((chunk) => chunk.rows)).toEqual([5, 100, 10]);
  expect(chunks.flatMap((chunk) => chunk.decoded)).toEqual(expectedRows(115));
});

test('no rows, no chunk; a full chunk is yielded before the next batch is pulled', async () => {
  expect(await chunksOf([], 1024)).toEqual([]);
  expect(await chunksOf([0], 1024)).toEqual([]);
  const events: string[] = [];
  async function* logged(sizes: readonly number[]): AsyncGenerator<RowBatch> {
    for await (const batch of batches(sizes)) {
      events.push(`pull ${batch.rows}`);
      yield batch;
    }
  }
  for await (const chunk of binaryCopyChunks(COLUMNS, logged([4, 4, 1]), 4 * ROW_BYTES)) events.push(`chunk ${chunk.rows}`);
  expect(events).toEqual(['pull 4', 'chunk 4', 'pull 4', 'chunk 4', 'pull 1', 'chunk 1']);
  events.length = 0;
  for await (const chunk of binaryCopyChunks(COLUMNS, logged([2, 100, 2]), 10 * ROW_BYTES)) events.push(`chunk ${chunk.rows}`);
  // The small chunk closes when the big batch does not fit; the big one goes out at once, alone.
  expect(events).toEqual(['pull 2', 'pull 100', 'chunk 2', 'chunk 100', 'pull 2', 'chunk 2']);
});
