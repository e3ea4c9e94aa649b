-- PostgreSQL: typed rows streamed from the task in the binary COPY format (binary-copy.ts), so
-- the server stores values without parsing text.
COPY {{table}} ({{columns}}) FROM STDIN WITH (FORMAT binary)
