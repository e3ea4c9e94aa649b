-- The warehouse model: movies and their dimensions (TMDB metadata), people and credits, keywords,
-- the MovieLens-to-TMDB links, user ratings, the release-date dimension, the CPI series, and the
-- per-run load statistics.
--
-- Written in the SQL that PostgreSQL and Redshift both accept. Keys and required values are not
-- constraints here: the staging tables (which mirror the staged contract) refuse a missing key at
-- COPY, every load keeps one row per key (sql/load/), and `movalytics quality-check` verifies
-- both on every warehouse the same way. Redshift, which never enforces keys, gets them as
-- planner hints in its own physical-design migration. Free text is VARCHAR with room for
-- multi-byte UTF-8: Redshift counts bytes, and TEXT would mean VARCHAR(256) there.

CREATE TABLE IF NOT EXISTS {{movies}} (
  movie_id INTEGER,
  imdb_id VARCHAR(16),
  title VARCHAR(1024),
  original_title VARCHAR(1024),
  original_language VARCHAR(16),
  overview VARCHAR(65535),
  tagline VARCHAR(4096),
  status VARCHAR(32),
  release_date DATE,
  runtime_minutes NUMERIC(7, 2),
  budget BIGINT,
  revenue BIGINT,
  popularity DOUBLE PRECISION,
  vote_average NUMERIC(4, 2),
  vote_count INTEGER,
  adult BOOLEAN,
  video BOOLEAN,
  homepage VARCHAR(2048),
  poster_path VARCHAR(512),
  collection_id INTEGER
);
COMMENT ON TABLE {{movies}} IS 'One row per TMDB movie (movies_metadata.csv, de-duplicated by TMDB id keeping the first occurrence).';
COMMENT ON COLUMN {{movies}}.movie_id IS 'TMDB movie id; the key.';
COMMENT ON COLUMN {{movies}}.imdb_id IS 'IMDb id, e.g. tt0114709.';
COMMENT ON COLUMN {{movies}}.title IS 'Title (English release title where TMDB has one).';
COMMENT ON COLUMN {{movies}}.original_title IS 'Title in the original language.';
COMMENT ON COLUMN {{movies}}.original_language IS 'ISO 639-1 code of the original language.';
COMMENT ON COLUMN {{movies}}.overview IS 'Plot summary.';
COMMENT ON COLUMN {{movies}}.tagline IS 'Marketing tagline.';
COMMENT ON COLUMN {{movies}}.status IS 'Production status, e.g. Released, Rumored.';
COMMENT ON COLUMN {{movies}}.release_date IS 'First release date; NULL when unknown. Joins release_dates.release_date.';
COMMENT ON COLUMN {{movies}}.runtime_minutes IS 'Running time in minutes.';
COMMENT ON COLUMN {{movies}}.budget IS 'Budget in US dollars; NULL when unknown (the source says 0).';
COMMENT ON COLUMN {{movies}}.revenue IS 'Worldwide box-office revenue in US dollars; NULL when unknown (the source says 0).';
COMMENT ON COLUMN {{movies}}.popularity IS 'TMDB popularity score at export time.';
COMMENT ON COLUMN {{movies}}.vote_average IS 'Mean TMDB user vote, 0 to 10 (not the MovieLens ratings).';
COMMENT ON COLUMN {{movies}}.vote_count IS 'Number of TMDB user votes.';
COMMENT ON COLUMN {{movies}}.adult IS 'Adult film flag.';
COMMENT ON COLUMN {{movies}}.video IS 'Direct-to-video flag.';
COMMENT ON COLUMN {{movies}}.homepage IS 'Official web site URL.';
COMMENT ON COLUMN {{movies}}.poster_path IS 'TMDB image path of the poster.';
COMMENT ON COLUMN {{movies}}.collection_id IS 'The collection (franchise) the movie belongs to; joins collections.collection_id.';

