-- A sample of the rejected ratings for the rejects file: their raw values and reason. The counts
-- by reason are complete (count-checked.sql); the file holds at most 10,000 rows.
SELECT raw_user_id, raw_movielens_id, raw_rating, raw_rated_at_epoch, reject_reason
FROM {{checked}}
WHERE reject_reason IS NOT NULL
ORDER BY reject_reason, raw_user_id, raw_movielens_id, raw_rating, raw_rated_at_epoch
LIMIT 10000
