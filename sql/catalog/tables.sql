-- The tables of one schema with their COMMENT ON TABLE text (NULL when a table has none).
--
-- One query for every warehouse: pg_class, pg_namespace and pg_description are system catalogs of
-- PostgreSQL, PGlite and Redshift alike, and pg_description is where COMMENT ON writes on all three
-- (PostgreSQL's obj_description() reads the same row; Redshift's COMMENT page shows obj_description()
-- too, and its SVV_TABLES.remarks view column carries the same text). Redshift runs catalog queries on
-- the leader node: this one touches no user table, so it may.
SELECT c.relname AS table_name, d.description
FROM pg_catalog.pg_class AS c
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_description AS d
  ON d.objoid = c.oid AND d.objsubid = 0 AND d.classoid = CAST('pg_catalog.pg_class' AS regclass)
WHERE n.nspname = :schema AND c.relkind = 'r'
ORDER BY c.relname
