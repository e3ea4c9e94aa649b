-- Staging for one run's links: the columns, order, types and nullability of the staged
-- contract (tasks/core/staged.ts), so COPY takes the staged CSV as it is.
CREATE TABLE {{staging}} (
  movielens_id INTEGER NOT NULL,
  imdb_id VARCHAR(65535),
  tmdb_id INTEGER
)
