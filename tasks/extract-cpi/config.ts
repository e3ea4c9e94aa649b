/**
 * Configuration of `movalytics extract-cpi`, read once in the command's entry: what `--cpi-source`
 * names (a FRED series id, an http(s) URL, a local file) and which series the file must hold.
 */
import { stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Options } from 'yargs';
import type { CommonArgs } from '../core/config';
import { UsageError } from '../core/errors';
import { displayUrl } from '../core/display-url';
import { httpOptions, readHttpConfig, type HttpArgs, type HttpConfig } from '../core/http';

/** Consumer Price Index: admission to movies, theaters and concerts, U.S. city average, monthly. */
export const DEFAULT_CPI_SERIES = 'CUSR0000SS62031';
/** FRED's CSV download; `{series}` is replaced by the series id. */
export const DEFAULT_FRED_URL = 'https://fred.stlouisfed.org/graph/fredgraph.csv?id={series}';
const SERIES_PLACEHOLDER = '{series}';

export const extractCpiOptions = {
  'cpi-source': {
    type: 'string',
    default: DEFAULT_CPI_SERIES,
    describe: 'The CPI: a FRED series id (downloaded from --fred-url), an http(s) URL of the CSV, or a local CSV file',
  },
  'cpi-series': {
    type: 'string',
    default: DEFAULT_CPI_SERIES,
    describe: 'The series the CSV must hold (its second header column); also the raw object name',
  },
  'fred-url': {
    type: 'string',
    default: DEFAULT_FRED_URL,
    describe: `FRED download URL template; ${SERIES_PLACEHOLDER} is replaced by the series id`,
  },
  ...httpOptions,
} satisfies Record<string, Options>;

export interface ExtractCpiArgs extends CommonArgs, HttpArgs {
  'cpi-source': string;
  'cpi-series': string;
  'fred-url': string;
}

export type CpiSource = { kind: 'fred' | 'url'; url: string } | { kind: 'file'; path: string };

export interface ExtractCpiConfig {
  source: CpiSource;
  series: string;
  http: HttpConfig;
  tempDir: string;
}

/** FRED series ids: capitals, digits and underscores (e.g. CUSR0000SS62031, CPIAUCSL). */
const SERIES_ID = /^[A-Z0-9][A-Z0-9_]{0,63}$/;

export async function readExtractCpiConfig(args: ExtractCpiArgs): Promise<ExtractCpiConfig> {
  const series = checkSeries('cpi-series', args['cpi-series']);
  return {
    source: await resolveCpiSource(args['cpi-source'], series, args['fred-url']),
    series,
    http: readHttpConfig(args),
    tempDir: tmpdir(),
  };
}

export async function resolveCpiSource(value: string, series: string, fredUrl: string): Promise<CpiSource> {
  const text = value.trim();
  if (text === '') throw new UsageError('--cpi-source is empty');
  if (/^https?:\/\//i.test(text)) return { kind: 'url', url: text };
  if (text.startsWith('file://')) return existingFile(fileURLToPath(text));
  if (text.includes('://')) throw new UsageError(`--cpi-source "${displayUrl(text)}": only http(s) and file URLs are supported`);
  const local = await stat(path.resolve(text)).catch(() => undefined);
  if (local) return existingFile(path.resolve(text));
  if (!SERIES_ID.test(text)) {
    throw new UsageError(`--cpi-source "${text}" is not an existing file, an http(s) URL, or a FRED series id`);
  }
  if (text !== series) {
    throw new UsageError(`--cpi-source names series ${text} but --cpi-series expects ${series}: make them agree`);
  }
  return { kind: 'fred', url: fredSeriesUrl(fredUrl, text) };
}

export function fredSeriesUrl(template: string, series: string): string {
  if (!template.includes(SERIES_PLACEHOLDER)) {
    throw new UsageError(`--fred-url must contain ${SERIES_PLACEHOLDER}, e.g. ${DEFAULT_FRED_URL}`);
  }
  if (!/^https?:\/\//i.test(template)) throw new UsageError(`--fred-url must be an http(s) URL, got "${template}"`);
  return template.split(SERIES_PLACEHOLDER).join(encodeURIComponent(series));
}

function checkSeries(flag: string, value: string): string {
  if (!SERIES_ID.test(value)) {
    throw new UsageError(`--${flag} "${value}" is not a FRED series id (capital letters, digits, underscores)`);
  }
  return value;
}

async function existingFile(file: string): Promise<CpiSource> {
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) throw new UsageError('--cpi-source: no such file', { object: file });
  return { kind: 'file', path: file };
}
