-- A shard's users, removed before it COPYs them again: what an earlier attempt of the shard (or of
-- a shard with another count) left there. NULL bounds are open: the first shard has no lower one,
-- the last no upper one, so the shards of one count together cover every user.
DELETE FROM {{next}}
WHERE (CAST(:first_user AS INTEGER) IS NULL OR user_id >= CAST(:first_user AS INTEGER))
  AND (CAST(:next_user AS INTEGER) IS NULL OR user_id < CAST(:next_user AS INTEGER))
