-- The movie_countries rows this run replaces: every row of a movie that is staged, not only the staged
-- pairs, so that countries a movie no longer has do not linger from an earlier run.
DELETE FROM {{movie_countries}}
USING {{staging}} AS s
WHERE {{movie_countries}}.movie_id = s.movie_id
