/**
 * Streams one source file into the lake unchanged, counting its bytes and sha256 on the way.
 * When the source fails (a corrupt zip entry, a CRC mismatch), that error is the one reported,
 * whatever error the lake's upload turned it into.
 */
import { createHash } from 'node:crypto';
import { finished, Transform, type Readable, type TransformCallback } from 'node:stream';
import type { Lake } from '../core/lake/lake';
import type { Logger } from '../core/log';

export interface CopiedObject {
  bytes: number;
  sha256: string;
  seconds: number;
}

const PROGRESS_INTERVAL_MS = 5000;

export async function copyToLake(lake: Lake, key: string, source: Readable, logger: Logger): Promise<CopiedObject> {
  const digest = new Digest(key, logger);
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

class Digest extends Transform {
  bytes = 0;
  private readonly hash = createHash('sha256');
  private readonly startedAt = Date.now();
  private lastLogAt = this.startedAt;

  constructor(
    private readonly key: string,
    private readonly logger: Logger,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    this.hash.update(chunk);
    const now = Date.now();
    if (now - this.lastLogAt >= PROGRESS_INTERVAL_MS) {
      this.lastLogAt = now;
      this.logger.info(`copying ${this.key}`, { bytes: this.bytes, megabytesPerSecond: rate(this.bytes, this.seconds()) });
    }
    callback(null, chunk);
  }

  seconds(): number {
    return Math.max((Date.now() - this.startedAt) / 1000, 0.001);
  }

  sha256(): string {
    return this.hash.digest('hex');
  }
}

export function rate(bytes: number, seconds: number): number {
  return Math.round((bytes / 1e6 / seconds) * 100) / 100;
}
