/**
 * `movalytics extract-movies` against real components: the genuine sample files, a file lake and
 * the S3 test server, a local stand-in for the Kaggle API and its storage host, and the real CLI
 * as a child process for exit codes.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable, type Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { DataError, ExitCode, TransientError, UsageError } from '../tasks/core/errors';
import { FileLake } from '../tasks/core/lake/file-lake';
import { getJson, getText, type Lake } from '../tasks/core/lake/lake';
import { createLogger, type Logger } from '../tasks/core/log';
import { readExtractMoviesConfig, type ExtractMoviesArgs } from '../tasks/extract-movies/config';
import { extractMovies, type ExtractMoviesManifest } from '../tasks/extract-movies/index';
import { buildCli, runCli, type BuiltCli } from './support/cli-process';
import { REAL_SAMPLE_DIR } from './support/real-sample';
import { freshS3Lake } from './support/s3';
import { buildZip, folderEntries, startKaggleServer, type KaggleServer } from './support/servers/kaggle-server';

const SAMPLE = REAL_SAMPLE_DIR;
const DATASET = 'rounakbanik/the-movies-dataset';
const USERNAME = 'movie-fan';
const KEY = `key${randomBytes(16).toString('hex')}`;
/** Raw object name → the sample file it must equal (the sample has only the small ratings/links). */
const EXPECTED: Record<string, string> = {
  'movies_metadata.csv': 'movies_metadata.csv',
  'ratings.csv': 'ratings_small.csv',
  'links.csv': 'links_small.csv',
  'credits.csv': 'credits.csv',
  'keywords.csv': 'keywords.csv',
};
const FAST_RETRIES = ['--http-backoff-ms', '5', '--http-max-wait-ms', '20'];

let kaggle: KaggleServer;
let zip: Buffer;
let cli: BuiltCli;

beforeAll(async () => {
  zip = await buildZip(await folderEntries(SAMPLE, (name) => Object.values(EXPECTED).includes(name)));
  kaggle = await startKaggleServer({
    username: USERNAME,
    key: KEY,
    datasets: { [DATASET]: zip, 'someone/truncated': zip.subarray(0, Math.floor(zip.length * 0.6)) },
  });
  cli = await buildCli();
}, 120_000);

afterAll(async () => {
  await kaggle?.close();
  await cli?.remove();
});

async function sha256(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function fileLake(): Promise<FileLake> {
  return new FileLake(pathToFileURL(await mkdtemp(path.join(tmpdir(), 'extract-movies-lake-'))).href);
}

/** A logger whose lines a test can read (and check for secrets). */
function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  return { logger: createLogger('extract-movies', { stream, json: true, level: 'debug' }), lines };
}

function argsFor(source: string, overrides: Partial<ExtractMoviesArgs> = {}): ExtractMoviesArgs {
  return {
    'run-id': 'unused',
    lake: 'unused',
    'log-level': 'info',
    'movies-source': source,
    'kaggle-api-url': kaggle.apiUrl,
    'http-attempts': 3,
    'http-backoff-ms': 5,
    'http-max-wait-ms': 20,
    'http-timeout-ms': 10_000,
    ...overrides,
  };
}

/** Runs the handler in-process, configured the way the command's entry configures it. */
async function extract(
  lake: Lake,
  runId: string,
  source: string,
  env: NodeJS.ProcessEnv = {},
  tempDir?: string,
  overrides: Partial<ExtractMoviesArgs> = {},
) {
  const config = await readExtractMoviesConfig(argsFor(source, overrides), env);
  const { logger, lines } = capturingLogger();
  const output = await extractMovies({ lake, logger, runId }, { ...config, ...(tempDir ? { tempDir } : {}) });
  return { output, lines };
}

const kaggleEnv = (key = KEY): NodeJS.ProcessEnv => ({ KAGGLE_USERNAME: USERNAME, KAGGLE_KEY: key });

