-- Staging for one run's movies: the columns, order, types and nullability of the staged
-- contract (tasks/core/staged.ts), so COPY takes the staged CSV as it is.
CREATE TABLE {{staging}} (
  movie_id INTEGER NOT NULL,
  imdb_id VARCHAR(65535),
  title VARCHAR(65535),
  original_title VARCHAR(65535),
  original_language VARCHAR(65535),
  overview VARCHAR(65535),
  tagline VARCHAR(65535),
  status VARCHAR(65535),
  release_date DATE,
  runtime_minutes NUMERIC(38, 10),
  budget BIGINT,
  revenue BIGINT,
  popularity DOUBLE PRECISION,
  vote_average NUMERIC(38, 10),
  vote_count INTEGER,
  adult BOOLEAN,
  video BOOLEAN,
  homepage VARCHAR(65535),
  poster_path VARCHAR(65535),
  collection_id INTEGER
)
