/**
 * `movalytics extract-cpi` against real components: the genuine FRED sample, a local stand-in for
 * FRED's CSV download, a file lake and the S3 test server, and the real CLI for exit codes.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable, type Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { DataError, ExitCode, TransientError, UsageError } from '../tasks/core/errors';
import { FileLake } from '../tasks/core/lake/file-lake';
import { getJson, getText, type Lake } from '../tasks/core/lake/lake';
import { createLogger } from '../tasks/core/log';
import { DEFAULT_FRED_URL, fredSeriesUrl, readExtractCpiConfig, type ExtractCpiArgs } from '../tasks/extract-cpi/config';
import { extractCpi, type ExtractCpiManifest } from '../tasks/extract-cpi/index';
import { buildCli, runCli, type BuiltCli } from './support/cli-process';
import { realSampleFile } from './support/real-sample';
import { freshS3Lake } from './support/s3';
import { startFredServer, withDateHeader, type FredServer } from './support/servers/fred-server';

const SAMPLE_FILE = realSampleFile('CUSR0000SS62031.csv');
const SERIES = 'CUSR0000SS62031';

let sample: Buffer;
let fred: FredServer;
let cli: BuiltCli;

beforeAll(async () => {
  sample = await readFile(SAMPLE_FILE);
  fred = await startFredServer({
    series: {
      [SERIES]: sample,
      // Another series: the right shape, the wrong file.
      CPIAUCSL: Buffer.from(sample.toString('latin1').replace(SERIES, 'CPIAUCSL'), 'latin1'),
    },
  });
  cli = await buildCli();
}, 120_000);

afterAll(async () => {
  await fred?.close();
  await cli?.remove();
});

afterEach(() => {
  fred.dateHeader = undefined;
  fred.faults.length = 0;
});

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function fileLake(): Promise<FileLake> {
  return new FileLake(pathToFileURL(await mkdtemp(path.join(tmpdir(), 'extract-cpi-lake-'))).href);
}

function argsFor(source: string, overrides: Partial<ExtractCpiArgs> = {}): ExtractCpiArgs {
  return {
    'run-id': 'unused',
    lake: 'unused',
    'log-level': 'info',
    'cpi-source': source,
    'cpi-series': SERIES,
    'fred-url': fred.fredUrlTemplate,
    'http-attempts': 3,
    'http-backoff-ms': 5,
    'http-max-wait-ms': 20,
    'http-timeout-ms': 10_000,
    ...overrides,
  };
}

/** Runs the handler in-process, configured the way the command's entry configures it. */
async function extract(lake: Lake, runId: string, source: string, tempDir?: string) {
  const config = await readExtractCpiConfig(argsFor(source));
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  const logger = createLogger('extract-cpi', { stream, json: true });
  const output = await extractCpi({ lake, logger, runId }, { ...config, ...(tempDir ? { tempDir } : {}) });
  return { output, lines };
}

async function csvFile(content: string): Promise<string> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'cpi-')), 'cpi.csv');
  await writeFile(file, content);
  return file;
}

