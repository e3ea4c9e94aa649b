-- Staging for one run's keywords: the columns, order, types and nullability of the staged
-- contract (tasks/core/staged.ts), so COPY takes the staged CSV as it is.
CREATE TABLE {{staging}} (
  keyword_id INTEGER NOT NULL,
  name VARCHAR(65535) NOT NULL
)
