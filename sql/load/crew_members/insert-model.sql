-- One row per key (credit_id): staged parts may repeat a key, and the same row always
-- wins (ordered by every other column), so a reload leaves the same table.
INSERT INTO {{crew_members}} (credit_id, movie_id, person_id, department, job)
SELECT credit_id, movie_id, person_id, department, job
FROM (
  SELECT
    s.*,
    ROW_NUMBER() OVER (PARTITION BY credit_id ORDER BY movie_id, person_id, department, job) AS row_rank
  FROM {{staging}} AS s
) AS ranked
WHERE row_rank = 1
