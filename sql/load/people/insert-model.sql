-- One row per key (person_id): staged parts may repeat a key, and the same row always
-- wins (ordered by every other column), so a reload leaves the same table.
INSERT INTO {{people}} (person_id, name, gender, profile_path)
SELECT person_id, name, gender, profile_path
FROM (
  SELECT
    s.*,
    ROW_NUMBER() OVER (PARTITION BY person_id ORDER BY name, gender, profile_path) AS row_rank
  FROM {{staging}} AS s
) AS ranked
WHERE row_rank = 1
