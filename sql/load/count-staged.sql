-- Rows staged and distinct keys among them ({{key_columns}} is the dataset's key from the contract).
SELECT
  (SELECT COUNT(*) FROM {{staging}}) AS rows_staged,
  (SELECT COUNT(*) FROM (SELECT DISTINCT {{key_columns}} FROM {{staging}}) AS keys) AS rows_loaded
