-- A price index is above 0: a CPI value of 0 or below is damage (Q4 divides revenues by it).
-- NULL is a month FRED has no observation for, not a bad value.
SELECT 'cpi values not above 0' AS subject, COUNT(*) AS value
FROM {{cpi}}
WHERE value <= 0
