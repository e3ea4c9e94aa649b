-- PostgreSQL: the object's CSV records (header already checked and removed) streamed from the
-- task over the connection.
COPY {{table}} ({{columns}}) FROM STDIN WITH (FORMAT csv)
