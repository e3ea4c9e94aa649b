-- The cpi rows this run replaces: every row whose key (month) is staged.
DELETE FROM {{cpi}}
USING {{staging}} AS s
WHERE {{cpi}}.month = s.month
