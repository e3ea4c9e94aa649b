-- Bench: the PostgreSQL server's version, for the report of the machine and versions.
SELECT current_setting('server_version') AS version
