-- Redshift only: physical design and key declarations for the report's joins. Applied after
-- 0001 by create-tables on Redshift, one statement at a time (Redshift's ALTER DISTSTYLE/DISTKEY/
-- SORTKEY are best run outside a transaction block); PostgreSQL and PGlite never see this file.
--
-- * ratings (26M rows) is distributed on movie_id, and so are the two large credit tables: the
--   report aggregates ratings per movie and per genre, so those joins stay on one slice.
-- * Every dimension and the small fact tables are copied to every node (DISTSTYLE ALL): joins
--   to them never redistribute data.
-- * Sort keys lead with the join or range column.
-- * No PRIMARY/FOREIGN KEY declarations: Redshift never enforces them but its planner trusts
--   them, so a violated one gives wrong answers. Keys are verified by quality-check instead.

ALTER TABLE {{movies}} ALTER DISTSTYLE ALL;
ALTER TABLE {{movies}} ALTER SORTKEY (movie_id);

ALTER TABLE {{genres}} ALTER DISTSTYLE ALL;
ALTER TABLE {{genres}} ALTER SORTKEY (genre_id);

ALTER TABLE {{movie_genres}} ALTER DISTSTYLE ALL;
ALTER TABLE {{movie_genres}} ALTER SORTKEY (movie_id, genre_id);

ALTER TABLE {{collections}} ALTER DISTSTYLE ALL;
ALTER TABLE {{collections}} ALTER SORTKEY (collection_id);

ALTER TABLE {{companies}} ALTER DISTSTYLE ALL;
ALTER TABLE {{companies}} ALTER SORTKEY (company_id);

ALTER TABLE {{movie_companies}} ALTER DISTSTYLE ALL;
ALTER TABLE {{movie_companies}} ALTER SORTKEY (movie_id, company_id);

ALTER TABLE {{countries}} ALTER DISTSTYLE ALL;
ALTER TABLE {{countries}} ALTER SORTKEY (country_code);

ALTER TABLE {{movie_countries}} ALTER DISTSTYLE ALL;
ALTER TABLE {{movie_countries}} ALTER SORTKEY (movie_id, country_code);

ALTER TABLE {{languages}} ALTER DISTSTYLE ALL;
ALTER TABLE {{languages}} ALTER SORTKEY (language_code);

ALTER TABLE {{movie_languages}} ALTER DISTSTYLE ALL;
ALTER TABLE {{movie_languages}} ALTER SORTKEY (movie_id, language_code);

ALTER TABLE {{release_dates}} ALTER DISTSTYLE ALL;
ALTER TABLE {{release_dates}} ALTER SORTKEY (release_date);

ALTER TABLE {{people}} ALTER DISTSTYLE ALL;
ALTER TABLE {{people}} ALTER SORTKEY (person_id);

ALTER TABLE {{keywords}} ALTER DISTSTYLE ALL;
ALTER TABLE {{keywords}} ALTER SORTKEY (keyword_id);

ALTER TABLE {{movie_keywords}} ALTER DISTSTYLE ALL;
ALTER TABLE {{movie_keywords}} ALTER SORTKEY (movie_id, keyword_id);

ALTER TABLE {{links}} ALTER DISTSTYLE ALL;
ALTER TABLE {{links}} ALTER SORTKEY (movielens_id);

ALTER TABLE {{cpi}} ALTER DISTSTYLE ALL;
ALTER TABLE {{cpi}} ALTER SORTKEY (month);

ALTER TABLE {{ratings}} ALTER DISTSTYLE KEY DISTKEY movie_id;
ALTER TABLE {{ratings}} ALTER SORTKEY (movie_id, user_id);

ALTER TABLE {{cast_members}} ALTER DISTSTYLE KEY DISTKEY movie_id;
ALTER TABLE {{cast_members}} ALTER SORTKEY (movie_id);

ALTER TABLE {{crew_members}} ALTER DISTSTYLE KEY DISTKEY movie_id;
ALTER TABLE {{crew_members}} ALTER SORTKEY (movie_id);

ALTER TABLE {{load_stats}} ALTER DISTSTYLE ALL;