describe('extract-cpi', () => {
  it('copies a local file unchanged and describes it in the manifest', async () => {
    const lake = await fileLake();
    const { output } = await extract(lake, 'run-file', SAMPLE_FILE);
    const raw = await bytesOf(await lake.get(`raw/cpi/run-file/${SERIES}.csv`));
    expect(raw.equals(sample)).toBe(true);
    const manifest = await getJson<ExtractCpiManifest>(lake, 'manifests/extract-cpi/run-file.json');
    expect(manifest).toEqual({
      task: 'extract-cpi',
      run_id: 'run-file',
      series: SERIES,
      source: { kind: 'file', path: SAMPLE_FILE },
      objects: [
        {
          key: `raw/cpi/run-file/${SERIES}.csv`,
          bytes: 2643,
          sha256: sha256(sample),
          source_file: 'CUSR0000SS62031.csv',
          date_column: 'DATE',
          observations: 138,
          missing_values: 0,
          first_date: '2005-01-01',
          last_date: '2016-06-01',
        },
      ],
    });
    expect(output).toMatchObject({ object: `raw/cpi/run-file/${SERIES}.csv`, observations: 138, bytes: 2643 });
  });

  it.each([
    ['DATE', 'file', fileLake],
    ['observation_date', 's3', () => freshS3Lake('cpi')],
  ] as const)('downloads a FRED series whose header says %s, into a %s lake, bytes unchanged', async (dateHeader, _kind, open) => {
    fred.dateHeader = dateHeader;
    const served = withDateHeader(sample, dateHeader);
    const lake = await open();
    await extract(lake, 'run-fred', SERIES);
    const raw = await bytesOf(await lake.get(`raw/cpi/run-fred/${SERIES}.csv`));
    expect(raw.equals(served)).toBe(true);
    const manifest = await getJson<ExtractCpiManifest>(lake, 'manifests/extract-cpi/run-fred.json');
    expect(manifest.source).toEqual({
      kind: 'fred',
      series: SERIES,
      url: fred.csvUrl(SERIES),
      download: { bytes: served.length, sha256: sha256(served) },
    });
    expect(manifest.objects[0]).toMatchObject({ sha256: sha256(served), date_column: dateHeader, observations: 138 });
  });

  it('retries a 503 (and a body cut short), then succeeds; the temporary download is removed', async () => {
    fred.faults.push({ status: 503, retryAfter: '2' }, { cutAfterBytes: 100 });
    const tempDir = await mkdtemp(path.join(tmpdir(), 'cpi-temp-'));
    const requestsBefore = fred.requests.length;
    const lake = await fileLake();
    const { lines } = await extract(lake, 'run-503', SERIES, tempDir);
    expect(fred.requests.length - requestsBefore).toBe(3);
    const retries = lines.filter((line) => line.includes('retrying in'));
    expect(retries).toHaveLength(2);
    expect(retries[0]).toContain('HTTP 503');
    expect(retries[1]).toContain('body cut short');
    expect((await bytesOf(await lake.get(`raw/cpi/run-503/${SERIES}.csv`))).equals(sample)).toBe(true);
    expect(await readdir(tempDir)).toEqual([]);
  });

  it('gives up with a TransientError after the last attempt', async () => {
    fred.faults.push({ status: 503 }, { status: 502 }, { status: 500 });
    const failure = extract(await fileLake(), 'run-down', SERIES);
    await expect(failure).rejects.toBeInstanceOf(TransientError);
    await expect(failure).rejects.toThrow(`gave up on FRED series ${SERIES} after 3 attempts: HTTP 500`);
  });

  it('writes the same object and manifest when rerun for the same run id', async () => {
    const lake = await fileLake();
    await extract(lake, 'run-again', SERIES);
    const first = await getText(lake, 'manifests/extract-cpi/run-again.json');
    await extract(lake, 'run-again', SERIES);
    expect(await getText(lake, 'manifests/extract-cpi/run-again.json')).toBe(first);
    expect(await lake.list('raw/cpi/run-again/')).toEqual([{ key: `raw/cpi/run-again/${SERIES}.csv`, size: sample.length, version: expect.any(String) }]);
  });

  it('accepts CRLF, a BOM, missing values and no final newline', async () => {
    const content = `\uFEFFobservation_date,${SERIES}\r\n2016-05-01,175.455\r\n2016-06-01,.`;
    const lake = await fileLake();
    await extract(lake, 'run-crlf', await csvFile(content));
    expect(await getText(lake, `raw/cpi/run-crlf/${SERIES}.csv`)).toBe(content);
    const manifest = await getJson<ExtractCpiManifest>(lake, 'manifests/extract-cpi/run-crlf.json');
    expect(manifest.objects[0]).toMatchObject({ observations: 2, missing_values: 1, last_date: '2016-06-01' });
  });

  it.each([
    ['quoted, as a data portal writes it', `"Date","${SERIES}"`],
    ['with spaces around the names', ` date , ${SERIES} `],
    ['with a BOM and a quoted observation_date', `\uFEFF"OBSERVATION_DATE",${SERIES}`],
  ])('reads the header as CSV: %s; FRED values without trailing zeros (108, 148.62) accepted', async (_case, header) => {
    const content = `${header}\r\n2016-04-01,108\r\n2016-05-01,148.62\r\n2016-06-01,.\r\n`;
    const lake = await fileLake();
    await extract(lake, 'run-quoted', await csvFile(content));
    expect(await getText(lake, `raw/cpi/run-quoted/${SERIES}.csv`)).toBe(content);
    const manifest = await getJson<ExtractCpiManifest>(lake, 'manifests/extract-cpi/run-quoted.json');
    expect(manifest.objects[0]).toMatchObject({ observations: 3, missing_values: 1, first_date: '2016-04-01', last_date: '2016-06-01' });
  });

  it.each([
    ['a wrong series', `DATE,CPIAUCSL\n2016-05-01,1\n`, 1, `wrong CPI series: the file holds CPIAUCSL, expected ${SERIES}`],
    ['an unknown header', `day,value\n2016-05-01,1\n`, 1, 'unexpected CPI header "day,value"'],
    ['a quoted header of another series', `"Date","CPIAUCSL"\n2016-05-01,1\n`, 1, `wrong CPI series: the file holds CPIAUCSL, expected ${SERIES}`],
    ['two series', `DATE,${SERIES},CPIAUCSL\n`, 1, 'unexpected CPI header'],
    ['an HTML page', '<html><body>Series does not exist.</body></html>\n', 1, 'unexpected CPI header'],
    ['an impossible date', `DATE,${SERIES}\n2016-01-01,1\n2016-02-30,1\n`, 3, 'bad CPI row "2016-02-30,1"'],
    ['a value that is not a number', `DATE,${SERIES}\n2016-01-01,n/a\n`, 2, 'bad CPI row "2016-01-01,n/a"'],
    ['an extra column', `DATE,${SERIES}\n2016-01-01,1,2\n`, 2, 'bad CPI row'],
    ['dates out of order', `DATE,${SERIES}\n2016-02-01,1\n2016-01-01,1\n`, 3, 'CPI dates out of order: 2016-01-01 after 2016-02-01'],
    ['a blank line inside the data', `DATE,${SERIES}\n2016-01-01,1\n\n2016-02-01,1\n`, 3, 'blank line inside the CPI data'],
    ['no observations', `DATE,${SERIES}\n`, 1, 'no observations in the CPI file'],
    ['an empty file', '', 1, 'empty CPI file'],
    ['a line with no end', `DATE,${SERIES}\n2016-01-01,${'1'.repeat(5000)}`, 2, 'line longer than 1024 bytes'],
  ])('rejects %s with a DataError naming the line, and writes nothing', async (_case, content, line, message) => {
    const file = await csvFile(content);
    const lake = await fileLake();
    const failure = extract(lake, 'run-bad', file);
    await expect(failure).rejects.toBeInstanceOf(DataError);
    await expect(failure).rejects.toThrow(message);
    await expect(failure).rejects.toMatchObject({ context: { object: file, line } });
    expect(await lake.list('')).toEqual([]);
  });

  it('keeps the validation error when an S3 upload is aborted by it', async () => {
    const lake = await freshS3Lake('cpi-bad');
    const file = await csvFile(`DATE,${SERIES}\n2016-01-01,1\n2016-13-01,1\n`);
    const failure = extract(lake, 'run-bad', file);
    await expect(failure).rejects.toBeInstanceOf(DataError);
    await expect(failure).rejects.toMatchObject({ context: { line: 3 } });
    expect(await lake.list('')).toEqual([]);
  });

  it('validates its configuration before any download', async () => {
    const requestsBefore = fred.requests.length;
    await expect(readExtractCpiConfig(argsFor('CPIAUCSL'))).rejects.toThrow(
      `--cpi-source names series CPIAUCSL but --cpi-series expects ${SERIES}`,
    );
    await expect(readExtractCpiConfig(argsFor(SERIES, { 'cpi-series': '../x' }))).rejects.toBeInstanceOf(UsageError);
    await expect(readExtractCpiConfig(argsFor(SERIES, { 'fred-url': 'https://example.org/x.csv' }))).rejects.toThrow(
      '--fred-url must contain {series}',
    );
    await expect(readExtractCpiConfig(argsFor('/no/such/file.csv'))).rejects.toBeInstanceOf(UsageError);
    expect(fred.requests.length).toBe(requestsBefore);
    expect(fredSeriesUrl(DEFAULT_FRED_URL, SERIES)).toBe(`https://fred.stlouisfed.org/graph/fredgraph.csv?id=${SERIES}`);
  });
});

