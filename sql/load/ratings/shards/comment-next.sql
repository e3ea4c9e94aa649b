-- LIKE ... INCLUDING ALL carries the column comments but not the table's own: the next table takes
-- the model's (model-comment.sql; {{comment}} is it as a quoted literal, since COMMENT takes no
-- parameter), so the table the commit swaps in describes itself as the model did.
COMMENT ON TABLE {{next}} IS {{comment}}
