-- The distinct users per genre, aggregated from the ratings (rated-movies-and-genres.sql's
-- {{users_per_genre}} when no verified load summary holds them); reads that statement's
-- genre_bits. From one bit mask of genres per user, so no join fans the ratings out once per genre
-- and no DISTINCT sorts tens of millions of rows:
--   * each movie's genres as ONE mask (a BIGINT holds 63 genres; TMDB has 20), so each rating
--     meets exactly one mask row, and the planner, which sees one row per movie_id, hashes the
--     45k masks rather than the 26M ratings;
--   * one OR of masks per user, then one bit test per user and genre.
-- Genres beyond the 63rd (none in TMDB) are counted with COUNT(DISTINCT) instead: with no such
-- genre, that branch joins against nothing and PostgreSQL never reads the ratings for it.
-- On PostgreSQL at full scale, Q2 alone took 16 s of CPU this way, where masks per (user, group of
-- 62 genres) over the ratings joined once per genre (55M rows, spilling 1.4 GB) took 25 s.
SELECT gb.genre_id, COUNT(*) AS users
FROM (
  SELECT r.user_id, BIT_OR(mm.mask) AS mask
  FROM {{ratings}} AS r
  JOIN (
    SELECT mg.movie_id, BIT_OR(CAST(1 AS BIGINT) << gb.position) AS mask
    FROM {{movie_genres}} AS mg
    -- genre_bits' positions written out again: reading the CTE here would keep this out of the
    -- parallel workers.
    JOIN (
      SELECT g.genre_id, CAST(COUNT(*) - 1 AS INTEGER) AS position
      FROM (SELECT DISTINCT genre_id FROM {{genres}}) AS g
      JOIN (SELECT DISTINCT genre_id FROM {{genres}}) AS lower ON lower.genre_id <= g.genre_id
      GROUP BY g.genre_id
    ) AS gb ON gb.genre_id = mg.genre_id
    WHERE gb.position < 63
    GROUP BY mg.movie_id
  ) AS mm ON mm.movie_id = r.movie_id
  WHERE r.user_id IS NOT NULL
  GROUP BY r.user_id
) AS um
JOIN genre_bits AS gb ON gb.position < 63 AND (um.mask & (CAST(1 AS BIGINT) << gb.position)) <> 0
GROUP BY gb.genre_id
UNION ALL
SELECT gb.genre_id, COUNT(DISTINCT r.user_id)
FROM {{ratings}} AS r
JOIN {{movie_genres}} AS mg ON mg.movie_id = r.movie_id
JOIN genre_bits AS gb ON gb.genre_id = mg.genre_id
WHERE gb.position >= 63
GROUP BY gb.genre_id
