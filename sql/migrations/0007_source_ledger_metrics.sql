-- The loads of the datasets that hold their source's records (movies, links, cpi) record that
-- source's ledger beside their counts: source_rows_read = rows in the model + source_rejected +
-- source_duplicate_ids, which quality-check's source_ledgers_balance checks. Only the comment
-- changes: earlier migrations are never edited.

COMMENT ON COLUMN {{load_stats}}.metric IS 'What is counted: rows_staged, rows_loaded; for movies, links and cpi their source''s ledger source_rows_read = rows in the model + source_rejected + source_duplicate_ids; for ratings the ledger ratings_total = ratings_rejected + ratings_unmapped + ratings_not_loaded + ratings_superseded + ratings_analysed, and rejected_<reason>.';
