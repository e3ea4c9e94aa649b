-- Which migrations this warehouse has applied: create-tables applies only the missing ones, so it
-- is safe to run every time.
CREATE TABLE IF NOT EXISTS {{schema_migrations}} (
  version VARCHAR(16) NOT NULL,
  name VARCHAR(128) NOT NULL,
  checksum VARCHAR(64) NOT NULL,
  applied_at TIMESTAMP NOT NULL
)
