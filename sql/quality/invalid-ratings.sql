-- Ratings outside the MovieLens scale: missing, below 0.5, above 5, or not a multiple of 0.5.
SELECT 'ratings.rating not in 0.5, 1, ..., 5' AS subject, COUNT(*) AS value
FROM {{ratings}}
WHERE rating IS NULL OR rating < 0.5 OR rating > 5 OR rating * 2 <> FLOOR(rating * 2)
