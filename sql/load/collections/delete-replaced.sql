-- The collections rows this run replaces: every row whose key (collection_id) is staged.
DELETE FROM {{collections}}
USING {{staging}} AS s
WHERE {{collections}}.collection_id = s.collection_id
