-- PGlite, PostgreSQL: a statement-level trigger on the ratings that counts, in load_stats, every
-- statement that writes them after a load: each load's metric ratings_writes_since_load goes up
-- by one per INSERT, UPDATE, DELETE, TRUNCATE or COPY. The load that wrote the summaries records
-- 0 for itself (record-unwritten.sql), after its own writes and in their transaction; while it is
-- still 0, the ratings are the ones it wrote, and sql/ratings-summary/unwritten.sql lets readers
-- trust the summaries without scanning the ratings again. Made again by every load that writes
-- summaries (the sharded commit swaps in a table that has no trigger yet).
--
-- The body is a literal (no placeholders there): it names load_stats by the trigger's argument,
-- in the schema of the table that fired it.
CREATE OR REPLACE FUNCTION {{count_writes_function}}() RETURNS trigger LANGUAGE plpgsql AS '
BEGIN
  EXECUTE format(''UPDATE %I.%I SET value = value + 1 WHERE dataset = $1 AND metric = $2'', TG_TABLE_SCHEMA, TG_ARGV[0])
    USING ''ratings'', ''ratings_writes_since_load'';
  RETURN NULL;
END';
DROP TRIGGER IF EXISTS ratings_written ON {{ratings}};
CREATE TRIGGER ratings_written AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {{ratings}}
FOR EACH STATEMENT EXECUTE FUNCTION {{count_writes_function}}({{load_stats_name}})
