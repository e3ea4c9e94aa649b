-- A ratings load replaces the users per genre of the load before it (in the transaction that
-- replaces the ratings).
DELETE FROM {{ratings_users_by_genre}}
