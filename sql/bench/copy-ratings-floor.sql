-- Bench, a psql script (not for our adapters): the floor of the ratings load, psql's \copy of the
-- raw ratings file into the unindexed text table of create-ratings-floor.sql.
\copy {{table}} ({{columns}}) FROM {{file}} WITH (FORMAT csv, HEADER true)
