-- Bench: a bench run's own schema, dropped before the run (so every run is a first load) and after
-- it (the bench leaves no large data behind). Never the tests' default `movalytics` schema.
DROP SCHEMA IF EXISTS {{schema}} CASCADE
