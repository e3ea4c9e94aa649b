-- The movies rows this run replaces: every row whose key (movie_id) is staged.
DELETE FROM {{movies}}
USING {{staging}} AS s
WHERE {{movies}}.movie_id = s.movie_id
