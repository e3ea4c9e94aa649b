-- The genres rows this run replaces: every row whose key (genre_id) is staged.
DELETE FROM {{genres}}
USING {{staging}} AS s
WHERE {{genres}}.genre_id = s.genre_id
