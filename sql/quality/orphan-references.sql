-- References that must resolve because both sides come from the same source record: a movie's
-- genres, companies, countries, languages, collection and release date (movies_metadata.csv), a
-- credit's person (credits.csv), a movie's keywords (keywords.csv). One row per reference, the
-- rows that name a key that is not loaded; 0 everywhere passes. A NULL reference (no collection,
-- no release date) means "unknown" and is not an orphan.
--
-- Left out on purpose: references ACROSS sources (credits, keywords and links to movies), which
-- the real data breaks by design (credits of movies rejected or absent from movies_metadata.csv)
-- and which the report never follows. Ratings to movies are measured in ratings-profile.sql, in
-- its one pass over the ratings; the load keeps only ratings of loaded movies.
SELECT 'movie_genres.movie_id -> movies' AS subject, COUNT(*) AS value
FROM {{movie_genres}} AS r LEFT JOIN (SELECT DISTINCT movie_id FROM {{movies}}) AS t ON t.movie_id = r.movie_id
WHERE t.movie_id IS NULL
UNION ALL
SELECT 'movie_genres.genre_id -> genres', COUNT(*)
FROM {{movie_genres}} AS r LEFT JOIN (SELECT DISTINCT genre_id FROM {{genres}}) AS t ON t.genre_id = r.genre_id
WHERE t.genre_id IS NULL
UNION ALL
SELECT 'movie_companies.movie_id -> movies', COUNT(*)
FROM {{movie_companies}} AS r LEFT JOIN (SELECT DISTINCT movie_id FROM {{movies}}) AS t ON t.movie_id = r.movie_id
WHERE t.movie_id IS NULL
UNION ALL
SELECT 'movie_companies.company_id -> companies', COUNT(*)
FROM {{movie_companies}} AS r LEFT JOIN (SELECT DISTINCT company_id FROM {{companies}}) AS t ON t.company_id = r.company_id
WHERE t.company_id IS NULL
UNION ALL
SELECT 'movie_countries.movie_id -> movies', COUNT(*)
FROM {{movie_countries}} AS r LEFT JOIN (SELECT DISTINCT movie_id FROM {{movies}}) AS t ON t.movie_id = r.movie_id
WHERE t.movie_id IS NULL
UNION ALL
SELECT 'movie_countries.country_code -> countries', COUNT(*)
FROM {{movie_countries}} AS r LEFT JOIN (SELECT DISTINCT country_code FROM {{countries}}) AS t ON t.country_code = r.country_code
WHERE t.country_code IS NULL
UNION ALL
SELECT 'movie_languages.movie_id -> movies', COUNT(*)
FROM {{movie_languages}} AS r LEFT JOIN (SELECT DISTINCT movie_id FROM {{movies}}) AS t ON t.movie_id = r.movie_id
WHERE t.movie_id IS NULL
UNION ALL
SELECT 'movie_languages.language_code -> languages', COUNT(*)
FROM {{movie_languages}} AS r LEFT JOIN (SELECT DISTINCT language_code FROM {{languages}}) AS t ON t.language_code = r.language_code
WHERE t.language_code IS NULL
UNION ALL
SELECT 'movies.collection_id -> collections', COUNT(*)
FROM {{movies}} AS r LEFT JOIN (SELECT DISTINCT collection_id FROM {{collections}}) AS t ON t.collection_id = r.collection_id
WHERE r.collection_id IS NOT NULL AND t.collection_id IS NULL
UNION ALL
SELECT 'movies.release_date -> release_dates', COUNT(*)
FROM {{movies}} AS r LEFT JOIN (SELECT DISTINCT release_date FROM {{release_dates}}) AS t ON t.release_date = r.release_date
WHERE r.release_date IS NOT NULL AND t.release_date IS NULL
UNION ALL
SELECT 'cast_members.person_id -> people', COUNT(*)
FROM {{cast_members}} AS r LEFT JOIN (SELECT DISTINCT person_id FROM {{people}}) AS t ON t.person_id = r.person_id
WHERE t.person_id IS NULL
UNION ALL
SELECT 'crew_members.person_id -> people', COUNT(*)
FROM {{crew_members}} AS r LEFT JOIN (SELECT DISTINCT person_id FROM {{people}}) AS t ON t.person_id = r.person_id
WHERE t.person_id IS NULL
UNION ALL
SELECT 'movie_keywords.keyword_id -> keywords', COUNT(*)
FROM {{movie_keywords}} AS r LEFT JOIN (SELECT DISTINCT keyword_id FROM {{keywords}}) AS t ON t.keyword_id = r.keyword_id
WHERE t.keyword_id IS NULL
