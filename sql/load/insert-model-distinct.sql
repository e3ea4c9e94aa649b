-- The whole model table from staging, for a dataset whose every column is its key (a pair such
-- as movie_id, genre_id): one row per key is one row per distinct row.
INSERT INTO {{model}} ({{columns}})
SELECT DISTINCT {{columns}}
FROM {{staging}}
