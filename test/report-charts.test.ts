/** The charts' SVG text: long titles whole, axis labels in English units, text near the page's size. */
import { renderCharts } from '../tasks/report/charts';
import type { ReportAnswers } from '../tasks/report/report';

const LONG_TITLE = 'Orchard: Forgotten Café and the Long Road Home, Part II';

const answers: ReportAnswers = {
  run_id: 'r',
  generated_at: '2026-01-01T00:00:00.000Z',
  parameters: { min_ratings: 2 },
  coverage: { movies: 2, ratings_total: 4, ratings_rejected: 0, ratings_unmapped: 0, ratings_not_loaded: 0, ratings_superseded: 0, ratings_analysed: 4, ratings_run_id: 'r' },
  highest_rated: [
    { movie_id: 1, title: LONG_TITLE, mean_rating: 4.5, ratings_count: 2, weighted_rating: 4.2 },
    { movie_id: 2, title: 'Heat', mean_rating: 4, ratings_count: 2, weighted_rating: 4 },
  ],
  popular_genres: [{ genre: 'Drama', ratings_count: 38_912, users: 600, mean_rating: 3.4 }],
  box_office_by_month: [{ month: 5, movies: 2, total_revenue: 2e8, mean_revenue: 1e8, median_revenue: 1e8 }],
  box_office_by_quarter: [{ quarter: 2, movies: 2, total_revenue: 2e8, mean_revenue: 1e8, median_revenue: 1e8 }],
  genre_earnings_cpi: {
    reference_month: '2017-07-01',
    movies_without_cpi: 0,
    movies_without_release_date: 0,
    genres: [{ genre: 'Drama', movies: 2, total_adjusted_revenue: 44.3e9, mean_adjusted_revenue: 2.2e10, median_adjusted_revenue: 2.2e10 }],
  },
};

it('draws long titles whole, billions as B, a zero tick as 0, and text of at least 13 px', async () => {
  const charts = await renderCharts(answers);
  const text = (id: string) => [...(charts.find((c) => c.id === id)?.svg ?? '').matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
  expect(text('highest-rated')).toContain(LONG_TITLE);
  expect(text('genre-earnings-cpi')).toEqual(expect.arrayContaining(['$0', '$10B', '$40B']));
  expect(text('popular-genres')).toEqual(expect.arrayContaining(['0', '10k', '30k']));
  expect(text('box-office-by-month')).toEqual(expect.arrayContaining(['$0', '$100M']));
  const sizes = charts.flatMap((c) => [...c.svg.matchAll(/font-size="(\d+)px"/g)].map((m) => Number(m[1])));
  expect(Math.min(...sizes)).toBeGreaterThanOrEqual(13);
});
