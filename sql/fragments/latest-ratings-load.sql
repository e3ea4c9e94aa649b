-- The run id of the most recent ratings load, as one row (none before the first): the load whose
-- ledger (DESIGN.md section 5) the report shows and quality-check balances. SQL files use it as
-- `WITH latest AS ({{latest_ratings_load}})`.
SELECT run_id FROM {{load_stats}}
WHERE dataset = 'ratings'
ORDER BY recorded_at DESC, run_id DESC
LIMIT 1
