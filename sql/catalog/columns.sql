-- The columns of every table of one schema, in table order: type as the warehouse writes it, the
-- NOT NULL constraint, and the COMMENT ON COLUMN text (NULL when a column has none).
--
-- On Redshift this is the definition of PG_TABLE_DEF (pg_namespace, pg_class, pg_attribute,
-- format_type(), attnotnull) without its pg_table_is_visible() filter, which would hide every schema
-- not on the search_path; the comment is pg_description's row for the column (objsubid = its
-- number), as PostgreSQL's col_description() and Redshift's SVV_COLUMNS.remarks read it.
-- information_schema.columns is not used: it has no comments, and Redshift documents SVV_COLUMNS
-- rather than it.
SELECT
  c.relname AS table_name,
  a.attnum AS column_number,
  a.attname AS column_name,
  format_type(a.atttypid, a.atttypmod) AS data_type,
  a.attnotnull AS not_null,
  d.description
FROM pg_catalog.pg_attribute AS a
JOIN pg_catalog.pg_class AS c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_description AS d
  ON d.objoid = c.oid AND d.objsubid = a.attnum AND d.classoid = CAST('pg_catalog.pg_class' AS regclass)
WHERE n.nspname = :schema AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY c.relname, a.attnum
