-- One row per key (movie_id, genre_id): staged parts may repeat a pair.
INSERT INTO {{movie_genres}} (movie_id, genre_id)
SELECT DISTINCT movie_id, genre_id
FROM {{staging}}
