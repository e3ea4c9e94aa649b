-- The movie_genres rows this run replaces: every row of a movie that is staged, not only the staged
-- pairs, so that genres a movie no longer has do not linger from an earlier run.
DELETE FROM {{movie_genres}}
USING {{staging}} AS s
WHERE {{movie_genres}}.movie_id = s.movie_id
