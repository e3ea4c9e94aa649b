-- The languages rows this run replaces: every row whose key (language_code) is staged.
DELETE FROM {{languages}}
USING {{staging}} AS s
WHERE {{languages}}.language_code = s.language_code
