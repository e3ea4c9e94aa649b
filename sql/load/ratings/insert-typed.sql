-- Each raw value typed when it is a plain number: ids of up to 9 digits, a rating like 3 or 3.5
-- of up to 9 characters (kept exactly, so 3.25 can be told from 3.5), epoch seconds of up to 12
-- characters; otherwise NULL. Carriage returns are removed: ratings.csv has CRLF line ends and
-- Redshift keeps the CR. Patterns use [.] rather than a backslash, which the two warehouses
-- escape differently, and LENGTH rather than {m,n}, which costs PostgreSQL's regex engine 2-3x.
-- select-rejects.sql applies the same rules to show rejected rows as they were.
INSERT INTO {{typed}} (user_id, movielens_id, rating, rated_at_epoch)
SELECT
  CASE WHEN LENGTH(u) <= 9 AND u ~ '^[0-9]+$' THEN CAST(u AS INTEGER) END,
  CASE WHEN LENGTH(m) <= 9 AND m ~ '^[0-9]+$' THEN CAST(m AS INTEGER) END,
  CASE WHEN LENGTH(r) <= 9 AND r ~ '^[0-9]+([.][0-9]+)?$' THEN CAST(r AS NUMERIC(18, 9)) END,
  CASE WHEN LENGTH(t) <= 12 AND t ~ '^-?[0-9]+$' THEN CAST(t AS BIGINT) END
FROM (
  SELECT
    REPLACE(COALESCE(user_id, ''), CHR(13), '') AS u,
    REPLACE(COALESCE(movielens_id, ''), CHR(13), '') AS m,
    REPLACE(COALESCE(rating, ''), CHR(13), '') AS r,
    REPLACE(COALESCE(rated_at_epoch, ''), CHR(13), '') AS t
  FROM {{raw_staging}}
) AS cleaned
