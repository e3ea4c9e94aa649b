-- How much of the data the answers rest on: loaded movies and analysed ratings, with the source
-- counts recorded by the most recent ratings load (rows read, rows without a loaded movie, rows
-- collapsed by the one-rating-per-user-and-movie rule).
WITH latest AS (
  SELECT run_id FROM {{load_stats}}
  WHERE dataset = 'ratings'
  ORDER BY recorded_at DESC, run_id DESC
  LIMIT 1
),
stats AS (
  SELECT s.metric, s.value
  FROM {{load_stats}} AS s
  JOIN latest AS l ON l.run_id = s.run_id
  WHERE s.dataset = 'ratings'
)
SELECT
  (SELECT COUNT(*) FROM {{movies}}) AS movies,
  (SELECT COUNT(*) FROM {{ratings}}) AS ratings_analysed,
  (SELECT MAX(run_id) FROM latest) AS ratings_run_id,
  (SELECT MAX(value) FROM stats WHERE metric = 'ratings_total') AS ratings_total,
  (SELECT MAX(value) FROM stats WHERE metric = 'ratings_unmapped') AS ratings_unmapped,
  (SELECT MAX(value) FROM stats WHERE metric = 'ratings_duplicates') AS ratings_duplicates
