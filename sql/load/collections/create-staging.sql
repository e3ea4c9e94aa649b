-- Staging for one run's collections: the columns, order, types and nullability of the staged
-- contract (tasks/core/staged.ts), so COPY takes the staged CSV as it is.
CREATE TABLE {{staging}} (
  collection_id INTEGER NOT NULL,
  name VARCHAR(65535) NOT NULL,
  poster_path VARCHAR(65535),
  backdrop_path VARCHAR(65535)
)
