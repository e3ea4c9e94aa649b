-- The movie_languages rows this run replaces: every row of a movie that is staged, not only the staged
-- pairs, so that languages a movie no longer has do not linger from an earlier run.
DELETE FROM {{movie_languages}}
USING {{staging}} AS s
WHERE {{movie_languages}}.movie_id = s.movie_id
