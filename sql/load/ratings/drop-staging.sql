-- The run's ratings staging objects, view first (it reads the raw table). A run killed half-way
-- leaves them behind; its rerun drops them here first.
DROP VIEW IF EXISTS {{checked}};
DROP TABLE IF EXISTS {{raw_staging}};
DROP TABLE IF EXISTS {{staging}};
