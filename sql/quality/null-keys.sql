-- Rows whose key (or part of it) is NULL, per model table. (Ratings: in ratings-profile.sql, in
-- its one pass over the ratings.)
SELECT 'movies' AS subject, COUNT(*) AS value FROM {{movies}} WHERE movie_id IS NULL
UNION ALL
SELECT 'genres', COUNT(*) FROM {{genres}} WHERE genre_id IS NULL
UNION ALL
SELECT 'movie_genres', COUNT(*) FROM {{movie_genres}} WHERE movie_id IS NULL OR genre_id IS NULL
UNION ALL
SELECT 'collections', COUNT(*) FROM {{collections}} WHERE collection_id IS NULL
UNION ALL
SELECT 'companies', COUNT(*) FROM {{companies}} WHERE company_id IS NULL
UNION ALL
SELECT 'movie_companies', COUNT(*) FROM {{movie_companies}} WHERE movie_id IS NULL OR company_id IS NULL
UNION ALL
SELECT 'countries', COUNT(*) FROM {{countries}} WHERE country_code IS NULL
UNION ALL
SELECT 'movie_countries', COUNT(*) FROM {{movie_countries}} WHERE movie_id IS NULL OR country_code IS NULL
UNION ALL
SELECT 'languages', COUNT(*) FROM {{languages}} WHERE language_code IS NULL
UNION ALL
SELECT 'movie_languages', COUNT(*) FROM {{movie_languages}} WHERE movie_id IS NULL OR language_code IS NULL
UNION ALL
SELECT 'release_dates', COUNT(*) FROM {{release_dates}} WHERE release_date IS NULL
UNION ALL
SELECT 'people', COUNT(*) FROM {{people}} WHERE person_id IS NULL
UNION ALL
SELECT 'cast_members', COUNT(*) FROM {{cast_members}} WHERE credit_id IS NULL
UNION ALL
SELECT 'crew_members', COUNT(*) FROM {{crew_members}} WHERE credit_id IS NULL
UNION ALL
SELECT 'keywords', COUNT(*) FROM {{keywords}} WHERE keyword_id IS NULL
UNION ALL
SELECT 'movie_keywords', COUNT(*) FROM {{movie_keywords}} WHERE movie_id IS NULL OR keyword_id IS NULL
UNION ALL
SELECT 'links', COUNT(*) FROM {{links}} WHERE movielens_id IS NULL
UNION ALL
SELECT 'cpi', COUNT(*) FROM {{cpi}} WHERE month IS NULL
