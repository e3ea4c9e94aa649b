-- The release_dates rows this run replaces: every row whose key (release_date) is staged.
DELETE FROM {{release_dates}}
USING {{staging}} AS s
WHERE {{release_dates}}.release_date = s.release_date
