-- Q3b: the same movies as Q3a, per calendar quarter of release.
SELECT
  d.quarter,
  COUNT(*) AS movies,
  SUM(m.revenue) AS total_revenue,
  AVG(CAST(m.revenue AS DOUBLE PRECISION)) AS mean_revenue,
  -- Revenue is heavy-tailed: the median beside the mean. PERCENTILE_CONT(0.5) interpolates, so the
  -- median of an even count is the mean of the two middle values; PostgreSQL and Redshift both
  -- take it as an aggregate.
  PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY CAST(m.revenue AS DOUBLE PRECISION)) AS median_revenue
FROM {{movies}} AS m
JOIN {{release_dates}} AS d ON d.release_date = m.release_date
WHERE m.revenue > 0
GROUP BY d.quarter
ORDER BY d.quarter