CREATE TABLE IF NOT EXISTS {{genres}} (
  genre_id INTEGER,
  name VARCHAR(256)
);
COMMENT ON TABLE {{genres}} IS 'TMDB genres.';
COMMENT ON COLUMN {{genres}}.genre_id IS 'TMDB genre id; the key.';
COMMENT ON COLUMN {{genres}}.name IS 'Genre name, e.g. Comedy.';

CREATE TABLE IF NOT EXISTS {{movie_genres}} (
  movie_id INTEGER,
  genre_id INTEGER
);
COMMENT ON TABLE {{movie_genres}} IS 'Which genres each movie has (a movie may have several); key (movie_id, genre_id).';
COMMENT ON COLUMN {{movie_genres}}.movie_id IS 'Joins movies.movie_id.';
COMMENT ON COLUMN {{movie_genres}}.genre_id IS 'Joins genres.genre_id.';

CREATE TABLE IF NOT EXISTS {{collections}} (
  collection_id INTEGER,
  name VARCHAR(1024),
  poster_path VARCHAR(512),
  backdrop_path VARCHAR(512)
);
COMMENT ON TABLE {{collections}} IS 'TMDB collections: series of movies such as a franchise.';
COMMENT ON COLUMN {{collections}}.collection_id IS 'TMDB collection id; the key.';
COMMENT ON COLUMN {{collections}}.name IS 'Collection name.';
COMMENT ON COLUMN {{collections}}.poster_path IS 'TMDB image path of the poster.';
COMMENT ON COLUMN {{collections}}.backdrop_path IS 'TMDB image path of the backdrop.';

CREATE TABLE IF NOT EXISTS {{companies}} (
  company_id INTEGER,
  name VARCHAR(1024)
);
COMMENT ON TABLE {{companies}} IS 'Production companies.';
COMMENT ON COLUMN {{companies}}.company_id IS 'TMDB company id; the key.';
COMMENT ON COLUMN {{companies}}.name IS 'Company name.';

CREATE TABLE IF NOT EXISTS {{movie_companies}} (
  movie_id INTEGER,
  company_id INTEGER
);
COMMENT ON TABLE {{movie_companies}} IS 'Which companies produced each movie; key (movie_id, company_id).';
COMMENT ON COLUMN {{movie_companies}}.movie_id IS 'Joins movies.movie_id.';
COMMENT ON COLUMN {{movie_companies}}.company_id IS 'Joins companies.company_id.';

CREATE TABLE IF NOT EXISTS {{countries}} (
  country_code VARCHAR(8),
  name VARCHAR(256)
);
COMMENT ON TABLE {{countries}} IS 'Production countries.';
COMMENT ON COLUMN {{countries}}.country_code IS 'ISO 3166-1 alpha-2 code; the key.';
COMMENT ON COLUMN {{countries}}.name IS 'Country name.';

CREATE TABLE IF NOT EXISTS {{movie_countries}} (
  movie_id INTEGER,
  country_code VARCHAR(8)
);
COMMENT ON TABLE {{movie_countries}} IS 'Which countries each movie was produced in; key (movie_id, country_code).';
COMMENT ON COLUMN {{movie_countries}}.movie_id IS 'Joins movies.movie_id.';
COMMENT ON COLUMN {{movie_countries}}.country_code IS 'Joins countries.country_code.';

CREATE TABLE IF NOT EXISTS {{languages}} (
  language_code VARCHAR(8),
  name VARCHAR(256)
);
COMMENT ON TABLE {{languages}} IS 'Spoken languages.';
COMMENT ON COLUMN {{languages}}.language_code IS 'ISO 639-1 code; the key.';
COMMENT ON COLUMN {{languages}}.name IS 'Language name in that language, e.g. Deutsch.';

CREATE TABLE IF NOT EXISTS {{movie_languages}} (
  movie_id INTEGER,
  language_code VARCHAR(8)
);
COMMENT ON TABLE {{movie_languages}} IS 'Which languages are spoken in each movie; key (movie_id, language_code).';
COMMENT ON COLUMN {{movie_languages}}.movie_id IS 'Joins movies.movie_id.';
COMMENT ON COLUMN {{movie_languages}}.language_code IS 'Joins languages.language_code.';

