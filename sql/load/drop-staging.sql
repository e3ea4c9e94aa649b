-- Staging tables are real tables keyed by run id (the Redshift Data API gives each statement its
-- own session, so temporary tables would vanish). A run killed half-way leaves them behind; its
-- rerun drops them here first.
DROP TABLE IF EXISTS {{staging}}
