-- The source ledger of a dataset that holds its source's records (the contract's
-- holdsSourceRecords: movies, links, cpi), a part of record-stats.sql after dataset-counts.sql:
-- records read, rejected as bad data, and repeats of an id, as the transform's manifest states them.
-- quality/source-ledger.sql checks them against the rows the model holds.
SELECT CAST(:dataset_{{n}} AS VARCHAR(64)), 'source_rows_read', CAST(:source_rows_read_{{n}} AS BIGINT)
UNION ALL
SELECT CAST(:dataset_{{n}} AS VARCHAR(64)), 'source_rejected', CAST(:source_rejected_{{n}} AS BIGINT)
UNION ALL
SELECT CAST(:dataset_{{n}} AS VARCHAR(64)), 'source_duplicate_ids', CAST(:source_duplicate_ids_{{n}} AS BIGINT)
