/**
 * One contract, two lakes: the same suite runs on a local folder and on an S3-compatible server.
 * Bytes are always compared with the source: some S3 servers store the SDK's aws-chunked framing.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { DataError } from '../tasks/core/errors';
import { FileLake } from '../tasks/core/lake/file-lake';
import { getText, type Lake } from '../tasks/core/lake/lake';
import { freshS3Lake } from './support/s3';

async function sha256(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** A stream of `size` pseudo-random bytes in uneven chunks, as a file or a transform would produce. */
function bytesStream(data: Buffer): Readable {
  return Readable.from(
    (function* () {
      for (let offset = 0; offset < data.length; offset += 65_521) yield data.subarray(offset, offset + 65_521);
    })(),
  );
}

const lakes: Array<[string, () => Promise<Lake>]> = [
  ['file', async () => new FileLake(pathToFileURL(await mkdtemp(path.join(tmpdir(), 'lake-'))).href)],
  ['s3', () => freshS3Lake()],
];

describe.each(lakes)('%s lake', (_kind, open) => {
  let lake: Lake;
  beforeAll(async () => {
    lake = await open();
  });

  it('stores streamed bytes exactly, small and multipart', async () => {
    for (const size of [0, 1234, 20 * 1024 * 1024 + 17]) {
      const data = randomBytes(size);
      const key = `raw/test/run-1/blob-${size}.bin`;
      expect(await lake.put(key, bytesStream(data))).toBe(size);
      expect(await lake.head(key)).toEqual({ key, size });
      expect(await sha256(await lake.get(key))).toBe(createHash('sha256').update(data).digest('hex'));
    }
  });

  it('reads byte ranges: the middle, the end, an empty range', async () => {
    const data = randomBytes(100_000);
    const key = 'raw/test/run-1/ranged.bin';
    await lake.put(key, data);
    const read = async (start: number, end: number) => Buffer.concat(await (await lake.get(key, { start, end })).toArray());
    expect((await read(1_000, 50_001)).equals(data.subarray(1_000, 50_001))).toBe(true);
    expect((await read(99_990, 100_000)).equals(data.subarray(99_990))).toBe(true);
    // One byte (not byte 0: s3rver, the test S3 server, reads `bytes=0-0` as the whole object; S3 and MinIO do not).
    expect((await read(3, 4)).equals(data.subarray(3, 4))).toBe(true);
    expect((await read(500, 500)).length).toBe(0);
  });

  it('puts strings and buffers and reads them back', async () => {
    await lake.put('manifests/t/run-1.json', '{"a":1}\n');
    await lake.put('manifests/t/run-2.json', Buffer.from('é'));
    expect(await getText(lake, 'manifests/t/run-1.json')).toBe('{"a":1}\n');
    expect(await getText(lake, 'manifests/t/run-2.json')).toBe('é');
  });

  it('lists by prefix, in key order, only below the prefix', async () => {
    for (const name of ['b', 'a', 'c/d']) await lake.put(`staged/x/run-9/${name}`, name);
    await lake.put('staged/x/run-90/other', 'no');
    const listed = await lake.list('staged/x/run-9/');
    expect(listed).toEqual([
      { key: 'staged/x/run-9/a', size: 1 },
      { key: 'staged/x/run-9/b', size: 1 },
      { key: 'staged/x/run-9/c/d', size: 3 },
    ]);
    expect(await lake.list('staged/nothing/')).toEqual([]);
  });

  it('reports missing objects clearly and deletes idempotently', async () => {
    expect(await lake.head('raw/none/here')).toBeUndefined();
    await expect(lake.get('raw/none/here')).rejects.toBeInstanceOf(DataError);
    await expect(lake.get('raw/none/here')).rejects.toMatchObject({ context: { object: lake.urlOf('raw/none/here') } });
    await lake.put('tmp/x', 'x');
    await lake.delete('tmp/x');
    await lake.delete('tmp/x');
    expect(await lake.head('tmp/x')).toBeUndefined();
  });

  it('rejects keys that escape the lake', async () => {
    await expect(lake.put('../escape', 'x')).rejects.toThrow(/invalid lake key/);
    await expect(lake.put('/abs', 'x')).rejects.toThrow(/invalid lake key/);
  });
});

describe('s3 lake listing', () => {
  it('follows continuation tokens across pages', async () => {
    const lake = await freshS3Lake('paged', 2);
    for (let i = 0; i < 5; i++) await lake.put(`p/${i}`, String(i));
    expect((await lake.list('p/')).map((o) => o.key)).toEqual(['p/0', 'p/1', 'p/2', 'p/3', 'p/4']);
  });
});

describe.each(lakes)('%s lake with a failing source', (_kind, open) => {
  it('rethrows the source error and leaves no object', async () => {
    const lake = await open();
    const failing = new Readable({
      read() {
        this.destroy(new DataError('corrupt entry', { object: 'source.zip' }));
      },
    });
    await expect(lake.put('raw/x/run/broken.csv', failing)).rejects.toThrow('corrupt entry');
    expect(await lake.head('raw/x/run/broken.csv')).toBeUndefined();
  });
});
