-- Redshift: TRUNCATE commits the transaction it runs in (and the Data API batch with it), so a
-- load killed after it would leave the table empty. DELETE without a condition stays inside the
-- load transaction; its row count is the rows the snapshot replaces.
DELETE FROM {{model}}
