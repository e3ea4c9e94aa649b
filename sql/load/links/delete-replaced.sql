-- The links rows this run replaces: every row whose key (movielens_id) is staged.
DELETE FROM {{links}}
USING {{staging}} AS s
WHERE {{links}}.movielens_id = s.movielens_id
  -- An empty table (a first load) skips the join: PostgreSQL evaluates this once, up front. It is
  -- checked here, under the load transaction's table lock, so two concurrent first loads cannot
  -- both skip the DELETE.
  AND EXISTS (SELECT 1 FROM {{links}})
