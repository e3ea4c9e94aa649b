/**
 * Each answer's one-sentence finding is computed from the report's numbers: change the numbers and
 * the sentence changes with them.
 */
import { findingsOf } from '../tasks/report/findings';
import { compactDollars } from '../tasks/report/format';
import type { BoxOfficeByMonth, ReportAnswers } from '../tasks/report/report';

const M = 1e6;
const month = (m: number, revenues: number[]): BoxOfficeByMonth => {
  const sorted = [...revenues].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return {
    month: m,
    movies: revenues.length,
    total_revenue: revenues.reduce((a, b) => a + b, 0),
    mean_revenue: revenues.reduce((a, b) => a + b, 0) / revenues.length,
    median_revenue: sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2,
  };
};
/** The quarter rows of the month rows, as the warehouse would aggregate the same movies. */
const quarters = (months: Array<[number, number[]]>) =>
  [1, 2, 3, 4]
    .map((q) => [q, months.filter(([m]) => Math.ceil(m / 3) === q).flatMap(([, r]) => r)] as const)
    .filter(([, revenues]) => revenues.length > 0)
    .map(([q, revenues]) => {
      const { movies, total_revenue, mean_revenue, median_revenue } = month(0, revenues);
      return { quarter: q, movies, total_revenue, mean_revenue, median_revenue };
    });

function answers(months: Array<[number, number[]]>): ReportAnswers {
  return {
    run_id: 'r',
    generated_at: '2026-01-01T00:00:00.000Z',
    parameters: { min_ratings: 2 },
    coverage: {
      movies: 3, ratings_total: 10, ratings_rejected: 0, ratings_unmapped: 1, ratings_not_loaded: 0, ratings_superseded: 1, ratings_analysed: 8, ratings_run_id: 'r',
    },
    highest_rated: [
      { movie_id: 1, title: 'Heat', mean_rating: 4.5, ratings_count: 2, weighted_rating: 4.1 },
      { movie_id: 2, title: 'Jumanji', mean_rating: 4.25, ratings_count: 4, weighted_rating: 4.2 },
    ],
    popular_genres: [
      { genre: 'Drama', ratings_count: 6, users: 3, mean_rating: 4 },
      { genre: 'Comedy', ratings_count: 2, users: 2, mean_rating: 3.5 },
    ],
    box_office_by_month: months.map(([m, revenues]) => month(m, revenues)),
    box_office_by_quarter: quarters(months),
    genre_earnings_cpi: {
      reference_month: '2017-07-01',
      movies_without_cpi: 0,
      movies_without_release_date: 0,
      genres: [
        { genre: 'Drama', movies: 3, total_adjusted_revenue: 45.3e9, mean_adjusted_revenue: 15.1e9, median_adjusted_revenue: 2e9 },
        { genre: 'War', movies: 1, total_adjusted_revenue: 20e9, mean_adjusted_revenue: 20e9, median_adjusted_revenue: 20e9 },
      ],
    },
  };
}

describe('the findings', () => {
  const base = answers([[1, [10 * M, 20 * M, 270 * M]], [6, [400 * M]]]);

  it('Q3: the month with the highest mean revenue, how far above the yearly mean, the best quarter and the median leader', () => {
    // 700M over 4 movies: a yearly mean of 175M; June's 400M is 129% above it.
    expect(findingsOf(base).box_office).toBe(
      'June releases earn the most: a mean revenue of $400M, 129% above the $175M mean of all 4 movies with a known revenue and release date; ' +
        'Q2 is the strongest quarter ($400M mean); by the median, which one blockbuster cannot lift, June leads ($400M).',
    );
  });

  it('Q3: when the data change, the sentence changes with them', () => {
    const changed = answers([[1, [10 * M, 500 * M, 990 * M]], [6, [400 * M]]]);
    // 1,900M over 4 movies: 475M; January's mean 500M is 5% above it, and its median (500M) beats June's 400M.
    expect(findingsOf(changed).box_office).toBe(
      'January releases earn the most: a mean revenue of $500M, 5% above the $475M mean of all 4 movies with a known revenue and release date; ' +
        'Q1 is the strongest quarter ($500M mean); by the median, which one blockbuster cannot lift, January leads ($500M).',
    );
    const medianElsewhere = answers([[1, [10 * M, 20 * M, 1500 * M]], [6, [400 * M]]]);
    expect(findingsOf(medianElsewhere).box_office).toMatch(/^January releases earn the most: a mean revenue of \$510M,.*by the median, .* June leads \(\$400M\)\.$/);
  });

  it('Q1, Q2 and Q4 name the leader, the runner-up and the numbers behind them', () => {
    const findings = findingsOf(base);
    expect(findings.highest_rated).toBe(
      'Heat is the highest-rated movie with at least 2 ratings: a mean of 4.50 from 2 ratings, ahead of Jumanji (4.25); ' +
        'of these, weighted for the number of ratings, Jumanji leads (4.20 from 4 ratings).',
    );
    expect(findings.popular_genres).toBe('Drama is the most-rated genre: 6 ratings (75% of the 8 analysed) from 3 users, ahead of Comedy with 2.');
    expect(findings.genre_earnings_cpi).toBe(
      'Drama earns the most of all time: $45.3B in 2017-07 prices from 3 movies; per movie, War has the highest mean ($20B) and War the highest median ($20B).',
    );
  });

  it('says plainly when a question has nothing to answer from', () => {
    const empty = { ...answers([]), highest_rated: [], popular_genres: [], genre_earnings_cpi: { ...base.genre_earnings_cpi, genres: [] } };
    expect(findingsOf(empty)).toEqual({
      highest_rated: 'No movie has 2 ratings or more, so none is ranked.',
      popular_genres: 'No analysed rating is of a movie with a genre.',
      box_office: 'No movie has both a known revenue and a release date, so no month or quarter can be compared.',
      genre_earnings_cpi: 'No movie has both a known revenue and a release month with a CPI value, so no genre earnings can be adjusted.',
    });
  });
});

it('writes dollars as an English reader does: billions as B, three significant digits', () => {
  expect([45e9, 45.31e9, 154_590_280, 999_999_999, 1_234, 812, 0, 2.5e12].map(compactDollars)).toEqual([
    '$45B', '$45.3B', '$155M', '$1B', '$1.23k', '$812', '$0', '$2.5T',
  ]);
});
