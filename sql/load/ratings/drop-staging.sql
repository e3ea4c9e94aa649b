-- The run's ratings staging objects, the view first (it reads the typed table). A run killed
-- half-way leaves them behind; its rerun drops them here first.
DROP VIEW IF EXISTS {{checked}};
DROP TABLE IF EXISTS {{typed}};
DROP TABLE IF EXISTS {{raw_staging}};
DROP TABLE IF EXISTS {{staging}};
