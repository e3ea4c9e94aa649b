-- The model's own comment, for the next table (comment-next.sql).
SELECT obj_description(to_regclass(CAST(:model_table AS VARCHAR(300))), 'pg_class') AS comment
