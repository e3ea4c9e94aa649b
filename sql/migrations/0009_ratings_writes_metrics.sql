-- The metrics a streaming ratings load (PGlite, PostgreSQL) records beside the fingerprint of its
-- summaries, so that a reader need not scan the ratings to verify them: ratings_writes_since_load,
-- which the trigger the load makes on the ratings (sql/load/ratings/summary/count-writes.sql)
-- counts up for every statement that writes them afterwards, and ratings_table_oid, the table the
-- load wrote (sql/ratings-summary/unwritten.sql).

COMMENT ON COLUMN {{load_stats}}.metric IS 'What is counted: rows_staged, rows_loaded; for movies, links and cpi their source''s ledger source_rows_read = rows in the model + source_rejected + source_duplicate_ids; for ratings the ledger ratings_total = ratings_rejected + ratings_unmapped + ratings_not_loaded + ratings_superseded + ratings_analysed, rejected_<reason>, the fingerprint of the rows the summaries were counted from (ratings_pair_sum, ratings_movie_halves_sum, movie_genres_rows, movie_genres_movie_id_sum, movie_genres_genre_id_sum, movie_genres_pair_sum), and, on PGlite and PostgreSQL, the statements that wrote the ratings since the load (ratings_writes_since_load) and the ratings table it wrote (ratings_table_oid).';
