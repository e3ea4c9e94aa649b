/**
 * Writes one staged dataset of one run as gzip CSV parts `staged/<dataset>/<run_id>/part-NNNNN.csv.gz`
 * with the contract's header and column order: the transforms' outputs, and the checked ratings
 * that the load stages for Redshift. A new part starts above a row or byte threshold, so
 * Redshift can COPY the parts in parallel. A dataset with no rows still gets `part-00000` (header
 * only), so the load always finds its input.
 */
import type { Lake } from './lake';
import { layout } from './layout';
import type { Shard } from '../shard';
import type { StagedDataset } from '../staged';
import { GzipCsvObject, type CsvValue } from './gzip-csv-object';

export interface PartLimits {
  /** Rows per part (default 1,000,000). */
  rows: number;
  /** Uncompressed bytes per part (default 256 MiB). */
  bytes: number;
}

export const DEFAULT_PART_LIMITS: PartLimits = { rows: 1_000_000, bytes: 256 * 1024 * 1024 };

/**
 * Deletes the parts of a dataset a run staged before (an earlier attempt's); returns how many.
 * With a shard, only that shard's parts (its neighbours may be running).
 */
export async function deleteStagedParts(lake: Lake, dataset: string, runId: string, shard?: Shard): Promise<number> {
  const parts = await lake.list(shard ? layout.stagedShardPrefix(dataset, runId, shard) : layout.stagedPrefix(dataset, runId));
  for (const part of parts) await lake.delete(part.key);
  return parts.length;
}

/** What the writer needs of a dataset: its name (the lake prefix) and its columns (the header). */
export type StagedShape = Pick<StagedDataset, 'name'> & { columns: ReadonlyArray<{ name: string }> };

export interface StagedOutput {
  rows: number;
  objects: string[];
}

/**
 * Rows are written synchronously (one call per row, no promise per row); the caller awaits
 * `settle()` once per source record when `needsSettle` says so. A part is ended as soon as a row
 * would go past a limit, so parts hold exactly the rows they would if each write were awaited.
 */
export class StagedDatasetWriter {
  private part: GzipCsvObject;
  private partNumber = 0;
  /** Parts ended by `write` whose upload `settle()` has not yet seen finish, oldest first. */
  private readonly ending: Array<{ part: GzipCsvObject; stored: Promise<number> }> = [];
  private readonly closedObjects: string[] = [];
  private closedRows = 0;
  private readonly header: string[];

  constructor(
    private readonly lake: Lake,
    readonly dataset: StagedShape,
    private readonly runId: string,
    private readonly limits: PartLimits = DEFAULT_PART_LIMITS,
    /** A shard's parts carry its name, so neighbouring shards never write the same key. */
    private readonly shard?: Shard,
  ) {
    this.header = dataset.columns.map((column) => column.name);
    this.part = this.openPart();
  }

  /** Values in the contract's column order (see `stagedRow`). */
  write(values: readonly CsvValue[]): void {
    if (this.part.rows >= this.limits.rows || this.part.bytes >= this.limits.bytes) this.startNextPart();
    this.part.write(values);
  }

  /** True when `settle()` has something to wait for (an ended part, or a compressor that is full). */
  get needsSettle(): boolean {
    return this.ending.length > 0 || this.part.needsDrain;
  }

  /** Waits until the parts ended so far are stored whole and the current part can take more rows. */
  async settle(): Promise<void> {
    for (let ended = this.ending[0]; ended; ended = this.ending[0]) {
      await ended.stored;
      this.ending.shift();
      this.recordClosed(ended.part);
    }
    if (this.part.needsDrain) await this.part.drain();
  }

  async close(): Promise<StagedOutput> {
    await this.settle();
    await this.part.close();
    this.recordClosed(this.part);
    return { rows: this.closedRows, objects: [...this.closedObjects] };
  }

  /** Gives up the parts being written or stored (parts already stored stay: the caller deletes them). */
  async abort(reason: Error): Promise<void> {
    const parts = [...this.ending.splice(0).map((ended) => ended.part), this.part];
    await Promise.all(parts.map((part) => part.abort(reason)));
  }

  private openPart(): GzipCsvObject {
    const key = this.shard
      ? layout.stagedShard(this.dataset.name, this.runId, this.shard, this.partNumber)
      : layout.staged(this.dataset.name, this.runId, this.partNumber);
    return new GzipCsvObject(this.lake, key, this.header);
  }

  private startNextPart(): void {
    const stored = this.part.close();
    // Waited for by settle(); until then a failed upload must not count as an unhandled rejection.
    stored.catch(() => undefined);
    this.ending.push({ part: this.part, stored });
    this.partNumber++;
    this.part = this.openPart();
  }

  private recordClosed(part: GzipCsvObject): void {
    this.closedObjects.push(part.key);
    this.closedRows += part.rows;
  }
}
