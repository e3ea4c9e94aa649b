-- Rows per model table: an empty table means a load did not happen or found nothing. (Ratings
-- are counted in ratings-profile.sql, in its one pass over the ratings.)
SELECT 'movies' AS subject, COUNT(*) AS value FROM {{movies}}
UNION ALL
SELECT 'genres', COUNT(*) FROM {{genres}}
UNION ALL
SELECT 'movie_genres', COUNT(*) FROM {{movie_genres}}
UNION ALL
SELECT 'collections', COUNT(*) FROM {{collections}}
UNION ALL
SELECT 'companies', COUNT(*) FROM {{companies}}
UNION ALL
SELECT 'movie_companies', COUNT(*) FROM {{movie_companies}}
UNION ALL
SELECT 'countries', COUNT(*) FROM {{countries}}
UNION ALL
SELECT 'movie_countries', COUNT(*) FROM {{movie_countries}}
UNION ALL
SELECT 'languages', COUNT(*) FROM {{languages}}
UNION ALL
SELECT 'movie_languages', COUNT(*) FROM {{movie_languages}}
UNION ALL
SELECT 'release_dates', COUNT(*) FROM {{release_dates}}
UNION ALL
SELECT 'people', COUNT(*) FROM {{people}}
UNION ALL
SELECT 'cast_members', COUNT(*) FROM {{cast_members}}
UNION ALL
SELECT 'crew_members', COUNT(*) FROM {{crew_members}}
UNION ALL
SELECT 'keywords', COUNT(*) FROM {{keywords}}
UNION ALL
SELECT 'movie_keywords', COUNT(*) FROM {{movie_keywords}}
UNION ALL
SELECT 'links', COUNT(*) FROM {{links}}
UNION ALL
SELECT 'cpi', COUNT(*) FROM {{cpi}}
