/**
 * Opens `--cpi-source` as one byte stream: a local file as it is; a FRED series or a URL by first
 * streaming the download to a temporary file (retried as a whole on faults; removed on close).
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { displayUrl } from '../core/display-url';
import { downloadToFile } from '../core/http';
import type { Logger } from '../core/log';
import type { ExtractCpiConfig } from './config';

export type CpiOrigin =
  | { kind: 'fred'; series: string; url: string; download: { bytes: number; sha256: string } }
  | { kind: 'url'; url: string; download: { bytes: number; sha256: string } }
  | { kind: 'file'; path: string };

export interface CpiInput {
  origin: CpiOrigin;
  /** What error messages name: the file or the URL. */
  object: string;
  /** The file's name at its source, recorded in the manifest. */
  sourceFile: string;
  open(): Readable;
  close(): Promise<void>;
}

export async function openCpiSource(config: ExtractCpiConfig, logger: Logger): Promise<CpiInput> {
  const { source } = config;
  if (source.kind === 'file') {
    return {
      origin: { kind: 'file', path: source.path },
      object: source.path,
      sourceFile: path.basename(source.path),
      open: () => createReadStream(source.path),
      close: async () => undefined,
    };
  }
  const url = displayUrl(source.url);
  const what = source.kind === 'fred' ? `FRED series ${config.series}` : url;
  const directory = await mkdtemp(path.join(config.tempDir, 'movalytics-extract-cpi-'));
  const removeDirectory = () => rm(directory, { recursive: true, force: true });
  try {
    const file = path.join(directory, 'cpi.csv');
    logger.info(`downloading ${what}`, { url });
    const download = await downloadToFile({ url: source.url, what }, file, config.http, logger);
    const digest = { bytes: download.bytes, sha256: download.sha256 };
    return {
      origin:
        source.kind === 'fred'
          ? { kind: 'fred', series: config.series, url, download: digest }
          : { kind: 'url', url, download: digest },
      object: url,
      sourceFile: url,
      open: () => createReadStream(file),
      close: removeDirectory,
    };
  } catch (error) {
    await removeDirectory();
    throw error;
  }
}
