-- The fingerprint of the ratings and movie_genres rows the run's summaries (ratings_by_movie,
-- ratings_users_by_genre) were counted from, beside its ledger in load_stats and in the same
-- transaction: sql/ratings-summary/verified.sql trusts the summaries only while the
-- tables still give these sums (each mod 2^62). A load that writes no summaries records none.
INSERT INTO {{load_stats}} (dataset, run_id, metric, value, recorded_at)
SELECT CAST(:dataset AS VARCHAR(64)), CAST(:run_id AS VARCHAR(100)), sums.metric, sums.value, CAST(:recorded_at AS TIMESTAMP)
FROM (
  SELECT 'ratings_pair_sum' AS metric, CAST(:ratings_pair_sum AS BIGINT) AS value
  UNION ALL SELECT 'ratings_movie_halves_sum', CAST(:ratings_movie_halves_sum AS BIGINT)
  UNION ALL SELECT 'movie_genres_rows', CAST(:movie_genres_rows AS BIGINT)
  UNION ALL SELECT 'movie_genres_movie_id_sum', CAST(:movie_genres_movie_id_sum AS BIGINT)
  UNION ALL SELECT 'movie_genres_genre_id_sum', CAST(:movie_genres_genre_id_sum AS BIGINT)
  UNION ALL SELECT 'movie_genres_pair_sum', CAST(:movie_genres_pair_sum AS BIGINT)
) AS sums
