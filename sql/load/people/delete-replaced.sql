-- The people rows this run replaces: every row whose key (person_id) is staged.
DELETE FROM {{people}}
USING {{staging}} AS s
WHERE {{people}}.person_id = s.person_id
