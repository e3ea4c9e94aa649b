-- Rows the model table holds, asked under the load's table lock, just before the load empties it:
-- the rows it replaces (none on a first load).
SELECT COUNT(*) AS model_rows FROM {{model}}
