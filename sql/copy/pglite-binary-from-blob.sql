-- PGlite: one chunk of typed rows in the binary COPY format (binary-copy.ts, header and trailer
-- included) handed over as the /dev/blob device, chunk by chunk so memory stays bounded.
COPY {{table}} ({{columns}}) FROM '/dev/blob' WITH (FORMAT binary)
