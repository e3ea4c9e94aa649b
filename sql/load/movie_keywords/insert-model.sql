-- One row per key (movie_id, keyword_id): staged parts may repeat a pair.
INSERT INTO {{movie_keywords}} (movie_id, keyword_id)
SELECT DISTINCT movie_id, keyword_id
FROM {{staging}}
