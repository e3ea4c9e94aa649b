-- One row per key (movie_id, language_code): staged parts may repeat a pair.
INSERT INTO {{movie_languages}} (movie_id, language_code)
SELECT DISTINCT movie_id, language_code
FROM {{staging}}
