-- Ratings reach movies through links: both must be loaded before ratings.
SELECT
  (SELECT COUNT(*) FROM (SELECT 1 AS present FROM {{links}} LIMIT 1) AS probe) AS links_present,
  (SELECT COUNT(*) FROM (SELECT 1 AS present FROM {{movies}} LIMIT 1) AS probe) AS movies_present
