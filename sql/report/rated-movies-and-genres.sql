-- Q1 and Q2, the two questions about the ratings, in one statement so that the ratings are
-- aggregated per movie ONCE for both (26M rows: a third of the report's work when each question
-- aggregated them itself). Rows: `answer` says which question a row answers, `position` its place
-- in that answer. One more row, `ratings_analysed`, counts the ratings the model holds (the
-- coverage's last bucket) as the sum of the per-movie counts (a NULL movie_id is a group of its
-- own), not as a third scan of the ratings.
--
-- The two aggregates of the ratings come from the most recent ratings load's summaries when one
-- scan verifies them (tasks/core/warehouse/ratings-summaries.ts), else from the ratings:
--   {{ratings_per_movie}}  movie_id, ratings_count, rating_sum: ratings-per-movie-from-load.sql or
--                          ratings-per-movie-aggregated.sql;
--   {{users_per_genre}}    genre_id, users (distinct users with a rating of a movie of the genre):
--                          users-per-genre-from-load.sql or users-per-genre-aggregated.sql, which
--                          may read the genre_bits of this statement.
-- The answers are the same either way (test/report-queries.test.ts compares them).
--
-- Q1 highest_rated: the movies with at least :min_ratings ratings, by mean rating, then ratings
-- count, then movie id; top 10; with the Bayesian weighted rating v/(v+m)·R + m/(v+m)·C, where m
-- is :min_ratings and C the mean of all analysed ratings (from the per-movie counts and sums, not a
-- second scan; the sums are exact: ratings are halves, which DOUBLE PRECISION adds without rounding).
--
-- Q2 popular_genres: per genre, the ratings of its movies (a movie in several genres counts in
-- each), the distinct users who gave them, and their mean; most-rated genre first. Counts and
-- sums come from the per-movie aggregate, users from the users per genre.
WITH per_movie AS ({{ratings_per_movie}}),
overall AS (
  SELECT CAST(SUM(rating_sum) AS DOUBLE PRECISION) / SUM(ratings_count) AS mean_rating FROM per_movie
),
top_movies AS (
  SELECT q.movie_id, m.title, q.ratings_count, q.mean_rating
  FROM (
    SELECT movie_id, ratings_count, CAST(rating_sum AS DOUBLE PRECISION) / ratings_count AS mean_rating
    FROM per_movie
    WHERE ratings_count >= CAST(:min_ratings AS INTEGER)
  ) AS q
  JOIN {{movies}} AS m ON m.movie_id = q.movie_id
  ORDER BY q.mean_rating DESC, q.ratings_count DESC, q.movie_id ASC
  LIMIT 10
),
-- Each genre's bit: its rank among the genre ids, counted with a join, not ROW_NUMBER(): a window
-- function, like a scan of a CTE used twice, keeps PostgreSQL from running the per-user masks in
-- parallel workers (2x slower).
genre_bits AS (
  SELECT g.genre_id, g.name, CAST(COUNT(*) - 1 AS INTEGER) AS position
  FROM (SELECT genre_id, MIN(name) AS name FROM {{genres}} GROUP BY genre_id) AS g
  JOIN (SELECT DISTINCT genre_id FROM {{genres}}) AS lower ON lower.genre_id <= g.genre_id
  GROUP BY g.genre_id, g.name
),
genre_users AS ({{users_per_genre}}),
genre_ratings AS (
  SELECT mg.genre_id, SUM(pm.ratings_count) AS ratings_count, SUM(pm.rating_sum) AS rating_sum
  FROM {{movie_genres}} AS mg
  JOIN per_movie AS pm ON pm.movie_id = mg.movie_id
  GROUP BY mg.genre_id
)
-- VARCHAR, not CHAR: Redshift would pad the shorter literal of a UNION with blanks.
SELECT
  CAST('highest_rated' AS VARCHAR(32)) AS answer,
  ROW_NUMBER() OVER (ORDER BY p.mean_rating DESC, p.ratings_count DESC, p.movie_id ASC) AS position,
  p.movie_id,
  p.title,
  CAST(NULL AS VARCHAR(256)) AS genre,
  CAST(p.ratings_count AS BIGINT) AS ratings_count,
  p.mean_rating,
  CAST(p.ratings_count AS DOUBLE PRECISION) / (p.ratings_count + CAST(:min_ratings AS INTEGER))
    * p.mean_rating
    + CAST(:min_ratings AS DOUBLE PRECISION) / (p.ratings_count + CAST(:min_ratings AS INTEGER)) * o.mean_rating
    AS weighted_rating,
  CAST(NULL AS BIGINT) AS users
FROM top_movies AS p
CROSS JOIN overall AS o
UNION ALL
SELECT
  'popular_genres',
  ROW_NUMBER() OVER (ORDER BY gr.ratings_count DESC, gb.name ASC),
  CAST(NULL AS INTEGER),
  CAST(NULL AS VARCHAR(1024)),
  gb.name,
  CAST(gr.ratings_count AS BIGINT),
  CAST(gr.rating_sum AS DOUBLE PRECISION) / gr.ratings_count,
  CAST(NULL AS DOUBLE PRECISION),
  gu.users
FROM genre_ratings AS gr
JOIN genre_users AS gu ON gu.genre_id = gr.genre_id
JOIN genre_bits AS gb ON gb.genre_id = gr.genre_id
UNION ALL
SELECT
  'ratings_analysed',
  1,
  CAST(NULL AS INTEGER),
  CAST(NULL AS VARCHAR(1024)),
  CAST(NULL AS VARCHAR(256)),
  CAST(COALESCE(SUM(ratings_count), 0) AS BIGINT),
  CAST(NULL AS DOUBLE PRECISION),
  CAST(NULL AS DOUBLE PRECISION),
  CAST(NULL AS BIGINT)
FROM per_movie
ORDER BY answer, position
