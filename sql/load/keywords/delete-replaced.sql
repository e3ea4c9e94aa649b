-- The keywords rows this run replaces: every row whose key (keyword_id) is staged.
DELETE FROM {{keywords}}
USING {{staging}} AS s
WHERE {{keywords}}.keyword_id = s.keyword_id
