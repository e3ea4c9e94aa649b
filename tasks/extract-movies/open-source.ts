/**
 * Opens `--movies-source` as a set of files: a folder as it is, a local zip through yauzl, and a
 * Kaggle dataset or URL by first streaming the zip to a temporary file (removed on close, and on
 * any failure before that).
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { displayUrl } from '../core/display-url';
import { downloadToFile, type DownloadRequest } from '../core/http';
import type { Logger } from '../core/log';
import type { ExtractMoviesConfig, MoviesSource } from './config';
import { openFolder } from './folder-files';
import type { SourceFiles, SourceOrigin } from './source-files';
import { openZipArchive } from './zip-archive';

export async function openMoviesSource(config: ExtractMoviesConfig, logger: Logger): Promise<SourceFiles> {
  const { source } = config;
  switch (source.kind) {
    case 'folder':
      return openFolder(source.path);
    case 'zip': {
      const archive = await openZipArchive(source.path, source.path);
      const { size } = await stat(source.path);
      return { ...archive, origin: { kind: 'zip', path: source.path, archive: { bytes: size } }, object: source.path };
    }
    case 'kaggle':
    case 'url':
      return openDownloadedZip(source, config, logger);
  }
}

async function openDownloadedZip(
  source: Extract<MoviesSource, { kind: 'kaggle' | 'url' }>,
  config: ExtractMoviesConfig,
  logger: Logger,
): Promise<SourceFiles> {
  const request = downloadRequest(source);
  const directory = await mkdtemp(path.join(config.tempDir, 'movalytics-extract-movies-'));
  const removeDirectory = () => rm(directory, { recursive: true, force: true });
  try {
    const file = path.join(directory, 'dataset.zip');
    logger.info(`downloading ${request.what}`, { url: displayUrl(request.url) });
    const download = await downloadToFile(request, file, config.http, logger);
    logger.info(`downloaded ${request.what}`, { bytes: download.bytes, sha256: download.sha256, attempts: download.attempts });
    const archive = await openZipArchive(file, displayUrl(source.url));
    const digest = { bytes: download.bytes, sha256: download.sha256 };
    const origin: SourceOrigin =
      source.kind === 'kaggle'
        ? { kind: 'kaggle', dataset: source.dataset, url: source.url, archive: digest }
        : { kind: 'url', url: displayUrl(source.url), archive: digest };
    return {
      ...archive,
      origin,
      object: displayUrl(source.url),
      close: async () => {
        await archive.close();
        await removeDirectory();
      },
    };
  } catch (error) {
    await removeDirectory();
    throw error;
  }
}

function downloadRequest(source: Extract<MoviesSource, { kind: 'kaggle' | 'url' }>): DownloadRequest {
  if (source.kind === 'url') return { url: source.url, what: displayUrl(source.url) };
  const { username, key } = source.credentials;
  return {
    url: source.url,
    what: `Kaggle dataset ${source.dataset}`,
    auth: {
      username,
      password: key,
      refused: (status) =>
        `Kaggle refused the credentials for user "${username}" (HTTP ${status}) on dataset ${source.dataset}: ` +
        `check the key from ${source.credentials.origin}, and that the account may download this dataset`,
    },
  };
}
