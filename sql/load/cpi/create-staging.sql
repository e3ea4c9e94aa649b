-- Staging for one run's cpi: the columns, order, types and nullability of the staged
-- contract (tasks/core/staged.ts), so COPY takes the staged CSV as it is.
CREATE TABLE {{staging}} (
  month DATE NOT NULL,
  value NUMERIC(38, 10)
)
