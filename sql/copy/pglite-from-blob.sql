-- PGlite: one chunk of CSV records (header already checked and removed) handed over as the
-- /dev/blob device. The loader calls this once per chunk so memory stays bounded.
COPY {{table}} ({{columns}}) FROM '/dev/blob' WITH (FORMAT csv)
