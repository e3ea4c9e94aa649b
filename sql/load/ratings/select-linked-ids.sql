-- The MovieLens ids links maps to a TMDB id, whether or not that movie is loaded: a rating of any
-- other id is unmapped, a rating of one of these whose movie is not loaded is not_loaded
-- (the ratings ledger, DESIGN.md section 5).
SELECT DISTINCT movielens_id
FROM {{links}}
WHERE tmdb_id IS NOT NULL AND movielens_id IS NOT NULL
