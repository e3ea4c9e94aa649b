-- A next ratings table of the run that no commit will take: one of another shard count.
DROP TABLE IF EXISTS {{next}}
