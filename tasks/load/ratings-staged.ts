/**
 * The checked ratings as a staged object (gzip CSV, the staged conventions of staged.ts), for a
 * warehouse that reads the lake rather than a stream from the task (Redshift COPYs it from S3).
 */
import type { Lake } from '../core/lake/lake';
import type { RowBatch } from '../core/warehouse/typed-rows';
import { GzipCsvObject } from '../transform/gzip-csv-object';
import { RATING_ROW_VALUES } from './ratings-reader';

export const STAGED_RATINGS_HEADER = ['user_id', 'movie_id', 'movielens_id', 'rating', 'rated_at'] as const;
const WIDTH = RATING_ROW_VALUES.length;

export async function stageRatings(lake: Lake, key: string, batches: AsyncIterable<RowBatch>, onBatch: (batch: RowBatch) => void): Promise<void> {
  const object = new GzipCsvObject(lake, key, STAGED_RATINGS_HEADER);
  try {
    for await (const batch of batches) {
      for (let row = 0; row < batch.rows; row++) object.write(csvValues(batch.values, row * WIDTH));
      onBatch(batch);
      if (object.needsDrain) await object.drain();
    }
  } catch (error) {
    await object.abort(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
  await object.close();
}

/** user, movie, MovieLens id, rating (3.5) and time (`YYYY-MM-DD HH:MM:SS`, UTC) as text. */
function csvValues(values: Float64Array, at: number): string[] {
  const epoch = values[at + 4] as number;
  return [
    String(values[at]),
    String(values[at + 1]),
    String(values[at + 2]),
    ((values[at + 3] as number) / 10).toFixed(1),
    new Date(epoch * 1000).toISOString().slice(0, 19).replace('T', ' '),
  ];
}
