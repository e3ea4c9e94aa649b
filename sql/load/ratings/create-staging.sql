-- The run's ratings as they will enter the model: valid, mapped to TMDB ids, one per user and movie.
CREATE TABLE {{staging}} (
  user_id INTEGER NOT NULL,
  movie_id INTEGER NOT NULL,
  movielens_id INTEGER NOT NULL,
  rating NUMERIC(2, 1) NOT NULL,
  rated_at TIMESTAMP NOT NULL
)
