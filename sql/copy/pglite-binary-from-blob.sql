-- PGlite: one chunk of typed rows in the binary COPY format (binary-copy.ts, header and trailer
-- included) handed over as the /dev/blob device, chunk by chunk so memory stays bounded.
-- {{freeze}} is ", FREEZE true" when the table was created or emptied in this transaction (typed-rows.ts).
COPY {{table}} ({{columns}}) FROM '/dev/blob' WITH (FORMAT binary{{freeze}})
