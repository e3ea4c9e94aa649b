-- The run's checked ratings (valid, mapped to TMDB ids) on their way to the model, when they cannot
-- be COPYed straight into it: the model already holds ratings to replace, the file is not grouped
-- by user (SQL then keeps one per user and movie), or the warehouse is Redshift.
CREATE TABLE {{staging}} (
  user_id INTEGER NOT NULL,
  movie_id INTEGER NOT NULL,
  movielens_id INTEGER NOT NULL,
  rating DOUBLE PRECISION NOT NULL,
  rated_at TIMESTAMP NOT NULL
)
