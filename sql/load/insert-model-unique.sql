-- The whole model table from staging, for a run whose staged rows repeat no key ({{key_columns}}):
-- the load counted as many distinct keys as rows (count-staged.sql), so every row is the one row of
-- its key and nothing needs to be ranked or sorted (insert-model.sql's window sorts them all).
INSERT INTO {{model}} ({{columns}})
SELECT {{columns}}
FROM {{staging}}
