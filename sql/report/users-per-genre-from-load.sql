-- The distinct users per genre as the most recent ratings load counted them against movie_genres
-- (rated-movies-and-genres.sql's {{users_per_genre}}, used only while one scan shows the ratings
-- and movie_genres still give the load's fingerprint).
SELECT genre_id, users
FROM {{ratings_users_by_genre}}
