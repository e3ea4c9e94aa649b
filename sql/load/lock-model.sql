-- First statement of the streamed ratings transaction (PGlite, PostgreSQL): concurrent loads of the
-- ratings take turns instead of interleaving their TRUNCATE and COPY. load_stats is locked at the
-- end only (lock-stats.sql), so the other datasets' loads do not wait for the whole stream; under
-- PostgreSQL's READ COMMITTED a late lock causes no serialization failure, and every other
-- transaction takes load_stats first and never ratings, so no two wait for each other.
LOCK TABLE {{model}}