/** Every raw object equals its sample file, byte for byte, and the manifest says so. */
async function expectRawEqualsSample(lake: Lake, runId: string): Promise<ExtractMoviesManifest> {
  const manifest = await getJson<ExtractMoviesManifest>(lake, `manifests/extract-movies/${runId}.json`);
  expect(manifest.objects.map((o) => o.key)).toEqual(Object.keys(EXPECTED).map((name) => `raw/movies/${runId}/${name}`));
  for (const [name, sampleName] of Object.entries(EXPECTED)) {
    const key = `raw/movies/${runId}/${name}`;
    const expected = await sha256(createReadStream(path.join(SAMPLE, sampleName)));
    expect(await sha256(await lake.get(key))).toBe(expected);
    const listed = manifest.objects.find((o) => o.key === key);
    expect(listed).toMatchObject({ sha256: expected, source_file: sampleName, bytes: (await lake.head(key))?.size });
  }
  return manifest;
}

describe('extract-movies from a local folder', () => {
  it.each([
    ['file', fileLake],
    ['s3', () => freshS3Lake('movies')],
  ])('writes byte-identical raw objects into a %s lake, with ratings_small/links_small standing in', async (_kind, open) => {
    const lake = await open();
    const { output } = await extract(lake, 'run-folder', SAMPLE);
    const manifest = await expectRawEqualsSample(lake, 'run-folder');
    expect(manifest.source).toEqual({ kind: 'folder', path: SAMPLE });
    expect(output).toMatchObject({ manifest: 'manifests/extract-movies/run-folder.json', source: 'folder', bytes: 776_950 });
  });

  it('prefers ratings.csv and links.csv when the folder has them', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'movies-full-'));
    for (const name of await readdir(SAMPLE)) await copyFile(path.join(SAMPLE, name), path.join(folder, name));
    await writeFile(path.join(folder, 'ratings.csv'), 'userId,movieId,rating,timestamp\r\n1,31,2.5,1260759144\r\n');
    await writeFile(path.join(folder, 'links.csv'), 'movieId,imdbId,tmdbId\r\n1,0114709,862\r\n');
    const lake = await fileLake();
    await extract(lake, 'run-full', folder);
    expect(await getText(lake, 'raw/movies/run-full/ratings.csv')).toBe('userId,movieId,rating,timestamp\r\n1,31,2.5,1260759144\r\n');
    expect(await getText(lake, 'raw/movies/run-full/links.csv')).toBe('movieId,imdbId,tmdbId\r\n1,0114709,862\r\n');
    const manifest = await getJson<ExtractMoviesManifest>(lake, 'manifests/extract-movies/run-full.json');
    expect(manifest.objects.map((o) => o.source_file)).toEqual([
      'movies_metadata.csv',
      'ratings.csv',
      'links.csv',
      'credits.csv',
      'keywords.csv',
    ]);
  });

  it('writes the same objects and the same manifest when rerun for the same run id', async () => {
    const lake = await fileLake();
    await extract(lake, 'run-again', SAMPLE);
    const firstManifest = await getText(lake, 'manifests/extract-movies/run-again.json');
    // Keys and sizes (each object is written again, so its version is new; its bytes are checked below).
    const listing = async () => (await lake.list('raw/movies/run-again/')).map(({ key, size }) => ({ key, size }));
    const firstListing = await listing();
    await extract(lake, 'run-again', SAMPLE);
    expect(await getText(lake, 'manifests/extract-movies/run-again.json')).toBe(firstManifest);
    expect(await listing()).toEqual(firstListing);
    await expectRawEqualsSample(lake, 'run-again');
  });

  it('fails with exit 65 naming the missing file', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'movies-partial-'));
    for (const name of ['movies_metadata.csv', 'ratings_small.csv', 'links_small.csv', 'credits.csv']) {
      await copyFile(path.join(SAMPLE, name), path.join(folder, name));
    }
    const lake = await fileLake();
    const failure = extract(lake, 'run-missing', folder);
    await expect(failure).rejects.toBeInstanceOf(DataError);
    await expect(failure).rejects.toThrow('missing required file keywords.csv');
    expect(await lake.list('manifests/')).toEqual([]);

    const run = await runCli(cli, ['extract-movies', '--movies-source', folder, '--lake', lake.url, '--run-id', 'run-missing']);
    expect(run.code).toBe(ExitCode.badData);
    expect(run.errorLines).toHaveLength(1);
    expect(run.errorLines[0]).toContain('missing required file keywords.csv');
    expect(run.result).toMatchObject({ status: 'failed', exit_code: 65 });
  });
});

