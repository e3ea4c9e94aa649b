-- The countries rows this run replaces: every row whose key (country_code) is staged.
DELETE FROM {{countries}}
USING {{staging}} AS s
WHERE {{countries}}.country_code = s.country_code
  -- An empty table (a first load) skips the join: PostgreSQL evaluates this once, up front. It is
  -- checked here, under the load transaction's table lock, so two concurrent first loads cannot
  -- both skip the DELETE.
  AND EXISTS (SELECT 1 FROM {{countries}})
