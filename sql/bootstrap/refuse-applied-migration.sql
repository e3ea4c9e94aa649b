-- Runs in a migration's transaction right after the lock: it fails when a concurrent create-tables
-- applied this version while this run waited for the lock, so no migration's statements run twice
-- (create-tables then finds the version recorded and moves on). Portable SQL has no RAISE: the
-- error is the failed cast of a row that exists only in that case.
SELECT CAST('applied already: ' || version AS INTEGER) AS applied_already
FROM {{schema_migrations}}
WHERE version = CAST(:version AS VARCHAR(16))
