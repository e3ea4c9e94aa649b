-- Staging for one run of one contract dataset (tasks/core/staged.ts): {{staging_columns}} holds
-- the contract's columns in file order, each with the model's own type (VARCHAR(maxBytes),
-- NUMERIC(precision, scale), …) and NOT NULL where the contract says so, so COPY takes the staged
-- CSV as it is and every staged value fits the model column.
CREATE TABLE {{staging}} (
  {{staging_columns}}
)
