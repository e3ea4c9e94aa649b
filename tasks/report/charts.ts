/**
 * One chart per question, as Vega-Lite specs rendered to SVG on the server (vega's headless
 * View.toSVG), so the HTML page needs no script and no network to show them.
 */
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { MONTHS } from './format';
import type { ReportAnswers } from './report';

export interface Chart {
  id: string;
  title: string;
  svg: string;
}

/**
 * Axis labels formatted one tick at a time: the axis's own SI format gives every tick the largest
 * tick's prefix (`0k`) and writes billions as `G`; an English reader expects `0` and `$45B`.
 */
const LABELS = {
  decimal2: "format(datum.value, '.2f')",
  count: "format(datum.value, '~s')",
  dollars: "replace(format(datum.value, '$~s'), 'G', 'B')",
} as const;

/** Text the size of the page's own (15 px body): titles and labels legible beside the tables. */
const LEGIBLE = {
  font: 'system-ui, sans-serif',
  title: { fontSize: 16, fontWeight: 600 },
  axis: { labelFontSize: 13, titleFontSize: 14, titleFontWeight: 600 },
} as const;

function barChart(
  title: string,
  values: Array<Record<string, string | number>>,
  category: { field: string; title: string; sort: string[] | 'none' | '-x' },
  measure: { field: string; title: string; labels: keyof typeof LABELS },
): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 560,
    height: { step: 26 },
    config: LEGIBLE,
    data: { values },
    mark: { type: 'bar', color: '#3465a4' },
    encoding: {
      // labelLimit 0: a long title is shown whole, not cut to "Orchard: Forgotten Ca…".
      y: { field: category.field, type: 'nominal', title: category.title, sort: category.sort === 'none' ? null : category.sort, axis: { labelLimit: 0 } },
      x: { field: measure.field, type: 'quantitative', title: measure.title, axis: { labelExpr: LABELS[measure.labels] } },
    },
  };
}

export function chartSpecs(report: ReportAnswers): Array<{ id: string; title: string; spec: TopLevelSpec }> {
  const top = report.highest_rated.map((m) => ({ movie: m.title, mean_rating: m.mean_rating }));
  return [
    {
      id: 'highest-rated',
      title: 'Highest-rated movies',
      spec: barChart('Mean rating, top movies', top, { field: 'movie', title: 'Movie', sort: '-x' }, { field: 'mean_rating', title: 'Mean rating', labels: 'decimal2' }),
    },
    {
      id: 'popular-genres',
      title: 'Most popular genres',
      spec: barChart('Ratings per genre', report.popular_genres.map((g) => ({ genre: g.genre, ratings: g.ratings_count })), { field: 'genre', title: 'Genre', sort: '-x' }, { field: 'ratings', title: 'Ratings', labels: 'count' }),
    },
    {
      id: 'box-office-by-month',
      title: 'Box office by release month',
      spec: barChart('Mean revenue by release month', report.box_office_by_month.map((m) => ({ month: MONTHS[m.month - 1] ?? String(m.month), mean_revenue: m.mean_revenue })), { field: 'month', title: 'Month', sort: MONTHS }, { field: 'mean_revenue', title: 'Mean revenue (USD)', labels: 'dollars' }),
    },
    {
      id: 'box-office-by-quarter',
      title: 'Box office by release quarter',
      spec: barChart('Mean revenue by release quarter', report.box_office_by_quarter.map((q) => ({ quarter: `Q${q.quarter}`, mean_revenue: q.mean_revenue })), { field: 'quarter', title: 'Quarter', sort: ['Q1', 'Q2', 'Q3', 'Q4'] }, { field: 'mean_revenue', title: 'Mean revenue (USD)', labels: 'dollars' }),
    },
    {
      id: 'genre-earnings-cpi',
      title: 'Genre earnings, inflation-adjusted',
      spec: barChart('Total inflation-adjusted revenue per genre', report.genre_earnings_cpi.genres.map((g) => ({ genre: g.genre, total: g.total_adjusted_revenue })), { field: 'genre', title: 'Genre', sort: '-x' }, { field: 'total', title: 'Total adjusted revenue (USD)', labels: 'dollars' }),
    },
  ];
}

export async function renderCharts(report: ReportAnswers): Promise<Chart[]> {
  const charts: Chart[] = [];
  for (const { id, title, spec } of chartSpecs(report)) {
    const view = new View(parse(compile(spec).spec), { renderer: 'none' });
    charts.push({ id, title, svg: await view.toSVG() });
    view.finalize();
  }
  return charts;
}
