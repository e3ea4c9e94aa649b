/**
 * Answers the four questions in the warehouse: one SQL file per question in sql/report/, values as
 * parameters. The adapters return NUMERIC as decimal strings; the report wants JSON numbers.
 */
import { sqlStatement } from '../core/warehouse/sql-files';
import type { WarehouseNames } from '../core/warehouse/identifiers';
import { requireModelTables } from '../core/warehouse/model-tables';
import { verifySummaries } from '../core/warehouse/ratings-summaries';
import { numberColumn } from '../core/warehouse/rows';
import type { Row, SqlParams, Warehouse } from '../core/warehouse/warehouse';
import { findingsOf } from './findings';
import type { QueriedReport, ReportAnswers } from './report';

export async function queryReport(
  warehouse: Warehouse,
  names: WarehouseNames,
  frame: { runId: string; minRatings: number; now: Date },
): Promise<QueriedReport> {
  const run = (file: string, params: SqlParams = {}, fragments: Record<string, string> = {}) =>
    warehouse.query(sqlStatement(`report/${file}`, names, fragments), params);
  await requireModelTables(warehouse, names);
  const [coverage] = await run('coverage');
  const [cpiFrame] = await run('cpi-reference');
  if (!coverage || !cpiFrame) throw new Error('report frame queries returned no row');
  // Q1 and Q2 share one aggregate of the ratings per movie: one statement answers both, row by row,
  // and counts the analysed ratings from it. Its two aggregates come from the load's summaries
  // where one scan verifies them (the same answers, without aggregating 26M ratings).
  const ratingAnswers = await run('rated-movies-and-genres', { min_ratings: frame.minRatings }, await ratingAggregates(warehouse, names));
  const [analysed] = ratingAnswers.filter((r) => r.answer === 'ratings_analysed');
  if (!analysed) throw new Error('report rating queries returned no count of analysed ratings');
  const answers: ReportAnswers = {
    run_id: frame.runId,
    generated_at: frame.now.toISOString(),
    parameters: { min_ratings: frame.minRatings },
    coverage: {
      movies: numberColumn(coverage, 'movies'),
      ratings_total: optionalCount(coverage, 'ratings_total'),
      ratings_rejected: optionalCount(coverage, 'ratings_rejected'),
      ratings_unmapped: optionalCount(coverage, 'ratings_unmapped'),
      ratings_not_loaded: optionalCount(coverage, 'ratings_not_loaded'),
      ratings_superseded: optionalCount(coverage, 'ratings_superseded'),
      ratings_analysed: numberColumn(analysed, 'ratings_count'),
      ratings_run_id: coverage.ratings_run_id === null ? null : String(coverage.ratings_run_id),
    },
    highest_rated: ratingAnswers.filter((r) => r.answer === 'highest_rated').map((r) => ({
      movie_id: numberColumn(r, 'movie_id'),
      title: String(r.title ?? ''),
      mean_rating: numberColumn(r, 'mean_rating'),
      ratings_count: numberColumn(r, 'ratings_count'),
      weighted_rating: numberColumn(r, 'weighted_rating'),
    })),
    popular_genres: ratingAnswers.filter((r) => r.answer === 'popular_genres').map((r) => ({
      genre: String(r.genre),
      ratings_count: numberColumn(r, 'ratings_count'),
      users: numberColumn(r, 'users'),
      mean_rating: numberColumn(r, 'mean_rating'),
    })),
    box_office_by_month: (await run('box-office-by-month')).map((r) => ({ month: numberColumn(r, 'month'), ...boxOffice(r) })),
    box_office_by_quarter: (await run('box-office-by-quarter')).map((r) => ({ quarter: numberColumn(r, 'quarter'), ...boxOffice(r) })),
    genre_earnings_cpi: {
      reference_month: cpiFrame.reference_month === null ? null : String(cpiFrame.reference_month),
      movies_without_cpi: numberColumn(cpiFrame, 'movies_without_cpi'),
      movies_without_release_date: numberColumn(cpiFrame, 'movies_without_release_date'),
      genres: (await run('genre-earnings-cpi')).map((r) => ({
        genre: String(r.genre),
        movies: numberColumn(r, 'movies'),
        total_adjusted_revenue: numberColumn(r, 'total_adjusted_revenue'),
        mean_adjusted_revenue: numberColumn(r, 'mean_adjusted_revenue'),
        median_adjusted_revenue: numberColumn(r, 'median_adjusted_revenue'),
      })),
    },
  };
  return { ...answers, findings: findingsOf(answers) };
}

/** The fragments {{ratings_per_movie}} and {{users_per_genre}}: each from a verified load summary, or aggregated from the ratings. */
async function ratingAggregates(warehouse: Warehouse, names: WarehouseNames): Promise<Record<string, string>> {
  const verified = await verifySummaries(warehouse, names);
  return {
    ratings_per_movie: sqlStatement(verified.ratings ? 'report/ratings-per-movie-from-load' : 'report/ratings-per-movie-aggregated', names),
    users_per_genre: sqlStatement(verified.ratings && verified.genres ? 'report/users-per-genre-from-load' : 'report/users-per-genre-aggregated', names),
  };
}

function boxOffice(row: Row) {
  return {
    movies: numberColumn(row, 'movies'),
    total_revenue: numberColumn(row, 'total_revenue'),
    mean_revenue: numberColumn(row, 'mean_revenue'),
    median_revenue: numberColumn(row, 'median_revenue'),
  };
}

/** A count recorded by a load, or 0 when no ratings load has recorded one yet. */
function optionalCount(row: Row, column: string): number {
  return row[column] === null ? 0 : numberColumn(row, column);
}
