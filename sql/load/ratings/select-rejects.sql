-- A sample of the rejected ratings for the rejects file, as they were in the raw file, with the
-- reason: the rules of insert-typed.sql and create-checked-view.sql applied to the raw text.
-- Runs only when the counts (count-checked.sql, which are complete) found rejects; the file
-- holds at most 10,000 rows.
SELECT user_id, movielens_id, rating, rated_at_epoch, reject_reason
FROM (
  SELECT
    u AS user_id,
    m AS movielens_id,
    r AS rating,
    t AS rated_at_epoch,
    CASE
      WHEN NOT (
        LENGTH(u) <= 9 AND u ~ '^[0-9]+$'
        AND LENGTH(m) <= 9 AND m ~ '^[0-9]+$'
        AND LENGTH(r) <= 9 AND r ~ '^[0-9]+([.][0-9]+)?$'
        AND LENGTH(t) <= 12 AND t ~ '^-?[0-9]+$'
      ) THEN 'unparsable'
      WHEN CAST(r AS NUMERIC(18, 9)) < 0.5 OR CAST(r AS NUMERIC(18, 9)) > 5 THEN 'out_of_range'
      WHEN CAST(t AS BIGINT) < 0 OR TIMESTAMP 'epoch' + CAST(t AS BIGINT) * INTERVAL '1 second' >= CURRENT_DATE + 1 THEN 'out_of_range'
      WHEN CAST(r AS NUMERIC(18, 9)) * 2 <> FLOOR(CAST(r AS NUMERIC(18, 9)) * 2) THEN 'not_half_step'
    END AS reject_reason
  FROM (
    SELECT
      REPLACE(COALESCE(user_id, ''), CHR(13), '') AS u,
      REPLACE(COALESCE(movielens_id, ''), CHR(13), '') AS m,
      REPLACE(COALESCE(rating, ''), CHR(13), '') AS r,
      REPLACE(COALESCE(rated_at_epoch, ''), CHR(13), '') AS t
    FROM {{raw_staging}}
  ) AS cleaned
) AS judged
WHERE reject_reason IS NOT NULL
ORDER BY reject_reason, user_id, movielens_id, rating, rated_at_epoch
LIMIT 10000
