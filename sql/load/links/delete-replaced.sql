-- The links rows this run replaces: every row whose key (movielens_id) is staged.
DELETE FROM {{links}}
USING {{staging}} AS s
WHERE {{links}}.movielens_id = s.movielens_id
