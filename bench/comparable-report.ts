import type { Report } from '../tasks/report/report';

/**
 * The report as two variants must agree on it: without `generated_at` (when it was written), with
 * the variant's lake URL as `<lake>`, and each rejects file named by its folder (a sharded
 * transform writes one per shard, `rejects-01of02.csv.gz`, and names them all). Every count and
 * answer stays.
 */
export function comparableReport(report: Report, lakeUrl: string): unknown {
  const text = JSON.stringify(report).split(lakeUrl).join('<lake>').replace(/\/rejects(-\d+of\d+)?\.csv\.gz/g, '/rejects*.csv.gz');
  const comparable: Partial<Report> = JSON.parse(text) as Report;
  delete comparable.generated_at;
  comparable.source_ledgers = comparable.source_ledgers?.map((ledger) => ({ ...ledger, rejects_objects: [...new Set(ledger.rejects_objects)] }));
  return comparable;
}
