-- The movie_keywords rows this run replaces: every row of a movie that is staged, not only the staged
-- pairs, so that keywords a movie no longer has do not linger from an earlier run.
DELETE FROM {{movie_keywords}}
USING {{staging}} AS s
WHERE {{movie_keywords}}.movie_id = s.movie_id
