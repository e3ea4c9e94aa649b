/**
 * Configuration of `movalytics extract-movies`, read once in the command's entry: which kind of
 * source `--movies-source` names, and for a Kaggle dataset the API URL and the credentials.
 * The handler receives the result and never reads the environment.
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
import { findKaggleCredentials, type KaggleCredentials } from './kaggle-credentials';

export const DEFAULT_MOVIES_SOURCE = 'rounakbanik/the-movies-dataset';
export const DEFAULT_KAGGLE_API_URL = 'https://www.kaggle.com/api/v1';

export const extractMoviesOptions = {
  'movies-source': {
    type: 'string',
    default: DEFAULT_MOVIES_SOURCE,
    describe:
      'The Movies Dataset: a Kaggle dataset owner/name, an http(s) URL of its zip, a local zip, ' +
      'or a local folder holding the Kaggle file names',
  },
  'kaggle-api-url': {
    type: 'string',
    default: DEFAULT_KAGGLE_API_URL,
    describe: 'Kaggle API base URL; credentials come from KAGGLE_USERNAME/KAGGLE_KEY or kaggle.json',
  },
  ...httpOptions,
} satisfies Record<string, Options>;

export interface ExtractMoviesArgs extends CommonArgs, HttpArgs {
  'movies-source': string;
  'kaggle-api-url': string;
}

export type MoviesSource =
  | { kind: 'kaggle'; dataset: string; url: string; credentials: KaggleCredentials }
  | { kind: 'url'; url: string }
  | { kind: 'zip'; path: string }
  | { kind: 'folder'; path: string };

export interface ExtractMoviesConfig {
  source: MoviesSource;
  http: HttpConfig;
  /** Where downloads wait while their entries are copied; removed afterwards. */
  tempDir: string;
}

/** `owner/dataset`, as Kaggle spells dataset references. */
const KAGGLE_DATASET = /^[A-Za-z0-9][A-Za-z0-9_-]*\/[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export async function readExtractMoviesConfig(
  args: ExtractMoviesArgs,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ExtractMoviesConfig> {
  return {
    source: await resolveMoviesSource(args['movies-source'], args['kaggle-api-url'], env),
    http: readHttpConfig(args),
    tempDir: tmpdir(),
  };
}

export async function resolveMoviesSource(value: string, kaggleApiUrl: string, env: NodeJS.ProcessEnv): Promise<MoviesSource> {
  const text = value.trim();
  if (text === '') throw new UsageError('--movies-source is empty');
  if (/^https?:\/\//i.test(text)) return { kind: 'url', url: text };
  if (text.startsWith('file://')) return localSource(fileURLToPath(text), true);
  if (text.includes('://')) {
    throw new UsageError(`--movies-source "${displayUrl(text)}": only http(s) and file URLs are supported`);
  }
  const local = await localSource(path.resolve(text), false);
  if (local) return local;
  if (KAGGLE_DATASET.test(text)) {
    return { kind: 'kaggle', dataset: text, url: kaggleDownloadUrl(kaggleApiUrl, text), credentials: await findKaggleCredentials(env) };
  }
  throw new UsageError(
    `--movies-source "${text}" is not an existing file or folder, an http(s) URL, or a Kaggle dataset owner/name`,
  );
}

/** `{api}/datasets/download/{owner}/{dataset}`: Kaggle answers with a redirect to a signed zip URL. */
export function kaggleDownloadUrl(apiUrl: string, dataset: string): string {
  if (!/^https?:\/\//i.test(apiUrl)) throw new UsageError(`--kaggle-api-url must be an http(s) URL, got "${displayUrl(apiUrl)}"`);
  const [owner = '', name = ''] = dataset.split('/');
  return `${apiUrl.replace(/\/+$/, '')}/datasets/download/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`;
}

async function localSource(file: string, mustExist: true): Promise<MoviesSource>;
async function localSource(file: string, mustExist: false): Promise<MoviesSource | undefined>;
async function localSource(file: string, mustExist: boolean): Promise<MoviesSource | undefined> {
  const info = await stat(file).catch(() => undefined);
  if (info?.isDirectory()) return { kind: 'folder', path: file };
  if (info?.isFile()) return { kind: 'zip', path: file };
  if (mustExist) throw new UsageError(`--movies-source: no such file or folder`, { object: file });
  return undefined;
}
