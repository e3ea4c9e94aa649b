-- Bench: the table of the ratings load's floor. The raw file's four columns as text, unindexed:
-- the cheapest table PostgreSQL can COPY ratings.csv into (no value is even parsed), so no load
-- of that file can beat it. (The load itself stores typed, checked, mapped rows.)
CREATE TABLE {{table}} (
  user_id VARCHAR(256),
  movielens_id VARCHAR(256),
  rating VARCHAR(256),
  rated_at_epoch VARCHAR(256)
)
