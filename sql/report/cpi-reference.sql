-- Q4's frame: the latest month with a CPI value (revenues are restated in its prices), and the
-- movies with a known revenue that Q4 leaves out, apart (DESIGN.md section 5): those with a release
-- date whose release month has no CPI value, and those without a release date. Only a value above
-- 0 is a CPI value (as in genre-earnings-cpi.sql).
SELECT
  (SELECT MAX(month) FROM {{cpi}} WHERE value > 0) AS reference_month,
  (SELECT COUNT(*) FROM {{movies}} AS m
    WHERE m.revenue > 0
      AND m.release_date IS NOT NULL
      AND NOT EXISTS (
        SELECT 1 FROM {{cpi}} AS c
        WHERE c.value > 0 AND c.month = CAST(DATE_TRUNC('month', m.release_date) AS DATE)
      )) AS movies_without_cpi,
  (SELECT COUNT(*) FROM {{movies}} AS m
    WHERE m.revenue > 0 AND m.release_date IS NULL) AS movies_without_release_date
