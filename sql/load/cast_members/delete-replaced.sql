-- The cast_members rows this run replaces: every row whose key (credit_id) is staged.
DELETE FROM {{cast_members}}
USING {{staging}} AS s
WHERE {{cast_members}}.credit_id = s.credit_id
