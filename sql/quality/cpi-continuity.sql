-- The CPI series must be monthly without holes: one row per month from the first to the last,
-- each dated on the first day of its month. (Missing observations are NULL values, not holes.)
SELECT 'cpi months missing between the first and the last' AS subject,
  COALESCE(
    CAST(
      (EXTRACT(YEAR FROM MAX(month)) * 12 + EXTRACT(MONTH FROM MAX(month)))
      - (EXTRACT(YEAR FROM MIN(month)) * 12 + EXTRACT(MONTH FROM MIN(month)))
      + 1 - COUNT(DISTINCT month)
    AS BIGINT),
    0
  ) AS value
FROM {{cpi}}
UNION ALL
SELECT 'cpi months not dated on the first day', COUNT(*)
FROM {{cpi}}
WHERE EXTRACT(DAY FROM month) <> 1
