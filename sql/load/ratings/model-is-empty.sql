-- Asked under the load's table lock: an empty model (a first load) takes the rows straight from
-- COPY, with nothing to replace.
SELECT CASE WHEN EXISTS (SELECT 1 FROM {{ratings}}) THEN 0 ELSE 1 END AS model_is_empty
