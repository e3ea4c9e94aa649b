-- Each typed rating with its reject reason (NULL when it is valid):
--   unparsable     a value is missing or not a plain number;
--   out_of_range   the rating is below 0.5 or above 5, or it is dated before 1970 or after the
--                  day of the load (a negative epoch or one from the future is no real time);
--   not_half_step  the rating is not a multiple of 0.5.
CREATE VIEW {{checked}} AS
SELECT
  user_id,
  movielens_id,
  rating,
  rated_at_epoch,
  CASE
    WHEN user_id IS NULL OR movielens_id IS NULL OR rating IS NULL OR rated_at_epoch IS NULL THEN 'unparsable'
    WHEN rating < 0.5 OR rating > 5 THEN 'out_of_range'
    WHEN rated_at_epoch < 0 OR TIMESTAMP 'epoch' + rated_at_epoch * INTERVAL '1 second' >= CURRENT_DATE + 1 THEN 'out_of_range'
    WHEN rating * 2 <> FLOOR(rating * 2) THEN 'not_half_step'
  END AS reject_reason
FROM {{typed}}
