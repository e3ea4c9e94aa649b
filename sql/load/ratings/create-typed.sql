-- The run's raw ratings with typed values: a value that is not a plain number is NULL here.
CREATE TABLE {{typed}} (
  user_id INTEGER,
  movielens_id INTEGER,
  rating NUMERIC(18, 9),
  rated_at_epoch BIGINT
)
