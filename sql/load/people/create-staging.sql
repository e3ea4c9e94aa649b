-- Staging for one run's people: the columns, order, types and nullability of the staged
-- contract (tasks/core/staged.ts), so COPY takes the staged CSV as it is.
CREATE TABLE {{staging}} (
  person_id INTEGER NOT NULL,
  name VARCHAR(65535) NOT NULL,
  gender INTEGER,
  profile_path VARCHAR(65535)
)
