-- The cast_members rows this run replaces: every row whose key (credit_id) is staged.
DELETE FROM {{cast_members}}
USING {{staging}} AS s
WHERE {{cast_members}}.credit_id = s.credit_id
  -- An empty table (a first load) skips the join: PostgreSQL evaluates this once, up front. It is
  -- checked here, under the load transaction's table lock, so two concurrent first loads cannot
  -- both skip the DELETE.
  AND EXISTS (SELECT 1 FROM {{cast_members}})
