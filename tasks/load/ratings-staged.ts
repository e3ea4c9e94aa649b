/**
 * The checked ratings as staged objects (gzip CSV parts, the staged conventions of staged.ts), for
 * a warehouse that reads the lake rather than a stream from the task: Redshift COPYs the parts from
 * S3 with one manifest, each part on a slice of its own (a gzip file is read by one slice). The
 * shards of a sharded load stage theirs beside each other, and the commit COPYs them all at once.
 */
import type { Lake } from '../core/lake/lake';
import type { Shard } from '../core/shard';
import { DEFAULT_PART_LIMITS, deleteStagedParts, StagedDatasetWriter } from '../core/lake/staged-writer';
import type { RowBatch } from '../core/warehouse/typed-rows';
import { RATING_COLUMNS, RATING_WIDTH } from './ratings-reader';

export const STAGED_RATINGS_HEADER = RATING_COLUMNS.map((column) => column.name);
const WIDTH = RATING_WIDTH;

export interface StageOptions {
  /** Rows per part (the transforms' default). */
  partRows?: number;
  /** One shard's rows (ratings-shard.ts): `part-IIofNN-NNNNN.csv.gz`, and only that shard's earlier parts removed. */
  shard?: Shard;
}

/**
 * Writes the batches as `staged/<dataset>/<run_id>/part-NNNNN.csv.gz`, cut as the transforms cut
 * theirs, after removing the parts of an earlier attempt; returns the keys written.
 */
export async function stageRatings(lake: Lake, dataset: string, runId: string, batches: AsyncIterable<RowBatch>, options: StageOptions = {}): Promise<string[]> {
  await deleteStagedParts(lake, dataset, runId, options.shard);
  const limits = { ...DEFAULT_PART_LIMITS, rows: options.partRows ?? DEFAULT_PART_LIMITS.rows };
  const writer = new StagedDatasetWriter(lake, { name: dataset, columns: RATING_COLUMNS }, runId, limits, options.shard);
  try {
    for await (const batch of batches) {
      for (let row = 0; row < batch.rows; row++) writer.write(csvValues(batch.values, row * WIDTH));
      if (writer.needsSettle) await writer.settle();
    }
    return (await writer.close()).objects;
  } catch (error) {
    await writer.abort(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
}

const SECONDS_PER_DAY = 86_400;
/** `YYYY-MM-DD` by day since 1970 and `HH:MM:SS` by second of the day, made once each: toISOString per row is slow. */
const dayText: string[] = [];
const timeOfDay: string[] = [];

/** user, movie, MovieLens id, rating (3.5) and time (`YYYY-MM-DD HH:MM:SS`, UTC) as text. */
function csvValues(values: Float64Array, at: number): string[] {
  return [String(values[at]), String(values[at + 1]), String(values[at + 2]), ((values[at + 3] as number) / 10).toFixed(1), timestampText(values[at + 4] as number)];
}

function timestampText(epoch: number): string {
  const day = Math.floor(epoch / SECONDS_PER_DAY);
  const second = epoch - day * SECONDS_PER_DAY;
  // Ratings are dated 1970 to today: a day index stays small (a timestamp is never negative here).
  const date = (dayText[day] ??= new Date(day * SECONDS_PER_DAY * 1000).toISOString().slice(0, 10));
  const time = (timeOfDay[second] ??= new Date(second * 1000).toISOString().slice(11, 19));
  return `${date} ${time}`;
}
