-- Runs in the migration's own transaction, after its statements (refuse-applied-migration.sql has
-- made sure no concurrent run recorded this version first).
INSERT INTO {{schema_migrations}} (version, name, checksum, applied_at)
VALUES (CAST(:version AS VARCHAR(16)), CAST(:name AS VARCHAR(128)), CAST(:checksum AS VARCHAR(64)), CAST(:applied_at AS TIMESTAMP))
