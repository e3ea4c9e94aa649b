-- Whether the most recent ratings load recorded the fingerprint of summaries it wrote (1) or not
-- (0: a load through the lake, Redshift's, or of a file not grouped by user). Asked before the
-- scan that verifies them (verified.sql), which a load without summaries does not need.
WITH latest AS ({{latest_ratings_load}})
SELECT COUNT(*) AS recorded
FROM {{load_stats}} AS s
JOIN latest AS l ON l.run_id = s.run_id
WHERE s.dataset = 'ratings' AND s.metric = 'ratings_pair_sum'
