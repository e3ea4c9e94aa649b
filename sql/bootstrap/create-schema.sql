-- The schema that holds the model, created before anything else.
CREATE SCHEMA IF NOT EXISTS {{schema}}