describe('extract-cpi CLI', () => {
  it('reads its flags from MOVALYTICS_* and prints the result as the last stdout line', async () => {
    fred.dateHeader = 'observation_date';
    const lake = await fileLake();
    const run = await runCli(cli, ['extract-cpi', '--run-id', 'run-cli'], {
      MOVALYTICS_LAKE: lake.url,
      MOVALYTICS_CPI_SOURCE: SERIES,
      MOVALYTICS_FRED_URL: fred.fredUrlTemplate,
    });
    expect(run.code).toBe(0);
    expect(run.result).toMatchObject({
      task: 'extract-cpi',
      run_id: 'run-cli',
      status: 'success',
      object: `raw/cpi/run-cli/${SERIES}.csv`,
      observations: 138,
      manifest: 'manifests/extract-cpi/run-cli.json',
    });
    expect((await bytesOf(await lake.get(`raw/cpi/run-cli/${SERIES}.csv`))).equals(withDateHeader(sample, 'observation_date'))).toBe(true);
  });

  it('exits 65 with one error line naming the found and expected series', async () => {
    const lake = await fileLake();
    const run = await runCli(cli, ['extract-cpi', '--cpi-source', fred.csvUrl('CPIAUCSL'), '--lake', lake.url, '--run-id', 'run-wrong']);
    expect(run.code).toBe(ExitCode.badData);
    expect(run.errorLines).toHaveLength(1);
    expect(run.errorLines[0]).toContain(`wrong CPI series: the file holds CPIAUCSL, expected ${SERIES}`);
    expect(run.result).toMatchObject({ status: 'failed', exit_code: 65 });
    expect(await lake.list('')).toEqual([]);
  });

  it('exits 2 naming the URL when FRED does not know the series', async () => {
    const run = await runCli(cli, [
      'extract-cpi',
      '--cpi-source',
      'NOSUCHSERIES',
      '--cpi-series',
      'NOSUCHSERIES',
      '--fred-url',
      fred.fredUrlTemplate,
      '--lake',
      (await fileLake()).url,
    ]);
    expect(run.code).toBe(ExitCode.usage);
    expect(run.errorLines).toHaveLength(1);
    expect(run.errorLines[0]).toContain('FRED series NOSUCHSERIES not found (HTTP 404');
    expect(run.result).toMatchObject({ status: 'failed', exit_code: 2 });
  });
});