describe('extract-movies from zips and URLs', () => {
  it('reads a local zip and a plain URL of the zip: objects equal the files inside', async () => {
    const zipFile = path.join(await mkdtemp(path.join(tmpdir(), 'movies-zip-')), 'the-movies-dataset.zip');
    await writeFile(zipFile, zip);
    const lake = await fileLake();
    await extract(lake, 'run-zip', zipFile);
    expect((await expectRawEqualsSample(lake, 'run-zip')).source).toEqual({
      kind: 'zip',
      path: zipFile,
      archive: { bytes: zip.length },
    });
    await extract(lake, 'run-url', kaggle.publicUrl(DATASET));
    expect((await expectRawEqualsSample(lake, 'run-url')).source).toEqual({
      kind: 'url',
      url: kaggle.publicUrl(DATASET),
      archive: { bytes: zip.length, sha256: createHash('sha256').update(zip).digest('hex') },
    });
  });

  it('finds files kept in a sub-folder of the zip', async () => {
    const entries = await folderEntries(SAMPLE, (name) => Object.values(EXPECTED).includes(name));
    const nested = await buildZip(entries.map((entry) => ({ ...entry, name: `the-movies-dataset/${entry.name}` })));
    const zipFile = path.join(await mkdtemp(path.join(tmpdir(), 'movies-nested-')), 'nested.zip');
    await writeFile(zipFile, nested);
    const lake = await fileLake();
    await extract(lake, 'run-nested', zipFile);
    const manifest = await getJson<ExtractMoviesManifest>(lake, 'manifests/extract-movies/run-nested.json');
    expect(manifest.objects[1]).toMatchObject({ key: 'raw/movies/run-nested/ratings.csv', source_file: 'the-movies-dataset/ratings_small.csv' });
  });

  it.each([
    ['file', fileLake],
    ['s3', () => freshS3Lake('corrupt')],
  ])('rejects a zip whose entry data is corrupt (exit 65), keeping no partial object in a %s lake', async (_kind, open) => {
    const corrupt = Buffer.from(zip);
    const middle = Math.floor(corrupt.length / 2);
    for (let i = middle; i < middle + 64; i++) corrupt[i] = (corrupt[i] ?? 0) ^ 0xff;
    const zipFile = path.join(await mkdtemp(path.join(tmpdir(), 'movies-corrupt-')), 'corrupt.zip');
    await writeFile(zipFile, corrupt);
    const lake = await open();
    const failure = extract(lake, 'run-corrupt', zipFile);
    await expect(failure).rejects.toBeInstanceOf(DataError);
    await expect(failure).rejects.toThrow(/corrupt entry/);
    const error = (await failure.catch((e: unknown) => e)) as DataError;
    const canonical = Object.keys(EXPECTED).find((name) => EXPECTED[name] === error.context.entry);
    expect(canonical).toBeDefined();
    expect(await lake.head(`raw/movies/run-corrupt/${canonical}`)).toBeUndefined();
    expect((await lake.list('')).filter((o) => o.key.endsWith('.partial'))).toEqual([]);
    expect(await lake.head('manifests/extract-movies/run-corrupt.json')).toBeUndefined();
  });
  it('checks the CRC-32 of each entry: a flipped byte in a stored (uncompressed) entry is exit 65', async () => {
    const entries = await folderEntries(SAMPLE, (name) => Object.values(EXPECTED).includes(name));
    const stored = await buildZip(entries.map((entry) => ({ ...entry, compress: false })));
    // The first entry's data starts after its 30-byte local header and its name; flip one byte of it.
    const first = entries[0]?.name ?? '';
    const offset = 30 + first.length + 100;
    stored[offset] = (stored[offset] ?? 0) ^ 0x01;
    const zipFile = path.join(await mkdtemp(path.join(tmpdir(), 'movies-crc-')), 'stored.zip');
    await writeFile(zipFile, stored);
    const lake = await fileLake();
    const failure = extract(lake, 'run-crc', zipFile);
    await expect(failure).rejects.toBeInstanceOf(DataError);
    await expect(failure).rejects.toThrow(new RegExp(`corrupt entry ${first} in the zip archive: CRC-32 [0-9a-f]{8}, expected [0-9a-f]{8}`));
    expect(await lake.head(`raw/movies/run-crc/${first}`)).toBeUndefined();
    expect(await lake.head('manifests/extract-movies/run-crc.json')).toBeUndefined();
  });
});

