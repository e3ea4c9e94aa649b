-- The movies rows this run replaces: every row whose key (movie_id) is staged.
DELETE FROM {{movies}}
USING {{staging}} AS s
WHERE {{movies}}.movie_id = s.movie_id
  -- An empty table (a first load) skips the join: PostgreSQL evaluates this once, up front. It is
  -- checked here, under the load transaction's table lock, so two concurrent first loads cannot
  -- both skip the DELETE.
  AND EXISTS (SELECT 1 FROM {{movies}})
