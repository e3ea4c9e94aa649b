-- The counts of every dataset of the load, committed with the rows they describe, in ONE
-- statement ({{dataset_counts}}: dataset-counts.sql once per dataset), so that a load of many
-- datasets stays within the Redshift Data API's 40 statements per transaction.
INSERT INTO {{load_stats}} (dataset, run_id, metric, value, recorded_at)
SELECT counts.dataset, CAST(:run_id AS VARCHAR(100)), counts.metric, counts.value, CAST(:recorded_at AS TIMESTAMP)
FROM (
  {{dataset_counts}}
) AS counts
