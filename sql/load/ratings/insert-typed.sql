-- Each raw value typed when it is a plain number: ids up to 9 digits, a rating like 3 or 3.5
-- (kept at 6 decimals, so 3.25 can be told from 3.5), epoch seconds up to 12 digits; otherwise
-- NULL. Carriage returns are removed: ratings.csv has CRLF line ends and Redshift keeps the CR.
-- Patterns use [.] rather than a backslash, which the two warehouses escape differently.
-- select-rejects.sql applies the same patterns to show rejected rows as they were.
INSERT INTO {{typed}} (user_id, movielens_id, rating, rated_at_epoch)
SELECT
  CASE WHEN u ~ '^[0-9]{1,9}$' THEN CAST(u AS INTEGER) END,
  CASE WHEN m ~ '^[0-9]{1,9}$' THEN CAST(m AS INTEGER) END,
  CASE WHEN r ~ '^[0-9]{1,2}([.][0-9]{1,6})?$' THEN CAST(r AS NUMERIC(8, 6)) END,
  CASE WHEN t ~ '^-?[0-9]{1,12}$' THEN CAST(t AS BIGINT) END
FROM (
  SELECT
    REPLACE(COALESCE(user_id, ''), CHR(13), '') AS u,
    REPLACE(COALESCE(movielens_id, ''), CHR(13), '') AS m,
    REPLACE(COALESCE(rating, ''), CHR(13), '') AS r,
    REPLACE(COALESCE(rated_at_epoch, ''), CHR(13), '') AS t
  FROM {{raw_staging}}
) AS cleaned
