/**
 * One gzip member compressed in independent segments on libuv's thread pool, the way pigz does it:
 * each segment is raw-deflated ending in a sync flush (so the segments concatenate into a single
 * deflate stream), the CRC-32 and length of the input are kept on the way, and the compressed
 * segments are written out in order. Any gzip reader reads the result as one ordinary member.
 *
 * Why not a zlib stream: it hands every output chunk back to the main thread before it goes on, so
 * it stalls whenever that thread is busy parsing (measured: the credits transform spent a third of
 * its time waiting on it). A segment compresses start to end on its own thread, and several
 * segments compress at once on the second core while the main thread parses.
 */
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { constants, crc32, deflateRaw, type ZlibOptions } from 'node:zlib';

const deflateRawAsync = promisify<Buffer, ZlibOptions, Buffer>(deflateRaw);

/** Magic, deflate, no flags, no modification time (reruns write the same bytes), Unix. */
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03]);
/** An empty final fixed-Huffman block: what ends the deflate stream. */
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);

export class SegmentedGzip {
  /** The compressed bytes, to hand to whoever stores them. */
  readonly body = new PassThrough({ highWaterMark: 1024 * 1024 });
  private crc = 0;
  private inputBytes = 0;
  /** Per segment not yet written to `body`, oldest first: resolves once it is written. */
  private readonly queued: Array<Promise<void>> = [];
  private lastQueued: Promise<void> = Promise.resolve();
  private readonly stopped: Promise<void>;

  constructor(
    private readonly level: number,
    /**
     * Segments queued (compressing or waiting to be written) before `full` asks the writer to wait:
     * room for the compressor to fall behind for a while when other processes hold the second core.
     */
    private readonly maxQueued = 8,
  ) {
    this.body.write(GZIP_HEADER);
    // A body destroyed by its reader (a failed upload) or by abort() never drains: stop waiting on it.
    this.stopped = once(this.body, 'close').then(() => undefined);
    this.stopped.catch(() => undefined);
  }

  /** True when `drain()` should be awaited before the next segment (bounds the memory held). */
  get full(): boolean {
    return this.queued.length >= this.maxQueued;
  }

  /** Queues one segment of input (not empty) for compression; it is written after the ones before it. */
  write(data: Buffer): void {
    this.crc = crc32(data, this.crc);
    this.inputBytes += data.length;
    const compressed = deflateRawAsync(data, {
      level: this.level,
      // The largest hash table: faster and no bigger output on the staged CSV (measured: level 3
      // took 1.94 s on the full-scale credits output with memLevel 8, 1.67 s with 9; 384 KiB per segment).
      memLevel: 9,
      finishFlush: constants.Z_SYNC_FLUSH,
      // Room for the whole output in one pass, even for input that does not compress.
      chunkSize: Math.max(64 * 1024, data.length + (data.length >> 8) + 64),
    });
    compressed.catch(() => undefined);
    const written = this.lastQueued.then(async () => this.writeOut(await compressed));
    written.catch(() => undefined);
    this.lastQueued = written;
    this.queued.push(written);
  }

  /** Waits until fewer than `maxQueued` segments are queued; throws what stopped them. */
  async drain(): Promise<void> {
    while (this.full) {
      await this.queued[0];
      this.queued.shift();
    }
  }

  /** Writes every queued segment and the gzip trailer, then ends `body`. */
  async end(): Promise<void> {
    await this.lastQueued;
    this.queued.length = 0;
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(this.crc >>> 0, 0);
    trailer.writeUInt32LE(this.inputBytes % 2 ** 32, 4);
    this.body.end(Buffer.concat([FINAL_BLOCK, trailer]));
  }

  /** Gives up: `body` fails with `reason`, so its reader keeps nothing. */
  abort(reason: Error): void {
    this.body.destroy(reason);
  }

  private async writeOut(compressed: Buffer): Promise<void> {
    if (this.body.destroyed) throw new Error('the gzip body was destroyed before it was complete');
    if (this.body.write(compressed)) return;
    await Promise.race([once(this.body, 'drain'), this.stopped]);
    if (this.body.destroyed) throw new Error('the gzip body was destroyed before it was complete');
  }
}
