-- The run's checked ratings (valid, mapped to TMDB ids, one per user and movie) when the model
-- already holds ratings to replace.
CREATE TABLE {{staging}} (
  user_id INTEGER NOT NULL,
  movie_id INTEGER NOT NULL,
  movielens_id INTEGER NOT NULL,
  rating NUMERIC(2, 1) NOT NULL,
  rated_at TIMESTAMP NOT NULL
)
