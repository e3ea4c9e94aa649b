-- Rows of one model table whose reference names a key that is not loaded; 0 passes. A template:
-- quality-check renders it once per reference the contract (tasks/core/staged.ts) marks `record`
-- (both sides from one source record: a movie's genres, companies, countries, languages,
-- collection and release date; a credit's person; a movie's keywords) and joins the statements
-- with UNION ALL. A NULL reference in a column the contract lets be NULL (no collection, no
-- release date) means "unknown" and is not an orphan; in any other column it is one.
--
-- Left out on purpose: references ACROSS sources (credits, keywords and links to movies), which
-- the real data breaks by design (credits of movies rejected or absent from movies_metadata.csv)
-- and which the report never follows. Ratings to movies are measured in ratings-profile.sql, in
-- its one statement over the ratings; the load keeps only ratings of loaded movies.
--
-- NOT EXISTS, an anti-join: it needs no DISTINCT of the parent's keys (a repeated key matches a row
-- once all the same), which cost a third of this statement's time at full scale on PostgreSQL.
SELECT CAST({{subject}} AS VARCHAR(128)) AS subject, COUNT(*) AS value
FROM {{table}} AS r
WHERE NOT EXISTS (SELECT 1 FROM {{parent}} AS t WHERE t.{{parent_key}} = r.{{column}})
  AND (r.{{column}} IS NOT NULL OR {{null_is_orphan}})
