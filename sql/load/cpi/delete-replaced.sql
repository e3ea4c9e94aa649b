-- The cpi rows this run replaces: every row whose key (month) is staged.
DELETE FROM {{cpi}}
USING {{staging}} AS s
WHERE {{cpi}}.month = s.month
  -- An empty table (a first load) skips the join: PostgreSQL evaluates this once, up front. It is
  -- checked here, under the load transaction's table lock, so two concurrent first loads cannot
  -- both skip the DELETE.
  AND EXISTS (SELECT 1 FROM {{cpi}})