describe('extract-movies from the Kaggle API', () => {
  it('downloads through the signed redirect without sending Authorization to the storage host (CLI)', async () => {
    const lake = await fileLake();
    const home = await mkdtemp(path.join(tmpdir(), 'home-'));
    const requestsBefore = kaggle.requests.length;
    const run = await runCli(
      cli,
      ['extract-movies', '--kaggle-api-url', kaggle.apiUrl, '--lake', lake.url, '--run-id', 'run-kaggle', ...FAST_RETRIES, '--http-attempts', '3'],
      { ...kaggleEnv(), HOME: home, MOVALYTICS_MOVIES_SOURCE: DATASET },
    );
    expect(run.code).toBe(0);
    expect(run.result).toMatchObject({ status: 'success', source: 'kaggle', manifest: 'manifests/extract-movies/run-kaggle.json' });
    const manifest = await expectRawEqualsSample(lake, 'run-kaggle');
    expect(manifest.source).toEqual({
      kind: 'kaggle',
      dataset: DATASET,
      url: `${kaggle.apiUrl}/datasets/download/rounakbanik/the-movies-dataset`,
      archive: { bytes: zip.length, sha256: createHash('sha256').update(zip).digest('hex') },
    });
    const requests = kaggle.requests.slice(requestsBefore);
    expect(requests.map((r) => [r.host, r.authorization])).toEqual([
      ['api', true],
      ['storage', false],
    ]);
    expect(kaggle.violations).toEqual([]);
    expect(run.stdout + run.stderr).not.toContain(KEY);
  });

  it('takes the credentials from kaggle.json in $KAGGLE_CONFIG_DIR', async () => {
    const configDir = await mkdtemp(path.join(tmpdir(), 'kaggle-config-'));
    await writeFile(path.join(configDir, 'kaggle.json'), JSON.stringify({ username: USERNAME, key: KEY }));
    const lake = await fileLake();
    await extract(lake, 'run-kaggle-json', DATASET, { KAGGLE_CONFIG_DIR: configDir });
    await expectRawEqualsSample(lake, 'run-kaggle-json');
  });

  it('refuses to start without credentials, before any request', async () => {
    const home = await mkdtemp(path.join(tmpdir(), 'home-'));
    const requestsBefore = kaggle.requests.length;
    await expect(readExtractMoviesConfig(argsFor(DATASET), { HOME: home })).rejects.toBeInstanceOf(UsageError);
    await expect(readExtractMoviesConfig(argsFor(DATASET), { HOME: home })).rejects.toThrow(/no Kaggle credentials/);
    expect(kaggle.requests.length).toBe(requestsBefore);
  });

  it('retries 429 (honouring Retry-After) and 500 on the API and 503 on the storage host', async () => {
    kaggle.apiFaults.push({ status: 429, retryAfter: '1' }, { status: 500 });
    kaggle.storageFaults.push({ status: 503 });
    const lake = await fileLake();
    const requestsBefore = kaggle.requests.length;
    const { lines } = await extract(lake, 'run-retried', DATASET, kaggleEnv(), undefined, { 'http-attempts': 4 });
    await expectRawEqualsSample(lake, 'run-retried');
    expect(kaggle.requests.slice(requestsBefore).map((r) => r.host)).toEqual(['api', 'api', 'api', 'storage', 'api', 'storage']);
    const retries = lines.filter((line) => line.includes('retrying in'));
    expect(retries).toHaveLength(3);
    expect(retries[0]).toContain('HTTP 429');
    // Retry-After said 1 s; --http-max-wait-ms 20 caps it.
    expect(retries[0]).toContain('retrying in 20 ms');
    expect(kaggle.violations).toEqual([]);
    expect(lines.join('\n')).not.toContain(KEY);
  });

  it('retries a body cut short, and removes the temporary download', async () => {
    kaggle.storageFaults.push({ cutAfterBytes: 1000 });
    const tempDir = await mkdtemp(path.join(tmpdir(), 'movies-temp-'));
    const lake = await fileLake();
    const { lines } = await extract(lake, 'run-cut', DATASET, kaggleEnv(), tempDir);
    await expectRawEqualsSample(lake, 'run-cut');
    expect(lines.filter((line) => line.includes('retrying in'))).toHaveLength(1);
    expect(lines.find((line) => line.includes('retrying in'))).toMatch(/body cut short/);
    expect(await readdir(tempDir)).toEqual([]);
  });

  it('gives up with exit 75 when every attempt is cut short (CLI)', async () => {
    kaggle.storageFaults.push({ cutAfterBytes: 500 }, { cutAfterBytes: 500 });
    const lake = await fileLake();
    const run = await runCli(
      cli,
      ['extract-movies', '--movies-source', DATASET, '--kaggle-api-url', kaggle.apiUrl, '--lake', lake.url, ...FAST_RETRIES, '--http-attempts', '2'],
      kaggleEnv(),
    );
    expect(run.code).toBe(ExitCode.transient);
    expect(run.errorLines).toHaveLength(1);
    expect(run.errorLines[0]).toContain('gave up on Kaggle dataset rounakbanik/the-movies-dataset after 2 attempts');
    expect(run.result).toMatchObject({ status: 'failed', exit_code: 75 });
    expect(kaggle.storageFaults).toEqual([]);
  });

  it('exits 2 with one error line when Kaggle refuses the credentials, never showing the key', async () => {
    const wrongKey = `wrong${randomBytes(12).toString('hex')}`;
    const run = await runCli(
      cli,
      ['extract-movies', '--movies-source', DATASET, '--kaggle-api-url', kaggle.apiUrl, '--lake', (await fileLake()).url],
      kaggleEnv(wrongKey),
    );
    expect(run.code).toBe(ExitCode.usage);
    expect(run.errorLines).toHaveLength(1);
    expect(run.errorLines[0]).toContain(`Kaggle refused the credentials for user \\"${USERNAME}\\" (HTTP 401)`);
    expect(run.result).toMatchObject({ status: 'failed', exit_code: 2 });
    expect(String(run.result.error)).toContain('Kaggle refused the credentials');
    expect(run.stdout + run.stderr).not.toContain(wrongKey);
  });

  it('exits 2 naming the dataset when Kaggle does not know it', async () => {
    const run = await runCli(
      cli,
      ['extract-movies', '--movies-source', 'someone/missing', '--kaggle-api-url', kaggle.apiUrl, '--lake', (await fileLake()).url],
      kaggleEnv(),
    );
    expect(run.code).toBe(ExitCode.usage);
    expect(run.errorLines).toHaveLength(1);
    expect(run.errorLines[0]).toContain('Kaggle dataset someone/missing not found (HTTP 404');
    expect(run.result).toMatchObject({ status: 'failed', exit_code: 2 });
  });

  it('exits 65 on a truncated zip and leaves no temporary file', async () => {
    const tempDir = await mkdtemp(path.join(tmpdir(), 'movies-temp-'));
    const lake = await fileLake();
    const run = await runCli(
      cli,
      ['extract-movies', '--movies-source', 'someone/truncated', '--kaggle-api-url', kaggle.apiUrl, '--lake', lake.url],
      { ...kaggleEnv(), TMPDIR: tempDir },
    );
    expect(run.code).toBe(ExitCode.badData);
    expect(run.errorLines).toHaveLength(1);
    expect(run.errorLines[0]).toContain('not a readable zip archive');
    expect(run.result).toMatchObject({ status: 'failed', exit_code: 65 });
    expect(await readdir(tempDir)).toEqual([]);
    expect(await lake.list('')).toEqual([]);
  });

  it('rejects a --kaggle-api-url that is not http(s) as a usage error', async () => {
    await expect(
      readExtractMoviesConfig(argsFor(DATASET, { 'kaggle-api-url': 'ftp://example' }), kaggleEnv()),
    ).rejects.toBeInstanceOf(UsageError);
  });
});

describe('extract-movies errors map to exit codes', () => {
  it('a transient failure is a TransientError, a refusal a UsageError', async () => {
    kaggle.apiFaults.push({ status: 500 }, { status: 500 }, { status: 500 });
    await expect(extract(await fileLake(), 'run-500', DATASET, kaggleEnv())).rejects.toBeInstanceOf(TransientError);
    await expect(extract(await fileLake(), 'run-401', DATASET, kaggleEnv('nope-nope'))).rejects.toBeInstanceOf(UsageError);
  });
});
