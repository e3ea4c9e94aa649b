/**
 * The staged output path of the transform: the same gzip bytes on every run, rows encoded by the
 * staged conventions, parts that end exactly at the row and byte limits although rows are written
 * without a promise per row, and nothing left in the lake after abort.
 */
import { crc32, gunzipSync } from 'node:zlib';
import type { Lake } from '../tasks/core/lake/lake';
import { layout } from '../tasks/core/lake/layout';
import { stagedDataset } from '../tasks/core/staged';
import { csvRowByteBound, encodeCsvRow, type CsvValue } from '../tasks/core/lake/csv-row-encoder';
import { GzipCsvObject } from '../tasks/core/lake/gzip-csv-object';
import { StagedDatasetWriter } from '../tasks/core/lake/staged-writer';
import { Random } from '../tasks/generate-sample/random';
import { csvLine } from './support/warehouse-fixture';
import { fileLake, readGzipText, readObject, removeTemporaryDirectories } from './transform-support';

afterAll(removeTemporaryDirectories);

/** Text rows, some of them hard to compress, one of them large. */
function textRows(): string[][] {
  const random = Random.derive(7, 'gzip-csv-object');
  return [3, 70_000, 1, 300_000, 5_000, 2_000_000, 17].map((length, index) => [
    Array.from({ length }, () => (index % 2 === 0 ? String.fromCharCode(random.int(32, 121)) : 'Penélope Schäfer,12,'[random.int(0, 19)])).join(''),
  ]);
}

async function gzipObject(lake: Lake, key: string, rows: readonly string[][]): Promise<Buffer> {
  const object = new GzipCsvObject(lake, key, ['text']);
  for (const row of rows) {
    object.write(row);
    if (object.needsDrain) await object.drain();
  }
  await object.close();
  return readObject(lake, key);
}

