-- The ratings load records its ledger (DESIGN.md section 5): every rating row read in one bucket,
-- rejected, unmapped, not loaded, superseded or analysed. The metrics' description says so; loads
-- recorded before keep their ratings_duplicates (superseded by another name), which the report
-- and the quality check still read. Only the comment changes: 0001 is never edited.

COMMENT ON COLUMN {{load_stats}}.metric IS 'What is counted: rows_staged, rows_loaded; for ratings the ledger ratings_total = ratings_rejected + ratings_unmapped + ratings_not_loaded + ratings_superseded + ratings_analysed, and rejected_<reason>.';
