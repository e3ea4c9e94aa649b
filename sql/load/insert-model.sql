-- The whole model table from staging, one row per key ({{key_columns}}): staged parts may repeat
-- a key, and the same row always wins (ordered by every other column, {{other_columns}}), so a
-- reload leaves the same table.
INSERT INTO {{model}} ({{columns}})
SELECT {{columns}}
FROM (
  SELECT
    s.*,
    ROW_NUMBER() OVER (PARTITION BY {{key_columns}} ORDER BY {{other_columns}}) AS row_rank
  FROM {{staging}} AS s
) AS ranked
WHERE row_rank = 1
