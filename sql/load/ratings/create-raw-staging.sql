-- The raw ratings file (userId,movieId,rating,timestamp) as text, exactly as COPY finds it:
-- values are checked in SQL next, so a bad value is counted as a reject instead of failing the
-- whole COPY.
CREATE TABLE {{raw_staging}} (
  user_id VARCHAR(256),
  movielens_id VARCHAR(256),
  rating VARCHAR(256),
  rated_at_epoch VARCHAR(256)
)
