/**
 * The tables of the warehouse model (created by `sql/migrations/`), as SQL files may name them in
 * `{{…}}` placeholders. A placeholder that is neither one of these nor given by the caller is an
 * error, so a typo cannot silently become a table name.
 */
import { MODEL_TABLE_CONTRACTS } from '../staged';

/** One model table per staged dataset, plus the ratings fact table. */
export const MODEL_DATA_TABLES: readonly string[] = MODEL_TABLE_CONTRACTS.map((contract) => contract.name);

/**
 * Bookkeeping tables: applied migrations, per-run load statistics, and the summaries the ratings
 * load writes beside the ratings (tasks/core/warehouse/ratings-summaries.ts).
 */
export const BOOKKEEPING_TABLES = ['schema_migrations', 'load_stats', 'ratings_by_movie', 'ratings_users_by_genre'] as const;

export const MODEL_TABLES: readonly string[] = [...MODEL_DATA_TABLES, ...BOOKKEEPING_TABLES];

export function isModelTable(name: string): boolean {
  return MODEL_TABLES.includes(name);
}
