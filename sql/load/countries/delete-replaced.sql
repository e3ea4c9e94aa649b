-- The countries rows this run replaces: every row whose key (country_code) is staged.
DELETE FROM {{countries}}
USING {{staging}} AS s
WHERE {{countries}}.country_code = s.country_code
