-- One row per key (movie_id, company_id): staged parts may repeat a pair.
INSERT INTO {{movie_companies}} (movie_id, company_id)
SELECT DISTINCT movie_id, company_id
FROM {{staging}}