CREATE TABLE IF NOT EXISTS {{release_dates}} (
  release_date DATE,
  year INTEGER,
  quarter INTEGER,
  month INTEGER,
  day INTEGER,
  day_of_week INTEGER
);
COMMENT ON TABLE {{release_dates}} IS 'Date dimension of the movies release dates: one row per distinct date.';
COMMENT ON COLUMN {{release_dates}}.release_date IS 'The date; the key. Joins movies.release_date.';
COMMENT ON COLUMN {{release_dates}}.year IS 'Calendar year.';
COMMENT ON COLUMN {{release_dates}}.quarter IS 'Calendar quarter, 1 to 4.';
COMMENT ON COLUMN {{release_dates}}.month IS 'Month of the year, 1 to 12.';
COMMENT ON COLUMN {{release_dates}}.day IS 'Day of the month, 1 to 31.';
COMMENT ON COLUMN {{release_dates}}.day_of_week IS 'ISO day of the week: Monday 1 to Sunday 7.';

CREATE TABLE IF NOT EXISTS {{people}} (
  person_id INTEGER,
  name VARCHAR(1024),
  gender INTEGER,
  profile_path VARCHAR(512)
);
COMMENT ON TABLE {{people}} IS 'Cast and crew members (credits.csv).';
COMMENT ON COLUMN {{people}}.person_id IS 'TMDB person id; the key.';
COMMENT ON COLUMN {{people}}.name IS 'Name as credited.';
COMMENT ON COLUMN {{people}}.gender IS 'TMDB gender code: 0 unknown, 1 female, 2 male.';
COMMENT ON COLUMN {{people}}.profile_path IS 'TMDB image path of the profile picture.';

CREATE TABLE IF NOT EXISTS {{cast_members}} (
  credit_id VARCHAR(32),
  movie_id INTEGER,
  person_id INTEGER,
  "character" VARCHAR(4096),
  cast_order INTEGER,
  cast_id INTEGER
);
COMMENT ON TABLE {{cast_members}} IS 'Acting credits: who played whom in which movie.';
COMMENT ON COLUMN {{cast_members}}.credit_id IS 'TMDB credit id; the key.';
COMMENT ON COLUMN {{cast_members}}.movie_id IS 'Joins movies.movie_id.';
COMMENT ON COLUMN {{cast_members}}.person_id IS 'Joins people.person_id.';
COMMENT ON COLUMN {{cast_members}}."character" IS 'Character played.';
COMMENT ON COLUMN {{cast_members}}.cast_order IS 'Billing order, 0 first.';
COMMENT ON COLUMN {{cast_members}}.cast_id IS 'TMDB cast id within the movie.';

CREATE TABLE IF NOT EXISTS {{crew_members}} (
  credit_id VARCHAR(32),
  movie_id INTEGER,
  person_id INTEGER,
  department VARCHAR(256),
  job VARCHAR(256)
);
COMMENT ON TABLE {{crew_members}} IS 'Crew credits: who did which job on which movie.';
COMMENT ON COLUMN {{crew_members}}.credit_id IS 'TMDB credit id; the key.';
COMMENT ON COLUMN {{crew_members}}.movie_id IS 'Joins movies.movie_id.';
COMMENT ON COLUMN {{crew_members}}.person_id IS 'Joins people.person_id.';
COMMENT ON COLUMN {{crew_members}}.department IS 'Department, e.g. Directing.';
COMMENT ON COLUMN {{crew_members}}.job IS 'Job, e.g. Director.';

CREATE TABLE IF NOT EXISTS {{keywords}} (
  keyword_id INTEGER,
  name VARCHAR(1024)
);
COMMENT ON TABLE {{keywords}} IS 'TMDB plot keywords.';
COMMENT ON COLUMN {{keywords}}.keyword_id IS 'TMDB keyword id; the key.';
COMMENT ON COLUMN {{keywords}}.name IS 'Keyword, e.g. jealousy.';

