-- The movie_countries rows this run replaces: every row of a movie that is staged, not only the staged
-- pairs, so that countries a movie no longer has do not linger from an earlier run.
DELETE FROM {{movie_countries}}
USING {{staging}} AS s
WHERE {{movie_countries}}.movie_id = s.movie_id
  -- An empty table (a first load) skips the join: PostgreSQL evaluates this once, up front. It is
  -- checked here, under the load transaction's table lock, so two concurrent first loads cannot
  -- both skip the DELETE.
  AND EXISTS (SELECT 1 FROM {{movie_countries}})
