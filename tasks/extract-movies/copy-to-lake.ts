/**
 * Streams one source file into the lake unchanged, counting its bytes and sha256 on the way.
 * When the source fails (a corrupt zip entry, a CRC mismatch), that error is the one reported,
 * whatever error the lake's upload turned it into.
 */
import { finished, type Readable } from 'node:stream';
import { ByteMeter } from '../core/byte-meter';
import type { Lake } from '../core/lake/lake';
import type { Logger } from '../core/log';

export interface CopiedObject {
  bytes: number;
  sha256: string;
  seconds: number;
}

export async function copyToLake(lake: Lake, key: string, source: Readable, logger: Logger): Promise<CopiedObject> {
  const digest = new ByteMeter(`copying ${key}`, logger);
  let sourceFailure: unknown;
  source.on('error', (error) => {
    sourceFailure ??= error;
    digest.destroy(error);
  });
  // If the lake gives up first, stop reading the source too (closes its file descriptor).
  finished(digest, () => source.destroy());
  source.pipe(digest);
  try {
    await lake.put(key, digest);
  } catch (error) {
    throw sourceFailure ?? error;
  }
  return { bytes: digest.bytes, sha256: digest.sha256(), seconds: digest.seconds() };
}

export function rate(bytes: number, seconds: number): number {
  return Math.round((bytes / 1e6 / seconds) * 100) / 100;
}
