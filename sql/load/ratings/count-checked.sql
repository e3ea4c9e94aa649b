-- Where every raw rating went: rejected (by reason), unmapped (no TMDB id, or not a loaded movie),
-- or valid and mapped. Duplicates dropped by the rule are the mapped ones not in staging.
SELECT
  COUNT(*) AS ratings_total,
  COALESCE(SUM(CASE WHEN c.reject_reason = 'unparsable' THEN 1 ELSE 0 END), 0) AS rejected_unparsable,
  COALESCE(SUM(CASE WHEN c.reject_reason = 'out_of_range' THEN 1 ELSE 0 END), 0) AS rejected_out_of_range,
  COALESCE(SUM(CASE WHEN c.reject_reason = 'not_half_step' THEN 1 ELSE 0 END), 0) AS rejected_not_half_step,
  COALESCE(SUM(CASE WHEN c.reject_reason IS NULL AND m.movie_id IS NULL THEN 1 ELSE 0 END), 0) AS ratings_unmapped,
  COALESCE(SUM(CASE WHEN c.reject_reason IS NULL AND m.movie_id IS NOT NULL THEN 1 ELSE 0 END), 0) AS ratings_mapped
FROM {{checked}} AS c
LEFT JOIN (SELECT DISTINCT movielens_id, tmdb_id FROM {{links}} WHERE tmdb_id IS NOT NULL) AS l
  ON l.movielens_id = c.movielens_id
LEFT JOIN (SELECT DISTINCT movie_id FROM {{movies}}) AS m
  ON m.movie_id = l.tmdb_id