CREATE TABLE IF NOT EXISTS {{movie_keywords}} (
  movie_id INTEGER,
  keyword_id INTEGER
);
COMMENT ON TABLE {{movie_keywords}} IS 'Which keywords describe each movie; key (movie_id, keyword_id).';
COMMENT ON COLUMN {{movie_keywords}}.movie_id IS 'Joins movies.movie_id.';
COMMENT ON COLUMN {{movie_keywords}}.keyword_id IS 'Joins keywords.keyword_id.';

CREATE TABLE IF NOT EXISTS {{links}} (
  movielens_id INTEGER,
  imdb_id VARCHAR(16),
  tmdb_id INTEGER
);
COMMENT ON TABLE {{links}} IS 'MovieLens movie ids mapped to IMDb and TMDB ids (links.csv): how ratings reach movies.';
COMMENT ON COLUMN {{links}}.movielens_id IS 'MovieLens movie id; the key.';
COMMENT ON COLUMN {{links}}.imdb_id IS 'IMDb numeric id as text, leading zeros kept.';
COMMENT ON COLUMN {{links}}.tmdb_id IS 'TMDB movie id (joins movies.movie_id); NULL when MovieLens has none. Two MovieLens ids may share one.';

CREATE TABLE IF NOT EXISTS {{ratings}} (
  user_id INTEGER,
  movie_id INTEGER,
  movielens_id INTEGER,
  rating NUMERIC(2, 1),
  rated_at TIMESTAMP
);
COMMENT ON TABLE {{ratings}} IS 'MovieLens user ratings mapped to TMDB movies through links; one row per user and movie. Where two MovieLens ids map to one movie, the user''s latest rating is kept (then the greatest).';
COMMENT ON COLUMN {{ratings}}.user_id IS 'MovieLens user id; key with movie_id.';
COMMENT ON COLUMN {{ratings}}.movie_id IS 'TMDB movie id; joins movies.movie_id.';
COMMENT ON COLUMN {{ratings}}.movielens_id IS 'The MovieLens movie id the kept rating was given to.';
COMMENT ON COLUMN {{ratings}}.rating IS 'Rating from 0.5 to 5 in steps of 0.5.';
COMMENT ON COLUMN {{ratings}}.rated_at IS 'When the rating was given (UTC).';

CREATE TABLE IF NOT EXISTS {{cpi}} (
  month DATE,
  value NUMERIC(12, 3)
);
COMMENT ON TABLE {{cpi}} IS 'FRED series CUSR0000SS62031: consumer price index for admission to movies, theaters and concerts, U.S. city average, monthly.';
COMMENT ON COLUMN {{cpi}}.month IS 'First day of the month; the key.';
COMMENT ON COLUMN {{cpi}}.value IS 'Index value (1982-84 = 100); NULL where FRED has no observation.';

CREATE TABLE IF NOT EXISTS {{load_stats}} (
  dataset VARCHAR(64) NOT NULL,
  run_id VARCHAR(100) NOT NULL,
  metric VARCHAR(64) NOT NULL,
  value BIGINT NOT NULL,
  recorded_at TIMESTAMP NOT NULL
);
COMMENT ON TABLE {{load_stats}} IS 'Counts recorded by each load, in the same transaction as the rows they describe; key (dataset, run_id, metric).';
COMMENT ON COLUMN {{load_stats}}.dataset IS 'The loaded dataset, e.g. movies or ratings.';
COMMENT ON COLUMN {{load_stats}}.run_id IS 'The pipeline run that loaded it.';
COMMENT ON COLUMN {{load_stats}}.metric IS 'What is counted: rows_staged, rows_loaded; for ratings also ratings_total, ratings_analysed, ratings_unmapped, ratings_duplicates and rejected_<reason>.';
COMMENT ON COLUMN {{load_stats}}.value IS 'The count.';
COMMENT ON COLUMN {{load_stats}}.recorded_at IS 'When the load committed (UTC).';
