-- How much of the data the answers rest on: loaded movies, and the ratings ledger (DESIGN.md
-- section 5) of the most recent ratings load: every rating row read, in exactly one bucket by the
-- first rule that applies (rejected, unmapped, not loaded, superseded, analysed). Analysed is what
-- the model holds, counted in rated-movies-and-genres.sql from its per-movie aggregate (one scan of
-- the ratings fewer); the quality check ratings_ledger_balances fails when the buckets do not sum
-- to the rows read.
WITH latest AS ({{latest_ratings_load}}),
stats AS (
  SELECT s.metric, s.value
  FROM {{load_stats}} AS s
  JOIN latest AS l ON l.run_id = s.run_id
  WHERE s.dataset = 'ratings'
)
SELECT
  (SELECT COUNT(*) FROM {{movies}}) AS movies,
  (SELECT MAX(run_id) FROM latest) AS ratings_run_id,
  (SELECT MAX(value) FROM stats WHERE metric = 'ratings_total') AS ratings_total,
  -- A load recorded before the ledger had its five buckets counted its rejects by reason only,
  -- the ratings of unloaded movies as unmapped, and its superseded ratings as duplicates.
  (SELECT COALESCE(MAX(CASE WHEN metric = 'ratings_rejected' THEN value END), SUM(CASE WHEN metric IN ('rejected_unparsable', 'rejected_out_of_range', 'rejected_not_half_step') THEN value END))
    FROM stats) AS ratings_rejected,
  (SELECT MAX(value) FROM stats WHERE metric = 'ratings_unmapped') AS ratings_unmapped,
  (SELECT MAX(value) FROM stats WHERE metric = 'ratings_not_loaded') AS ratings_not_loaded,
  (SELECT COALESCE(MAX(CASE WHEN metric = 'ratings_superseded' THEN value END), MAX(CASE WHEN metric = 'ratings_duplicates' THEN value END))
    FROM stats) AS ratings_superseded
