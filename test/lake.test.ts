/**
 * One contract, two lakes: the same suite runs on a local folder and on an S3-compatible server.
 * Bytes are always compared with the source: some S3 servers store the SDK's aws-chunked framing.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DataError, ExitCode } from '../tasks/core/errors';
import { FileLake } from '../tasks/core/lake/file-lake';
import { getText, type Lake } from '../tasks/core/lake/lake';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { lakeLeaseContract } from './support/lake-lease-contract';
import { freshS3Lake, testS3Endpoint } from './support/s3';

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
      expect(await lake.head(key)).toEqual({ key, size, version: expect.any(String) });
      expect(await sha256(await lake.get(key))).toBe(createHash('sha256').update(data).digest('hex'));
    }
  });

  it('gives an object written again a new version, at the same size too; listing says the same', async () => {
    const key = 'raw/test/run-1/rewritten.csv';
    await lake.put(key, 'userId,movieId\n1,10\n');
    const first = await lake.head(key);
    await lake.put(key, 'userId,movieId\n1,11\n');
    const second = await lake.head(key);
    expect(second?.size).toBe(first?.size);
    expect(second?.version).not.toBe(first?.version);
    expect(second?.version).not.toBe('');
    expect((await lake.list('raw/test/run-1/rewritten')).map((object) => object.version)).toEqual([second?.version]);
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
    expect(listed.map(({ key, size }) => ({ key, size }))).toEqual([
      { key: 'staged/x/run-9/a', size: 1 },
      { key: 'staged/x/run-9/b', size: 1 },
      { key: 'staged/x/run-9/c/d', size: 3 },
    ]);
    // As head says: the version of each object.
    for (const object of listed) expect(object.version).toBe((await lake.head(object.key))?.version);
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

async function fileLake(): Promise<FileLake> {
  return new FileLake(pathToFileURL(await mkdtemp(path.join(tmpdir(), 'lake-'))).href);
}

describe('file lake lease', () => {
  lakeLeaseContract(fileLake);
});

describe('file lake leftovers of killed writers', () => {
  it("removes a run's .partial files unchanged since the cut-off; keeps newer ones and other runs'", async () => {
    const lake = await fileLake();
    await lake.put('staged/movies/r1/part-00000.csv.gz', 'whole');
    const folder = fileURLToPath(`${lake.url}/staged/movies/r1`);
    const other = fileURLToPath(`${lake.url}/staged/movies/r2`);
    await lake.put('staged/movies/r2/part-00000.csv.gz', 'whole');
    const hourAgo = new Date(Date.now() - 3_600_000);
    for (const [dir, name] of [[folder, 'part-00001.csv.gz.0123456789ab.partial'], [folder, 'part-00002.csv.gz.ba9876543210.partial'], [other, 'part-00001.csv.gz.0123456789ab.partial']] as Array<[string, string]>) {
      await writeFile(path.join(dir, name), 'half');
    }
    // Killed an hour ago: two of them; the third is a live writer's, written just now.
    await utimes(path.join(folder, 'part-00001.csv.gz.0123456789ab.partial'), hourAgo, hourAgo);
    await utimes(path.join(other, 'part-00001.csv.gz.0123456789ab.partial'), hourAgo, hourAgo);
    const removed = await lake.removeUnfinished((key) => key.includes('/r1/'), new Date(Date.now() - 60_000));
    expect(removed).toEqual(['staged/movies/r1/part-00001.csv.gz.0123456789ab.partial']);
    expect((await readdir(folder)).sort()).toEqual(['part-00000.csv.gz', 'part-00002.csv.gz.ba9876543210.partial']);
    expect((await readdir(other)).sort()).toEqual(['part-00000.csv.gz', 'part-00001.csv.gz.0123456789ab.partial']);
  });
});

/**
 * s3rver ignores If-None-Match and If-Match (a second create succeeds) and answers 501 to
 * ListMultipartUploads: a stand-in that cannot fail where S3 fails cannot test the lease or the
 * aborts. Both are tested on MinIO (test/services/reliability-minio.test.ts); these say why not here.
 */
describe('s3 lake on s3rver', () => {
  it('unsupported on s3rver: the S3 lease (it ignores conditional writes; tested on MinIO)', async () => {
    const lake = await freshS3Lake('conditional');
    const client = new S3Client({ region: 'us-east-1', endpoint: testS3Endpoint(), forcePathStyle: true });
    const [bucket, ...prefix] = lake.url.replace('s3://', '').split('/');
    const put = () => client.send(new PutObjectCommand({ Bucket: bucket, Key: [...prefix, 'once'].join('/'), Body: 'x', IfNoneMatch: '*' }));
    await put();
    await expect(put()).resolves.toBeDefined();
  });

  it('unsupported on s3rver: aborting stale multipart uploads (ListMultipartUploads answers 501; tested on MinIO)', async () => {
    const lake = await freshS3Lake('uploads');
    await expect(lake.removeUnfinished(() => true, new Date())).rejects.toMatchObject({ exitCode: ExitCode.transient, message: expect.stringMatching(/^lake request failed/) });
  });
});
