/**
 * `movalytics report`: answer the four business questions from the warehouse.
 *
 *   query sql/report/*.sql (coverage, Q1 highest-rated and Q2 genres in one statement, Q3 box office,
 *     Q4 CPI-adjusted) → one finding sentence per question, computed from the answers
 *     + every transformed source's ledger, read from the run's transform manifests in the lake
 *     → report.json (DESIGN.md §5 shape) → report.md (tables) → report.html (inline SVG charts)
 *     → written to reports/<run_id>/ in the lake.
 */
import type { Lake } from '../core/lake/lake';
import { layout } from '../core/lake/layout';
import type { Logger } from '../core/log';
import type { TaskOutput } from '../core/result';
import type { WarehouseNames } from '../core/warehouse/identifiers';
import type { Warehouse } from '../core/warehouse/warehouse';
import { renderHtml } from './html';
import { renderMarkdown } from './markdown';
import { queryReport } from './queries';
import type { Report } from './report';
import { readSourceLedgers } from './source-ledgers';

// The report's public entry: what the pipeline prints of a finished run comes from here.
export type { Report } from './report';
export { answerTables, renderTable } from './tables';

export const TASK = 'report';
export const DEFAULT_MIN_RATINGS = 50;

export interface ReportOptions {
  runId: string;
  minRatings: number;
}

export interface ReportDeps {
  warehouse: Warehouse;
  names: WarehouseNames;
  lake: Lake;
  logger: Logger;
  now?: () => Date;
}

export async function writeReport(options: ReportOptions, deps: ReportDeps): Promise<{ report: Report; objects: string[] }> {
  const { lake, logger } = deps;
  const answers = await queryReport(deps.warehouse, deps.names, { ...options, now: (deps.now ?? (() => new Date()))() });
  const report: Report = { ...answers, source_ledgers: await readSourceLedgers(lake, options.runId, answers.coverage.movies) };
  if (report.coverage.movies === 0) logger.warn('the warehouse has no movies: every answer is empty');
  // Vega is loaded only here, not by every task that merely registers the report command.
  const charts = await (await import('./charts')).renderCharts(report);
  const files: Array<[string, string]> = [
    ['report.json', `${JSON.stringify(report, null, 2)}\n`],
    ['report.md', renderMarkdown(report)],
    ['report.html', renderHtml(report, charts)],
  ];
  const objects: string[] = [];
  for (const [name, text] of files) {
    const key = layout.report(options.runId, name);
    await lake.put(key, text);
    objects.push(lake.urlOf(key));
  }
  logger.info('report written', { objects });
  return { report, objects };
}

export function reportOutput(result: { report: Report; objects: string[] }): TaskOutput {
  const { report, objects } = result;
  return {
    objects,
    movies: report.coverage.movies,
    ratings_analysed: report.coverage.ratings_analysed,
    highest_rated: report.highest_rated[0]?.title ?? null,
    most_popular_genre: report.popular_genres[0]?.genre ?? null,
  };
}
