-- What a ratings load that streams a file grouped by user (PGlite, PostgreSQL) counts on its way
-- past every row, so that the quality check and the report need not aggregate 26M ratings again:
-- the ratings per movie, and the users per genre. Each is written in the transaction that writes
-- the ratings, beside a fingerprint of the rows in load_stats (the metrics ratings_*_sum and
-- movie_genres_*). A reader trusts them only while one scan of the ratings (and of movie_genres)
-- still gives that fingerprint (sql/ratings-summary/verified.sql); otherwise, and on Redshift,
-- where no load writes them, it aggregates the ratings itself.

CREATE TABLE IF NOT EXISTS {{ratings_by_movie}} (
  movie_id INTEGER NOT NULL,
  ratings_count INTEGER NOT NULL,
  rating_sum DOUBLE PRECISION NOT NULL
);
COMMENT ON TABLE {{ratings_by_movie}} IS 'The ratings per movie as the latest ratings load wrote them (one row per rated movie; key movie_id); trusted only while the ratings still match the fingerprint in load_stats.';
COMMENT ON COLUMN {{ratings_by_movie}}.movie_id IS 'TMDB movie id of the rated movie; the key.';
COMMENT ON COLUMN {{ratings_by_movie}}.ratings_count IS 'Ratings of the movie in the ratings table.';
COMMENT ON COLUMN {{ratings_by_movie}}.rating_sum IS 'Sum of those ratings (exact: ratings are halves).';

CREATE TABLE IF NOT EXISTS {{ratings_users_by_genre}} (
  genre_id INTEGER NOT NULL,
  users INTEGER NOT NULL
);
COMMENT ON TABLE {{ratings_users_by_genre}} IS 'Per genre, the distinct users who rated at least one of its movies, as the latest ratings load counted them against movie_genres (key genre_id); trusted only while the ratings and movie_genres still match the fingerprint in load_stats.';
COMMENT ON COLUMN {{ratings_users_by_genre}}.genre_id IS 'TMDB genre id; the key.';
COMMENT ON COLUMN {{ratings_users_by_genre}}.users IS 'Distinct users with a rating of a movie of the genre.';

COMMENT ON COLUMN {{load_stats}}.metric IS 'What is counted: rows_staged, rows_loaded; for movies, links and cpi their source''s ledger source_rows_read = rows in the model + source_rejected + source_duplicate_ids; for ratings the ledger ratings_total = ratings_rejected + ratings_unmapped + ratings_not_loaded + ratings_superseded + ratings_analysed, rejected_<reason>, and the fingerprint of the rows the summaries were counted from (ratings_pair_sum, ratings_movie_halves_sum, movie_genres_rows, movie_genres_movie_id_sum, movie_genres_genre_id_sum, movie_genres_pair_sum).';
