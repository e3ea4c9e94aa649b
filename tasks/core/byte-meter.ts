/**
 * A pass-through stream that counts and hashes the bytes of a copy or download, and logs progress
 * (bytes, MB/s) every few seconds while they flow: one meter for every byte-for-byte copy.
 */
import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import type { Logger } from './log';
import { Progress } from './progress';

export class ByteMeter extends Transform {
  bytes = 0;
  private readonly hash = createHash('sha256');
  private readonly progress: Progress;
  private readonly startedAt = Date.now();

  constructor(label: string, logger: Logger) {
    super();
    this.progress = new Progress(logger, label);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    this.hash.update(chunk);
    this.progress.add(0, chunk.length);
    callback(null, chunk);
  }

  /** The hex sha256 of every byte that passed; call once, after the stream has ended. */
  sha256(): string {
    return this.hash.digest('hex');
  }

  seconds(): number {
    return Math.max((Date.now() - this.startedAt) / 1000, 0.001);
  }
}
