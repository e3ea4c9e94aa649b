-- Staging for one run's movie_languages: the columns, order, types and nullability of the staged
-- contract (tasks/core/staged.ts), so COPY takes the staged CSV as it is.
CREATE TABLE {{staging}} (
  movie_id INTEGER NOT NULL,
  language_code VARCHAR(65535) NOT NULL
)