describe('gzip of the staged objects', () => {
  it('writes the same bytes every time (no timestamp in the header), one gzip member of the whole text', async () => {
    const lake = await fileLake();
    const rows = textRows();
    const first = await gzipObject(lake, 'first.csv.gz', rows);
    expect((await gzipObject(lake, 'again.csv.gz', rows)).equals(first)).toBe(true);
    // The header in full: deflate, no flags, mtime 0 (no timestamp), no extra flags, OS Unix.
    expect([...first.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
    const whole = Buffer.from(['text', ...rows.map((row) => csvLine(row))].join('\n') + '\n');
    expect(gunzipSync(first).equals(whole)).toBe(true);
    expect(first.readUInt32LE(first.length - 8)).toBe(crc32(whole));
    expect(gunzipSync(await gzipObject(lake, 'empty.csv.gz', [])).toString()).toBe('text\n');
  });
});

/** The staged conventions as plain string operations (the fixtures' csvLine): what the encoder must write, as UTF-8. */
function referenceLine(values: readonly CsvValue[]): string {
  return `${csvLine(values)}\n`;
}

describe('CSV row encoder', () => {
  it('writes the bytes of the reference line for any values: quotes, separators, non-ASCII, surrogate pairs and lone surrogates, long values', () => {
    const stream = Random.derive(11, 'csv-row-encoder');
    const random = () => stream.next();
    const pieces = ['a', 'Z', '0', ' ', '"', ',', '\n', '\r', 'é', 'ß', '中', '😀', '\ud83d', '\ude00', '\u0000', '\u07ff', '\u0800', '\uffff', 'x'.repeat(40)];
    const buffer = Buffer.alloc(1 << 16);
    for (let i = 0; i < 5000; i++) {
      const values = Array.from({ length: 1 + Math.floor(random() * 6) }, (): CsvValue => {
        if (random() < 0.1) return null;
        return Array.from({ length: Math.floor(random() * (random() < 0.2 ? 60 : 8)) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
      });
      const expected = Buffer.from(referenceLine(values));
      const end = encodeCsvRow(values, buffer, 7);
      expect(buffer.subarray(7, end).equals(expected)).toBe(true);
      expect(end - 7).toBeLessThanOrEqual(csvRowByteBound(values));
    }
  });
});

describe('gzip CSV object and staged dataset writer', () => {
  it('formats rows by the staged conventions across many segments', async () => {
    const lake = await fileLake();
    const object = new GzipCsvObject(lake, 'staged/x/run/part-00000.csv.gz', ['a', 'b', 'c']);
    const expected = ['a,b,c'];
    for (let i = 0; i < 40_000; i++) {
      object.write([String(i), i % 3 === 0 ? null : `naïve "${i}", \u4e2d`, i % 5 === 0 ? '' : 'x\ny']);
      expected.push(`${i},${i % 3 === 0 ? '' : `"naïve ""${i}"", \u4e2d"`},${i % 5 === 0 ? '""' : '"x\ny"'}`);
      if (object.needsDrain) await object.drain();
    }
    await object.close();
    const text = await readGzipText(lake, 'staged/x/run/part-00000.csv.gz');
    expect(text).toBe(`${expected.join('\n')}\n`);
    expect(object.bytes).toBe(Buffer.byteLength(text));
    expect(object.rows).toBe(40_000);
  });

  it('ends a part exactly where the row or the UTF-8 byte limit is reached, though a record writes many rows at once', async () => {
    const lake = await fileLake();
    const dataset = stagedDataset('genres');
    const names = ['Drama', 'Comédie', 'Science Fiction', '中文', 'War'];
    const rows = Array.from({ length: 60 }, (_, i) => [String(i + 1), names[i % names.length] as string]);
    for (const limits of [
      { rows: 7, bytes: 1e9 },
      { rows: 1e9, bytes: 100 },
      { rows: 4, bytes: 60 },
    ]) {
      const runId = `limits-${limits.rows}-${limits.bytes}`;
      const writer = new StagedDatasetWriter(lake, dataset, runId, limits);
      // Three "records" of 20 rows each: parts may end inside a record.
      for (let record = 0; record < 3; record++) {
        for (const row of rows.slice(record * 20, record * 20 + 20)) writer.write(row);
        if (writer.needsSettle) await writer.settle();
      }
      const output = await writer.close();
      expect(output.rows).toBe(60);
      const parts = await Promise.all(output.objects.map((key) => readGzipText(lake, key)));
      expect(output.objects).toEqual(parts.map((_, i) => layout.staged('genres', runId, i)));
      // Every part but the last reached a limit with its last row, and not before it.
      const header = 'genre_id,name\n';
      let next = 0;
      parts.forEach((part, index) => {
        expect(part.startsWith(header)).toBe(true);
        const lines = part.slice(header.length).split('\n').slice(0, -1);
        expect(lines).toEqual(rows.slice(next, next + lines.length).map((row) => row.join(',')));
        next += lines.length;
        if (index === parts.length - 1) return;
        const bytes = Buffer.byteLength(part);
        const before = bytes - Buffer.byteLength(`${lines.at(-1) as string}\n`);
        expect(lines.length >= limits.rows || bytes >= limits.bytes).toBe(true);
        expect(lines.length - 1 < limits.rows && before < limits.bytes).toBe(true);
      });
      expect(next).toBe(60);
    }
  });

  it('leaves nothing in the lake when aborted, neither the part being written nor one still being stored', async () => {
    const lake = await fileLake();
    // Every upload the writer starts, awaited before the lake is listed: a part still being stored
    // when abort returned would otherwise land after the listing.
    const puts: Array<Promise<unknown>> = [];
    const put = lake.put.bind(lake);
    lake.put = (key, body) => {
      const stored = put(key, body);
      puts.push(stored.catch(() => undefined));
      return stored;
    };
    const writer = new StagedDatasetWriter(lake, stagedDataset('genres'), 'aborted', { rows: 1000, bytes: 1e9 });
    for (let i = 1; i <= 1500; i++) writer.write([String(i), 'Drama']);
    await writer.abort(new Error('transform failed'));
    await Promise.all(puts);
    expect(puts.length).toBeGreaterThanOrEqual(1);
    const left = await lake.list('staged/genres/aborted/');
    expect(left).toEqual([]);
    await expect(readObject(lake, layout.staged('genres', 'aborted', 0))).rejects.toThrow(/not found/);
  });
});
