-- A load replaces the whole model table with its run's snapshot: first it empties it, in the load
-- transaction. On PGlite and PostgreSQL TRUNCATE is transactional (a rollback brings every row
-- back), costs nothing per row, and lets a COPY that follows in the same transaction write its
-- rows frozen (COPY ... FREEZE). It takes an ACCESS EXCLUSIVE lock (the load's LOCK TABLE already
-- did): readers of the table wait until the load commits, then see the new snapshot whole.
TRUNCATE {{model}}
