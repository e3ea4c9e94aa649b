-- Each raw rating with its reject reason, and typed values where it has none:
--   unparsable     a field is missing or not a plain number (ids up to 9 digits, rating like
--                  3 or 3.5, epoch seconds up to 12 digits);
--   out_of_range   the rating is below 0.5 or above 5;
--   not_half_step  the rating is not a multiple of 0.5.
-- Carriage returns are removed: ratings.csv has CRLF line ends and Redshift keeps the CR.
-- Patterns use [.] rather than a backslash, which the two warehouses escape differently.
CREATE VIEW {{checked}} AS
SELECT
  raw_user_id,
  raw_movielens_id,
  raw_rating,
  raw_rated_at_epoch,
  reject_reason,
  CASE WHEN reject_reason IS NULL THEN CAST(raw_user_id AS INTEGER) END AS user_id,
  CASE WHEN reject_reason IS NULL THEN CAST(raw_movielens_id AS INTEGER) END AS movielens_id,
  CASE WHEN reject_reason IS NULL THEN CAST(raw_rating AS NUMERIC(2, 1)) END AS rating,
  CASE WHEN reject_reason IS NULL THEN CAST(raw_rated_at_epoch AS BIGINT) END AS rated_at_epoch
FROM (
  SELECT
    raw_user_id,
    raw_movielens_id,
    raw_rating,
    raw_rated_at_epoch,
    CASE
      WHEN NOT (
        raw_user_id ~ '^[0-9]{1,9}$'
        AND raw_movielens_id ~ '^[0-9]{1,9}$'
        AND raw_rating ~ '^[0-9]{1,2}([.][0-9]{1,6})?$'
        AND raw_rated_at_epoch ~ '^-?[0-9]{1,12}$'
      ) THEN 'unparsable'
      WHEN CAST(raw_rating AS NUMERIC(8, 6)) < 0.5 OR CAST(raw_rating AS NUMERIC(8, 6)) > 5 THEN 'out_of_range'
      WHEN CAST(raw_rating AS NUMERIC(8, 6)) * 2 <> FLOOR(CAST(raw_rating AS NUMERIC(8, 6)) * 2) THEN 'not_half_step'
    END AS reject_reason
  FROM (
    SELECT
      TRIM(REPLACE(COALESCE(user_id, ''), CHR(13), '')) AS raw_user_id,
      TRIM(REPLACE(COALESCE(movielens_id, ''), CHR(13), '')) AS raw_movielens_id,
      TRIM(REPLACE(COALESCE(rating, ''), CHR(13), '')) AS raw_rating,
      TRIM(REPLACE(COALESCE(rated_at_epoch, ''), CHR(13), '')) AS raw_rated_at_epoch
    FROM {{raw_staging}}
  ) AS cleaned
) AS checked
