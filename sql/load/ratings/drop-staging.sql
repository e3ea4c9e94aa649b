-- The run's ratings staging table. A run killed half-way may leave it behind; its rerun drops it
-- here first.
DROP TABLE IF EXISTS {{staging}}
