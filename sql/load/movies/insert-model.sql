-- One row per key (movie_id): staged parts may repeat a key, and the same row always
-- wins (ordered by every other column), so a reload leaves the same table.
INSERT INTO {{movies}} (movie_id, imdb_id, title, original_title, original_language, overview, tagline, status, release_date, runtime_minutes, budget, revenue, popularity, vote_average, vote_count, adult, video, homepage, poster_path, collection_id)
SELECT movie_id, imdb_id, title, original_title, original_language, overview, tagline, status, release_date, runtime_minutes, budget, revenue, popularity, vote_average, vote_count, adult, video, homepage, poster_path, collection_id
FROM (
  SELECT
    s.*,
    ROW_NUMBER() OVER (PARTITION BY movie_id ORDER BY imdb_id, title, original_title, original_language, overview, tagline, status, release_date, runtime_minutes, budget, revenue, popularity, vote_average, vote_count, adult, video, homepage, poster_path, collection_id) AS row_rank
  FROM {{staging}} AS s
) AS ranked
WHERE row_rank = 1
