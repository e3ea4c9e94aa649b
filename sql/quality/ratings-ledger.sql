-- The ratings ledger of the most recent ratings load (DESIGN.md section 5), as the report shows
-- it: the rows read minus its five buckets (rejected, unmapped, not loaded and superseded as the
-- load recorded them; analysed as the model holds them). 0 when every row read is accounted for
-- once; a rating lost from the model after the load, or counted twice, makes it non-zero.
WITH latest AS ({{latest_ratings_load}}),
recorded AS (
  SELECT
    SUM(CASE WHEN s.metric = 'ratings_total' THEN s.value ELSE 0 END) AS total,
    -- Rejects by reason (their sum is ratings_rejected), and a load recorded before the ledger had
    -- five buckets: its superseded ratings as ratings_duplicates, no ratings_not_loaded.
    SUM(CASE WHEN s.metric IN (
      'rejected_unparsable', 'rejected_out_of_range', 'rejected_not_half_step',
      'ratings_unmapped', 'ratings_not_loaded', 'ratings_superseded', 'ratings_duplicates'
    ) THEN s.value ELSE 0 END) AS left_out
  FROM {{load_stats}} AS s
  JOIN latest AS l ON l.run_id = s.run_id
  WHERE s.dataset = 'ratings'
)
SELECT
  CAST('ratings: rows read - (rejected + unmapped + not loaded + superseded + analysed)' AS VARCHAR(128)) AS subject,
  r.total - r.left_out - (SELECT COUNT(*) FROM {{ratings}}) AS value
FROM recorded AS r
WHERE EXISTS (SELECT 1 FROM latest)
