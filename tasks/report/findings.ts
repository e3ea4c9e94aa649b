/**
 * Each answer in one sentence, computed from its numbers: what leads, by how much, and what the
 * median says where revenue's heavy tail makes the mean misleading. Never written by hand, so the
 * sentence changes whenever the data does.
 */
import { compactDollars, integer, MONTH_NAMES, percent } from './format';
import type { Findings, ReportAnswers } from './report';

/** The first item with the greatest value (ties keep the report's order). */
function leader<T>(items: T[], value: (item: T) => number): T | undefined {
  return items.reduce<T | undefined>((best, item) => (best === undefined || value(item) > value(best) ? item : best), undefined);
}

/** A title as words in a sentence: a line break from the source would end the paragraph it opens. */
const inline = (name: string) => name.replace(/\s*[\r\n]+\s*/g, ' ');

const monthName = (month: number) => MONTH_NAMES[month - 1] ?? `month ${month}`;

function highestRatedFinding(report: ReportAnswers): string {
  const [first, second] = report.highest_rated;
  const minimum = report.parameters.min_ratings;
  if (!first) return `No movie has ${integer(minimum)} ratings or more, so none is ranked.`;
  const runnerUp = second ? `, ahead of ${inline(second.title)} (${second.mean_rating.toFixed(2)})` : '';
  const weighted = leader(report.highest_rated, (m) => m.weighted_rating)!;
  const byWeight =
    weighted === first
      ? `; it also leads by the weighted rating (${weighted.weighted_rating.toFixed(2)})`
      : `; of these, weighted for the number of ratings, ${inline(weighted.title)} leads (${weighted.weighted_rating.toFixed(2)} from ${integer(weighted.ratings_count)} ratings)`;
  return (
    `${inline(first.title)} is the highest-rated movie with at least ${integer(minimum)} ratings: ` +
    `a mean of ${first.mean_rating.toFixed(2)} from ${integer(first.ratings_count)} ratings${runnerUp}${byWeight}.`
  );
}

function popularGenresFinding(report: ReportAnswers): string {
  const [first, second] = report.popular_genres;
  if (!first) return 'No analysed rating is of a movie with a genre.';
  const analysed = report.coverage.ratings_analysed;
  const share = analysed > 0 ? ` (${percent(first.ratings_count / analysed)} of the ${integer(analysed)} analysed)` : '';
  const runnerUp = second ? `, ahead of ${inline(second.genre)} with ${integer(second.ratings_count)}` : '';
  return `${inline(first.genre)} is the most-rated genre: ${integer(first.ratings_count)} ratings${share} from ${integer(first.users)} users${runnerUp}.`;
}

function boxOfficeFinding(report: ReportAnswers): string {
  const months = report.box_office_by_month;
  const best = leader(months, (m) => m.mean_revenue);
  if (!best) return 'No movie has both a known revenue and a release date, so no month or quarter can be compared.';
  const movies = months.reduce((sum, m) => sum + m.movies, 0);
  const yearlyMean = months.reduce((sum, m) => sum + m.total_revenue, 0) / movies;
  const above = best.mean_revenue / yearlyMean - 1;
  const quarter = leader(report.box_office_by_quarter, (q) => q.mean_revenue);
  const byMedian = leader(months, (m) => m.median_revenue)!;
  return (
    `${monthName(best.month)} releases earn the most: a mean revenue of ${compactDollars(best.mean_revenue)}, ` +
    `${percent(above)} above the ${compactDollars(yearlyMean)} mean of all ${integer(movies)} movies with a known revenue and release date` +
    (quarter ? `; Q${quarter.quarter} is the strongest quarter (${compactDollars(quarter.mean_revenue)} mean)` : '') +
    `; by the median, which one blockbuster cannot lift, ${monthName(byMedian.month)} leads (${compactDollars(byMedian.median_revenue)}).`
  );
}

function genreEarningsFinding(report: ReportAnswers): string {
  const { genres, reference_month: reference } = report.genre_earnings_cpi;
  const [first] = genres;
  if (!first) return 'No movie has both a known revenue and a release month with a CPI value, so no genre earnings can be adjusted.';
  const byMean = leader(genres, (g) => g.mean_adjusted_revenue)!;
  const byMedian = leader(genres, (g) => g.median_adjusted_revenue)!;
  return (
    `${inline(first.genre)} earns the most of all time: ${compactDollars(first.total_adjusted_revenue)} in ${reference?.slice(0, 7) ?? 'reference'} prices ` +
    `from ${integer(first.movies)} movies; per movie, ${inline(byMean.genre)} has the highest mean (${compactDollars(byMean.mean_adjusted_revenue)}) ` +
    `and ${inline(byMedian.genre)} the highest median (${compactDollars(byMedian.median_adjusted_revenue)}).`
  );
}

export function findingsOf(report: ReportAnswers): Findings {
  return {
    highest_rated: highestRatedFinding(report),
    popular_genres: popularGenresFinding(report),
    box_office: boxOfficeFinding(report),
    genre_earnings_cpi: genreEarningsFinding(report),
  };
}
