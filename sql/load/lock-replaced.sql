-- First statement of every transaction that replaces model tables: the tables it writes, locked
-- before it reads or writes anything, in ONE order for every load: load_stats, then the model
-- tables in the order of the staged contract, ratings last ({{models}}, built in that order by
-- tasks/load/load-sql.ts). Redshift takes a transaction's snapshot at its first statement after
-- the LOCKs: two loads writing load_stats at once without it fail with serializable isolation
-- error 1023, whose documented remedy is exactly this. The shared order means no two loads (the
-- DAG runs the loads of every source at once) can each hold a table the other waits for.
LOCK TABLE {{load_stats}}, {{models}}
