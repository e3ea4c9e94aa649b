-- The ratings this run replaces: the same user and movie.
DELETE FROM {{ratings}}
USING {{staging}} AS s
WHERE {{ratings}}.user_id = s.user_id
  AND {{ratings}}.movie_id = s.movie_id
