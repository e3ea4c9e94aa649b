-- The ratings the model holds before a sharded commit replaces them, without scanning them (a
-- COUNT(*) of 26M rows took 4 s of the commit): the ratings_analysed of the latest ratings load,
-- recorded in the transaction that wrote those rows (quality/ratings-ledger.sql checks they
-- agree); 0 before the first load.
WITH latest AS ({{latest_ratings_load}})
SELECT COALESCE(SUM(s.value), 0) AS model_rows
FROM {{load_stats}} AS s
JOIN latest ON s.run_id = latest.run_id
WHERE s.dataset = 'ratings' AND s.metric = 'ratings_analysed'
