-- Q4: inflation-adjusted revenue per genre: revenue × CPI(reference month) / CPI(release month),
-- for movies with a known revenue whose release month has a CPI value; highest total first.
-- A CPI value is usable only above 0 (the quality check cpi_positive fails on any other): a month
-- without one is a month without CPI, and the division cannot meet a zero (NULLIF besides).
WITH reference AS (
  SELECT value FROM {{cpi}}
  WHERE month = (SELECT MAX(month) FROM {{cpi}} WHERE value > 0)
),
adjusted AS (
  SELECT
    m.movie_id,
    CAST(m.revenue AS DOUBLE PRECISION) * CAST(ref.value AS DOUBLE PRECISION) / NULLIF(CAST(c.value AS DOUBLE PRECISION), 0)
      AS adjusted_revenue
  FROM {{movies}} AS m
  JOIN {{cpi}} AS c ON c.month = CAST(DATE_TRUNC('month', m.release_date) AS DATE)
  CROSS JOIN reference AS ref
  WHERE m.revenue > 0 AND c.value > 0
)
SELECT
  g.name AS genre,
  COUNT(*) AS movies,
  -- Summed exactly (DECIMAL, to a millionth of a dollar): a sum of doubles depends on the order the
  -- rows meet, which the physical layout and parallel workers change from run to run, and the
  -- report must give the same numbers for the same data.
  CAST(SUM(CAST(a.adjusted_revenue AS DECIMAL(38, 6))) AS DOUBLE PRECISION) AS total_adjusted_revenue,
  CAST(SUM(CAST(a.adjusted_revenue AS DECIMAL(38, 6))) AS DOUBLE PRECISION) / COUNT(*) AS mean_adjusted_revenue,
  -- The median beside the mean (revenue is heavy-tailed); of an even count, the mean of the two
  -- middle values, as PERCENTILE_CONT(0.5) interpolates on PostgreSQL and Redshift alike.
  PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY a.adjusted_revenue) AS median_adjusted_revenue
FROM adjusted AS a
JOIN {{movie_genres}} AS mg ON mg.movie_id = a.movie_id
JOIN {{genres}} AS g ON g.genre_id = mg.genre_id
GROUP BY g.genre_id, g.name
ORDER BY total_adjusted_revenue DESC, genre ASC
