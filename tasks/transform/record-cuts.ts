/**
 * Where a shard of a CSV object starts and ends: at record boundaries, found from the byte
 * `N`-th of the object's size (core/shard.ts `nominalStart`).
 *
 * In RFC 4180 CSV (what Python's csv module writes) a LF ends a record exactly when the `"` bytes
 * before it are even in number: an odd count means the LF is inside a quoted field. That parity is
 * a property of the whole prefix, so a shard counts the quote bytes from the start of the object
 * (Buffer.indexOf over raw bytes: no decoding, no parsing) up to its first boundary at or after its
 * nominal start. Neighbours compute the same boundary for the same nominal position, so their
 * shares meet exactly. Line breaks (LF, CRLF, lone CR, as the reader counts them) are counted on
 * the way, so the shard's rejects name the physical lines of the whole file.
 *
 * A quote inside an unquoted field (not RFC 4180, which Python's writer never produces) would
 * throw the parity off; the shard's reader then meets a quoted field open at its end and fails.
 */
import type { Lake } from '../core/lake/lake';
import { nominalStart, type Shard } from '../core/shard';

export interface RecordCut {
  /** Byte where a record starts (the object's size for "no record after it"). */
  offset: number;
  /** Physical line (1-based) at that byte. */
  line: number;
}

export interface ShardRange {
  start: RecordCut;
  /** Exclusive: the next shard's start. */
  end: number;
  /** Bytes read to find the cuts (the prefix scan). */
  scanned: number;
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** The byte range of `shard` in an object of `size` bytes, its first line, and the bytes scanned. */
export async function shardRange(lake: Lake, key: string, size: number, shard: Shard): Promise<ShardRange> {
  // Shard 1 takes the header; any later shard starts past the first line break, never at byte 0.
  const cutAt = (index: number): number | undefined =>
    index === 1 ? undefined : index > shard.count ? undefined : Math.max(1, nominalStart(size, index, shard.count));
  const startTarget = cutAt(shard.index);
  const endTarget = cutAt(shard.index + 1);
  const targets = [startTarget, endTarget].filter((target): target is number => target !== undefined);
  const scan = targets.length === 0 ? { cuts: [], scanned: 0 } : await findCuts(lake, key, size, targets);
  const start = startTarget === undefined ? { offset: 0, line: 1 } : (scan.cuts[0] as RecordCut);
  const end = endTarget === undefined ? size : (scan.cuts.at(-1) as RecordCut).offset;
  return { start, end, scanned: scan.scanned };
}

/** For each target (ascending), the first record boundary at or after it; reads no further than the last. */
async function findCuts(lake: Lake, key: string, size: number, targets: readonly number[]): Promise<{ cuts: RecordCut[]; scanned: number }> {
  const counter = new BreakCounter();
  const cuts: RecordCut[] = [];
  if (size === 0) return { cuts: targets.map(() => ({ offset: 0, line: 1 })), scanned: 0 };
  const input = await lake.get(key, { start: 0, end: size });
  let scanned = 0;
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      scanned += chunk.length;
      counter.scan(chunk, (cut) => {
        while (cuts.length < targets.length && cut.offset >= (targets[cuts.length] as number)) cuts.push(cut);
        return cuts.length === targets.length;
      });
      if (cuts.length === targets.length) return { cuts, scanned };
    }
  } finally {
    input.destroy();
  }
  // No boundary after a target: the shard from it on is empty.
  const end = { offset: size, line: counter.lineAtEnd() };
  while (cuts.length < targets.length) cuts.push(end);
  return { cuts, scanned };
}

/**
 * Quote parity and line breaks over a stream of chunks; reports every LF outside quotes. Each kind
 * of byte is searched once per chunk (three cursors), so the scan runs at memchr speed.
 */
class BreakCounter {
  private offset = 0;
  private quotes = 0;
  private breaks = 0;
  /** The last chunk ended in CR: a line break of its own unless the next chunk starts with LF. */
  private pendingCr = false;

  /** `onBoundary` returns true to stop scanning. */
  scan(chunk: Buffer, onBoundary: (cut: RecordCut) => boolean): void {
    if (this.pendingCr && chunk[0] !== LF) this.breaks++;
    this.pendingCr = false;
    let quote = chunk.indexOf(QUOTE);
    let cr = chunk.indexOf(CR);
    for (let from = 0; ; ) {
      const lf = chunk.indexOf(LF, from);
      const stop = lf < 0 ? chunk.length : lf;
      for (; quote >= 0 && quote < stop; quote = chunk.indexOf(QUOTE, quote + 1)) this.quotes++;
      for (; cr >= 0 && cr < stop; cr = chunk.indexOf(CR, cr + 1)) {
        if (cr + 1 === chunk.length) this.pendingCr = true;
        else if (chunk[cr + 1] !== LF) this.breaks++;
      }
      if (lf < 0) break;
      this.breaks++;
      from = lf + 1;
      if (this.quotes % 2 === 0 && onBoundary({ offset: this.offset + from, line: this.breaks + 1 })) return;
    }
    this.offset += chunk.length;
  }

  lineAtEnd(): number {
    return this.breaks + (this.pendingCr ? 1 : 0) + 1;
  }
}
