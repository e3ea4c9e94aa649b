-- Staging for one run's cast_members: the columns, order, types and nullability of the staged
-- contract (tasks/core/staged.ts), so COPY takes the staged CSV as it is.
CREATE TABLE {{staging}} (
  credit_id VARCHAR(65535) NOT NULL,
  movie_id INTEGER NOT NULL,
  person_id INTEGER NOT NULL,
  "character" VARCHAR(65535),
  cast_order INTEGER,
  cast_id INTEGER
)
