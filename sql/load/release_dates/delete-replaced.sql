-- The release_dates rows this run replaces: every row whose key (release_date) is staged.
DELETE FROM {{release_dates}}
USING {{staging}} AS s
WHERE {{release_dates}}.release_date = s.release_date
  -- An empty table (a first load) skips the join: PostgreSQL evaluates this once, up front. It is
  -- checked here, under the load transaction's table lock, so two concurrent first loads cannot
  -- both skip the DELETE.
  AND EXISTS (SELECT 1 FROM {{release_dates}})
