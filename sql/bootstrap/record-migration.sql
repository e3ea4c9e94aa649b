-- Runs in the migration's own transaction, after its statements; a concurrent run that applied
-- the same version first leaves the row as it is.
INSERT INTO {{schema_migrations}} (version, name, checksum, applied_at)
SELECT CAST(:version AS VARCHAR(16)), CAST(:name AS VARCHAR(128)), CAST(:checksum AS VARCHAR(64)), CAST(:applied_at AS TIMESTAMP)
WHERE NOT EXISTS (SELECT 1 FROM {{schema_migrations}} WHERE version = CAST(:version AS VARCHAR(16)))
