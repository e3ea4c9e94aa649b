-- The languages rows this run replaces: every row whose key (language_code) is staged.
DELETE FROM {{languages}}
USING {{staging}} AS s
WHERE {{languages}}.language_code = s.language_code
  -- An empty table (a first load) skips the join: PostgreSQL evaluates this once, up front. It is
  -- checked here, under the load transaction's table lock, so two concurrent first loads cannot
  -- both skip the DELETE.
  AND EXISTS (SELECT 1 FROM {{languages}})
