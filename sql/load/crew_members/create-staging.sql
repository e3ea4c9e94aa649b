-- Staging for one run's crew_members: the columns, order, types and nullability of the staged
-- contract (tasks/core/staged.ts), so COPY takes the staged CSV as it is.
CREATE TABLE {{staging}} (
  credit_id VARCHAR(65535) NOT NULL,
  movie_id INTEGER NOT NULL,
  person_id INTEGER NOT NULL,
  department VARCHAR(65535),
  job VARCHAR(65535)
)
