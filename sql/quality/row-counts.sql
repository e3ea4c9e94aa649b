-- Rows in one model table: an empty table means a load did not happen or found nothing. A
-- template: quality-check renders it once per staged dataset and joins the statements with UNION
-- ALL. Ratings are counted in ratings-profile.sql, in its one statement over the ratings.
SELECT CAST({{subject}} AS VARCHAR(128)) AS subject, COUNT(*) AS value
FROM {{table}}
