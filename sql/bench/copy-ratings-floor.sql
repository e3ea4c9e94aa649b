-- Bench, a psql script (not for our adapters): the floor of the ratings load, psql's \copy of the
-- raw ratings file into a table identical to the load's raw staging table, unindexed.
\copy {{table}} ({{columns}}) FROM {{file}} WITH (FORMAT csv, HEADER true)
