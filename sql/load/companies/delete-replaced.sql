-- The companies rows this run replaces: every row whose key (company_id) is staged.
DELETE FROM {{companies}}
USING {{staging}} AS s
WHERE {{companies}}.company_id = s.company_id
