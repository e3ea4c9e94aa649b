-- Keys held by more than one row, per model table (loads keep one row per key); 0 everywhere passes.
SELECT 'movies' AS subject, COUNT(*) AS value FROM (SELECT movie_id FROM {{movies}} GROUP BY movie_id HAVING COUNT(*) > 1) AS repeated
UNION ALL
SELECT 'genres', COUNT(*) FROM (SELECT genre_id FROM {{genres}} GROUP BY genre_id HAVING COUNT(*) > 1) AS repeated
UNION ALL
SELECT 'movie_genres', COUNT(*) FROM (SELECT movie_id, genre_id FROM {{movie_genres}} GROUP BY movie_id, genre_id HAVING COUNT(*) > 1) AS repeated
UNION ALL
SELECT 'collections', COUNT(*) FROM (SELECT collection_id FROM {{collections}} GROUP BY collection_id HAVING COUNT(*) > 1) AS repeated
UNION ALL
SELECT 'companies', COUNT(*) FROM (SELECT company_id FROM {{companies}} GROUP BY company_id HAVING COUNT(*) > 1) AS repeated
UNION ALL
SELECT 'movie_companies', COUNT(*) FROM (SELECT movie_id, company_id FROM {{movie_companies}} GROUP BY movie_id, company_id HAVING COUNT(*) > 1) AS repeated
UNION ALL
SELECT 'countries', COUNT(*) FROM (SELECT country_code FROM {{countries}} GROUP BY country_code HAVING COUNT(*) > 1) AS repeated
UNION ALL
SELECT 'movie_countries', COUNT(*) FROM (SELECT movie_id, country_code FROM {{movie_countries}} GROUP BY movie_id, country_code HAVING COUNT(*) > 1) AS repeated
UNION ALL
SELECT 'languages', COUNT(*) FROM (SELECT language_code FROM {{languages}} GROUP BY language_code HAVING COUNT(*) > 1) AS repeated
UNION ALL
SELECT 'movie_languages', COUNT(*) FROM (SELECT movie_id, language_code FROM {{movie_languages}} GROUP BY movie_id, language_code HAVING COUNT(*) > 1) AS repeated
UNION ALL
SELECT 'release_dates', COUNT(*) FROM (SELECT release_date FROM {{release_dates}} GROUP BY release_date HAVING COUNT(*) > 1) AS repeated
UNION ALL
SELECT 'people', COUNT(*) FROM (SELECT person_id FROM {{people}} GROUP BY person_id HAVING COUNT(*) > 1) AS repeated
UNION ALL
SELECT 'cast_members', COUNT(*) FROM (SELECT credit_id FROM {{cast_members}} GROUP BY credit_id HAVING COUNT(*) > 1) AS repeated
UNION ALL
SELECT 'crew_members', COUNT(*) FROM (SELECT credit_id FROM {{crew_members}} GROUP BY credit_id HAVING COUNT(*) > 1) AS repeated
UNION ALL
SELECT 'keywords', COUNT(*) FROM (SELECT keyword_id FROM {{keywords}} GROUP BY keyword_id HAVING COUNT(*) > 1) AS repeated
UNION ALL
SELECT 'movie_keywords', COUNT(*) FROM (SELECT movie_id, keyword_id FROM {{movie_keywords}} GROUP BY movie_id, keyword_id HAVING COUNT(*) > 1) AS repeated
UNION ALL
SELECT 'links', COUNT(*) FROM (SELECT movielens_id FROM {{links}} GROUP BY movielens_id HAVING COUNT(*) > 1) AS repeated
UNION ALL
SELECT 'cpi', COUNT(*) FROM (SELECT month FROM {{cpi}} GROUP BY month HAVING COUNT(*) > 1) AS repeated
UNION ALL
-- Ratings (26M rows): rows beyond the first per (user, movie), counted as non-NULL pairs minus
-- distinct pairs, each pair packed into one BIGINT (injective for any two INTEGERs): one sort of
-- one column, 5x faster than grouping 26M two-column keys. Users are split in two halves (a pair
-- never spans both) so that PostgreSQL sorts them in two processes at once (a Parallel Append; a
-- DISTINCT aggregate is never split otherwise); the `< 1` / `>= 1` tests keep the planner's
-- estimates of the halves equal, which it needs to choose that plan. Rows with a NULL key part
-- are left to the ratings profile (ratings-profile.sql).
SELECT 'ratings', CAST(SUM(keyed - distinct_pairs) AS BIGINT)
FROM (
  SELECT COUNT(pair) AS keyed, COUNT(DISTINCT pair) AS distinct_pairs
  FROM (SELECT CAST(user_id AS BIGINT) * 4294967296 + (CAST(movie_id AS BIGINT) + 2147483648) AS pair FROM {{ratings}} WHERE user_id % 2 < 1) AS half_a
  UNION ALL SELECT COUNT(pair), COUNT(DISTINCT pair)
  FROM (SELECT CAST(user_id AS BIGINT) * 4294967296 + (CAST(movie_id AS BIGINT) + 2147483648) AS pair FROM {{ratings}} WHERE user_id % 2 >= 1) AS half_b
) AS halves
