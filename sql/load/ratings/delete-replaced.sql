-- The ratings this run replaces: the same user and movie.
DELETE FROM {{ratings}}
USING {{staging}} AS s
WHERE {{ratings}}.user_id = s.user_id
  AND {{ratings}}.movie_id = s.movie_id
  -- An empty table (a first load) skips the join: PostgreSQL evaluates this once, up front. It is
  -- checked here, under the load transaction's table lock, so two concurrent first loads cannot
  -- both skip the DELETE.
  AND EXISTS (SELECT 1 FROM {{ratings}})
