-- The exact number of rows of one table ({{table}}: a validated, quoted model table name).
SELECT COUNT(*) AS row_count FROM {{table}}
