-- cpi.value becomes NUMERIC(16, 6) (it was NUMERIC(12, 3)). FRED publishes three decimals, and a
-- value with more was rounded on its way in: 0.0001 became 0, which the report's inflation
-- adjustment then divided by. Six decimals keep every value a CPI file may hold; the transform
-- refuses one with more (tasks/core/cpi-value.ts) instead of rounding it.
--
-- Redshift changes a column's type in place only for VARCHAR, so the column is replaced the same
-- way on every warehouse (as in 0004): added, filled, the old one dropped, the new one renamed.
-- It stays the table's last column.

ALTER TABLE {{cpi}} ADD COLUMN value_as_published NUMERIC(16, 6);
UPDATE {{cpi}} SET value_as_published = value;
ALTER TABLE {{cpi}} DROP COLUMN value;
ALTER TABLE {{cpi}} RENAME COLUMN value_as_published TO value;
COMMENT ON COLUMN {{cpi}}.value IS 'Index value (1982-84 = 100), above 0, with the decimals it is published with; NULL where FRED has no observation.';
