-- Serialises concurrent create-tables runs: the second waits, then records nothing new.
LOCK TABLE {{schema_migrations}}
