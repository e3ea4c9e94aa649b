-- One row per key (movie_id, country_code): staged parts may repeat a pair.
INSERT INTO {{movie_countries}} (movie_id, country_code)
SELECT DISTINCT movie_id, country_code
FROM {{staging}}
