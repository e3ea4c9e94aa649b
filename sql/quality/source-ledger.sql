-- One source's ledger for this run, against the model table that holds its records (a template,
-- rendered once per dataset the contract marks holdsSourceRecords: movies, links, cpi): records
-- read - (rejected + duplicate ids + rows in the model). 0 when every record read is accounted
-- for once; a row lost from the model after the load, or a count recorded short, makes it
-- non-zero. No row when the load recorded no ledger (a manifest written before the ledger).
SELECT CAST({{subject}} AS VARCHAR(128)) AS subject, r.rows_read - r.left_out - (SELECT COUNT(*) FROM {{table}}) AS value
FROM (
  SELECT
    SUM(CASE WHEN metric = 'source_rows_read' THEN value ELSE 0 END) AS rows_read,
    SUM(CASE WHEN metric IN ('source_rejected', 'source_duplicate_ids') THEN value ELSE 0 END) AS left_out,
    COUNT(*) AS recorded
  FROM {{load_stats}}
  WHERE run_id = CAST(:run_id AS VARCHAR(100))
    AND dataset = {{subject}}
    AND metric IN ('source_rows_read', 'source_rejected', 'source_duplicate_ids')
) AS r
WHERE r.recorded > 0
