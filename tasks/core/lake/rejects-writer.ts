/**
 * The rejects of one transform or ratings-load run: `rejects/<source>/<run_id>/rejects.csv.gz` with columns
 * `line,reason,record` — the physical line where the source record starts, `code: detail`, and the
 * record's original text. The object is created on the first reject only; a run without rejects
 * has none (the manifest then says `rejects_object: null`).
 */
import type { Lake } from './lake';
import type { Shard } from '../shard';
import { layout } from './layout';
import { GzipCsvObject } from './gzip-csv-object';

/** Why a record was rejected: a reason code (counted) and `code: detail` (written). */
export interface Rejection {
  code: string;
  message: string;
}

export const REJECTS_COLUMNS = ['line', 'reason', 'record'] as const;

export class RejectsWriter {
  readonly key: string;
  private object: GzipCsvObject | undefined;
  private readonly counts = new Map<string, number>();
  private readonly bytes = new Map<string, number>();
  total = 0;

  constructor(
    private readonly lake: Lake,
    source: string,
    runId: string,
    shard?: Shard,
  ) {
    this.key = shard ? layout.rejectsShard(source, runId, shard) : layout.rejects(source, runId);
  }

  async write(line: number, rejection: Rejection, record: string): Promise<void> {
    this.object ??= new GzipCsvObject(this.lake, this.key, REJECTS_COLUMNS);
    this.object.write([String(line), rejection.message, record]);
    this.total++;
    this.counts.set(rejection.code, (this.counts.get(rejection.code) ?? 0) + 1);
    this.bytes.set(rejection.code, (this.bytes.get(rejection.code) ?? 0) + Buffer.byteLength(record, 'utf8'));
    if (this.object.needsDrain) await this.object.drain();
  }

  /** Counts per reason code, in code order so reruns write identical manifests. */
  byReason(): Record<string, number> {
    return sortedByCode(this.counts);
  }

  /**
   * Bytes of the rejected records' text per reason code: one record can hold much of a file (a
   * quote that swallows the records after it), which a count of records does not show.
   */
  bytesByReason(): Record<string, number> {
    return sortedByCode(this.bytes);
  }

  /** Gives up the rejects file being written (after a failure). */
  async abort(reason: Error): Promise<void> {
    await this.object?.abort(reason);
  }

  /** Ends the object; returns its key, or null when nothing was rejected. */
  async close(): Promise<string | null> {
    if (!this.object) return null;
    await this.object.close();
    return this.key;
  }
}

function sortedByCode(map: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries([...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
