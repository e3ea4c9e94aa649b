/**
 * Writes one staged dataset of one run as gzip CSV parts `staged/<dataset>/<run_id>/part-NNNNN.csv.gz`
 * with the contract's header and column order. A new part starts above a row or byte threshold, so
 * Redshift can COPY the parts in parallel. A dataset with no rows still gets `part-00000` (header
 * only), so the load always finds its input.
 */
import type { Lake } from '../core/lake/lake';
import { layout } from '../core/lake/layout';
import type { StagedDataset } from '../core/staged';
import { GzipCsvObject, type CsvValue } from './gzip-csv-object';

export interface PartLimits {
  /** Rows per part (default 1,000,000). */
  rows: number;
  /** Uncompressed bytes per part (default 256 MiB). */
  bytes: number;
}

export const DEFAULT_PART_LIMITS: PartLimits = { rows: 1_000_000, bytes: 256 * 1024 * 1024 };

export interface StagedOutput {
  rows: number;
  objects: string[];
}

export class StagedDatasetWriter {
  private part: GzipCsvObject;
  private partNumber = 0;
  private readonly closedObjects: string[] = [];
  private closedRows = 0;
  private readonly header: string[];

  constructor(
    private readonly lake: Lake,
    readonly dataset: StagedDataset,
    private readonly runId: string,
    private readonly limits: PartLimits = DEFAULT_PART_LIMITS,
  ) {
    this.header = dataset.columns.map((column) => column.name);
    this.part = this.openPart();
  }

  /** Values in the contract's column order (see `stagedRow`). */
  async write(values: readonly CsvValue[]): Promise<void> {
    if (this.part.rows >= this.limits.rows || this.part.bytes >= this.limits.bytes) {
      await this.closePart();
      this.partNumber++;
      this.part = this.openPart();
    }
    this.part.write(values);
    if (this.part.needsDrain) await this.part.drain();
  }

  async close(): Promise<StagedOutput> {
    await this.closePart();
    return { rows: this.closedRows, objects: [...this.closedObjects] };
  }

  /** Gives up the part being written (parts already closed stay: the caller deletes them). */
  async abort(reason: Error): Promise<void> {
    await this.part.abort(reason);
  }

  private openPart(): GzipCsvObject {
    return new GzipCsvObject(this.lake, layout.staged(this.dataset.name, this.runId, this.partNumber), this.header);
  }

  private async closePart(): Promise<void> {
    await this.part.close();
    this.closedObjects.push(this.part.key);
    this.closedRows += this.part.rows;
  }
}
