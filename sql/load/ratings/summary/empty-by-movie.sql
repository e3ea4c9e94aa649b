-- A ratings load replaces the ratings per movie of the load before it (in the transaction that
-- replaces the ratings): 45k rows at most, so DELETE, which leaves readers of the old rows alone.
DELETE FROM {{ratings_by_movie}}
