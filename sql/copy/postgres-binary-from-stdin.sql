-- PostgreSQL: typed rows streamed from the task in the binary COPY format (binary-copy.ts), so
-- the server stores values without parsing text. {{freeze}} is ", FREEZE true" when the table was
-- created or emptied in this transaction (typed-rows.ts).
COPY {{table}} ({{columns}}) FROM STDIN WITH (FORMAT binary{{freeze}})
