-- The crew_members rows this run replaces: every row whose key (credit_id) is staged.
DELETE FROM {{crew_members}}
USING {{staging}} AS s
WHERE {{crew_members}}.credit_id = s.credit_id
