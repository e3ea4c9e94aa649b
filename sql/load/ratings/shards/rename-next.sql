-- The shards' next table becomes the ratings model, in the transaction that dropped the old one:
-- readers waiting on the lock see the new ratings at commit.
ALTER TABLE {{next}} RENAME TO {{model_name}}
