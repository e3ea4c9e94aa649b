/**
 * The streaming CSV record reader on the quirks of the real files: multi-line quoted fields,
 * doubled quotes, CRLF/LF/CR, no final newline, a BOM, very long fields, and any split of the
 * input into chunks. Every record knows the physical line where it starts and its original text.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DataError } from '../tasks/core/errors';
import { readCsvRecords, type CsvRecord } from '../tasks/transform/csv-reader';
import { Random } from '../tasks/generate-sample/random';

const fixture = (name: string): Buffer => readFileSync(path.join(__dirname, 'fixtures', 'real', name));

function* chunkify(input: Buffer | string, chunkSize: number): Generator<Buffer> {
  const bytes = Buffer.isBuffer(input) ? input : Buffer.from(input);
  for (let offset = 0; offset < bytes.length; offset += chunkSize) yield bytes.subarray(offset, offset + chunkSize);
}

async function read(input: Buffer | string, chunkSize = 1 << 16, maxRecordChars?: number): Promise<CsvRecord[]> {
  const records: CsvRecord[] = [];
  for await (const record of readCsvRecords(chunkify(input, chunkSize), { object: 'test.csv', maxRecordChars })) records.push(record);
  return records;
}

const simplify = (records: CsvRecord[]) => records.map(({ line, fields }) => ({ line, fields }));

describe('csv record reader', () => {
  it('reads a real record whose quoted overview spans two lines, with the physical start line of each record', async () => {
    const records = await read(fixture('movies_metadata.multiline.csv'));
    expect(records.map((r) => r.line)).toEqual([1, 2, 3, 5]);
    expect(records.map((r) => r.fields.length)).toEqual([24, 24, 24, 24]);
    const jupiter = records[2] as CsvRecord;
    expect(jupiter.fields[5]).toBe('290157');
    expect(jupiter.fields[9]).toMatch(/reconstruct her past\.\n - Written by James Meek$/s);
    expect(jupiter.raw.split('\n')).toHaveLength(2);
    expect(fixture('movies_metadata.multiline.csv').toString('utf8')).toContain(jupiter.raw);
  });

  it('gives the same records for every way of cutting the input into chunks', async () => {
    const input = fixture('movies_metadata.multiline.csv');
    const whole = await read(input);
    for (const size of [1, 2, 3, 7, 64, 333, 1000]) expect(await read(input, size)).toEqual(whole);
  });

  it('gives the same records when chunks are larger than the part of a chunk joined to the record left over from the one before', async () => {
    // Records of 1 to 30,000 characters with quoted line breaks, CR, CRLF and doubled quotes, in
    // chunks around the 4,096 characters first joined to a pending record.
    const random = Random.derive(5, 'csv-reader-chunks');
    const text = (length: number) => Array.from({ length }, (_, i) => (i % 97 === 5 ? '""' : i % 211 === 7 ? '\r\n' : i % 307 === 9 ? '\r' : 'é')).join('');
    const texts = Array.from({ length: 60 }, () => text(Math.floor(random.next() ** 3 * 30_000)));
    const records = texts.map((long, i) => `${i},"${long}",x${i % 3 === 0 ? '\n' : ''}`);
    const input = `id,long,tail\n${records.join(random.chance(0.5) ? '\n' : '\r\n')}\n`;
    const whole = await read(input, input.length * 2);
    expect(whole).toHaveLength(61);
    expect(whole.filter((record) => record.fields.length === 3)).toHaveLength(61);
    // Each long field read back as written, its doubled quotes as one.
    expect(whole.slice(1).map((record) => record.fields[1])).toEqual(texts.map((long) => long.replace(/""/g, '"')));
    for (const size of [4095, 4097, 6000, 9000, 20_000, 65_536]) expect(await read(input, size)).toEqual(whole);
  });

  it('unescapes doubled quotes and keeps commas and quotes inside quoted fields', async () => {
    const records = await read(fixture('keywords.head.csv'));
    expect(records[2]?.fields[1]).toContain(`{'id': 15101, 'name': "based on children's book"}`);
    expect(records[2]?.raw).toContain(`""based on children's book""`);
    expect(simplify(await read('a,b\n"x ""y"", z",""\n'))).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x "y", z', ''] },
    ]);
  });

  it('reads CRLF (the real links file), LF and lone CR line ends alike', async () => {
    const links = await read(fixture('links.head.csv'));
    expect(links[0]?.fields).toEqual(['movieId', 'imdbId', 'tmdbId']);
    expect(links[1]?.fields).toEqual(['1', '0114709', '862']);
    expect(links[6]?.fields).toEqual(['720', '0118114', '']);
    expect(links.every((r) => !r.raw.includes('\r'))).toBe(true);
    const expected = [
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', 'two\nlines'] },
      { line: 4, fields: ['3', ''] },
    ];
    expect(simplify(await read('a,b\r\n1,"two\nlines"\r\n3,\r\n', 1))).toEqual(expected);
    expect(simplify(await read('a,b\r1,"two\nlines"\r3,\r', 1))).toEqual(expected);
    expect(simplify(await read('a,b\n1,"two\nlines"\n3,\n', 1))).toEqual(expected);
  });

  it('reads the last record without a final newline, also when it ends in a quoted or empty field', async () => {
    expect(simplify(await read('a,b\n1,2'))).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
    ]);
    expect((await read('a,b\n1,"x"')).at(-1)?.fields).toEqual(['1', 'x']);
    expect((await read('a,b\n1,')).at(-1)?.fields).toEqual(['1', '']);
  });

  it('drops a UTF-8 BOM and keeps non-ASCII text intact across chunk cuts', async () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('id,name\n1,Ørnås 中文 😀\n')]);
    for (const size of [1, 2, 5, 1024]) {
      expect(simplify(await read(bom, size))).toEqual([
        { line: 1, fields: ['id', 'name'] },
        { line: 2, fields: ['1', 'Ørnås 中文 😀'] },
      ]);
    }
  });

  it('skips empty lines but still counts them in line numbers', async () => {
    expect(simplify(await read('a,b\n\n1,2\r\n\r\n3,4\n\n'))).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 3, fields: ['1', '2'] },
      { line: 5, fields: ['3', '4'] },
    ]);
  });

  it('reads fields longer than 30,000 characters (a real credits cast list, repeated) in small chunks', async () => {
    const credits = fixture('credits.head.csv').toString('utf8');
    const [header, toyStory] = (await read(credits)).map((r) => r.fields);
    expect(header).toEqual(['cast', 'crew', 'id']);
    const crew = toyStory?.[1] as string;
    expect(crew.length).toBe(18_654);
    const long = `${crew.slice(0, -1)}, ${crew.slice(1)}`;
    expect(long.length).toBeGreaterThan(30_000);
    const input = `cast,crew,id\n"[]","${long.replace(/"/g, `""`)}",862\n"[]","[]",8844`;
    for (const size of [997, 1 << 16]) {
      const records = await read(input, size);
      expect(records.map((r) => [r.line, r.fields[1]?.length, r.fields[2]])).toEqual([
        [1, 4, 'id'],
        [2, long.length, '862'],
        [3, 2, '8844'],
      ]);
    }
  });

  it('keeps stray quotes as data, as Python csv does, and leaves the field count to judge the record', async () => {
    expect((await read('a,b,c\n1,x"y,"z"w\n')).at(-1)?.fields).toEqual(['1', 'x"y', 'zw']);
  });

  it('fails with DataError at the line where the quote opened when a quoted field is still open at the end of input', async () => {
    const input = 'a,b\n1,2\n3,x\n4,"never closed\nmore text\n5,6\n';
    for (const size of [1, 5, 1 << 16]) {
      await expect(read(input, size)).rejects.toThrow(DataError);
      await expect(read(input, size)).rejects.toMatchObject({ message: expect.stringMatching(/^unterminated quoted field/), context: { object: 'test.csv', line: 4 } });
    }
    // A later field of a multi-line record: the line of its opening quote.
    await expect(read('a,b,c\n1,"two\nlines","cut')).rejects.toMatchObject({ context: { line: 3 } });
  });

  it('fails with DataError when, told the field count, the input ends mid-line; a complete last record without a line end is sound', async () => {
    const read3 = async (input: string, chunkSize = 1 << 16) => {
      const records: CsvRecord[] = [];
      for await (const record of readCsvRecords(chunkify(input, chunkSize), { object: 'test.csv', fields: 3 })) records.push(record);
      return records;
    };
    for (const size of [1, 4, 1 << 16]) {
      await expect(read3('a,b,c\r\n1,2,3\r\n4,5', size)).rejects.toMatchObject({
        message: 'the input ends mid-line: the last record has 2 of 3 fields and no line end (a cut file)',
        context: { object: 'test.csv', line: 3, expected: '3 fields' },
      });
      await expect(read3('a,b,c\n1,2,3\n4,', size)).rejects.toThrow(/2 of 3 fields/);
      expect(simplify(await read3('a,b,c\r\n1,2,3\r\n4,5,6', size))).toEqual([
        { line: 1, fields: ['a', 'b', 'c'] },
        { line: 2, fields: ['1', '2', '3'] },
        { line: 3, fields: ['4', '5', '6'] },
      ]);
      // With a line end, a short record is one bad record (the caller rejects it), not a cut file.
      expect((await read3('a,b,c\n4,5\n', size)).at(-1)?.fields).toEqual(['4', '5']);
      expect((await read3('a,b,c\n4,5,6,7', size)).at(-1)?.fields).toEqual(['4', '5', '6', '7']);
    }
  });

  it('fails with DataError naming the line when a record grows beyond the limit (an unbalanced quote)', async () => {
    const input = `a,b\n1,2\n3,"${'x'.repeat(5000)}`;
    await expect(read(input, 100, 1000)).rejects.toThrow(DataError);
    await expect(read(input, 100, 1000)).rejects.toMatchObject({ context: { object: 'test.csv', line: 3 } });
  });

  it('fails with DataError on bytes that are not UTF-8', async () => {
    await expect(read(Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0xff, 0xfe, 0x0a]))).rejects.toThrow(/invalid UTF-8/);
  });

  it.each([
    ['a UTF-16 surrogate (ED A0 80)', [0xed, 0xa0, 0x80]],
    ['an overlong slash (E0 80 AF)', [0xe0, 0x80, 0xaf]],
    ['an overlong 4-byte form (F0 80 80 80)', [0xf0, 0x80, 0x80, 0x80]],
    ['a code point above U+10FFFF (F4 90 80 80)', [0xf4, 0x90, 0x80, 0x80]],
  ])('names the line and byte of %s, not line 1 byte 0', async (_, bad) => {
    const input = Buffer.concat([Buffer.from('a,b\n1,2\n3,x'), Buffer.from(bad), Buffer.from('y\n')]);
    await expect(read(input)).rejects.toMatchObject({ message: 'invalid UTF-8 in input', context: { line: 3, byteOffset: 11 } });
  });
});
