-- Descriptions that 0001 left out, for the data dictionary (`movalytics data-dictionary`): the
-- migrations table, which sql/bootstrap/ creates before any migration runs, and the join of
-- ratings.movielens_id. COMMENT ON replaces a comment and is the same SQL on PostgreSQL and
-- Redshift; 0001 is never edited (create-tables checks the checksums of applied migrations).

COMMENT ON TABLE {{schema_migrations}} IS 'The migrations of sql/migrations/ this warehouse has applied: create-tables applies only the missing ones; key version.';
COMMENT ON COLUMN {{schema_migrations}}.version IS 'Migration version, the NNNN of its file name; the key.';
COMMENT ON COLUMN {{schema_migrations}}.name IS 'Migration name, the rest of its file name, e.g. create_model.';
COMMENT ON COLUMN {{schema_migrations}}.checksum IS 'SHA-256 of the migration file as applied; create-tables warns when the file has changed since.';
COMMENT ON COLUMN {{schema_migrations}}.applied_at IS 'When the migration was applied (UTC).';

COMMENT ON COLUMN {{ratings}}.movielens_id IS 'The MovieLens movie id the kept rating was given to; joins links.movielens_id.';
