-- Whether the shards of the run have filled a next ratings table to commit (1) or not (0).
SELECT CASE WHEN to_regclass(CAST(:next_table AS VARCHAR(300))) IS NULL THEN 0 ELSE 1 END AS present
