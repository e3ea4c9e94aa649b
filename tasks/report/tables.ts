/**
 * The four answers as titled tables of formatted text: one source for the Markdown report, the
 * HTML page's tables and what `movalytics run` prints.
 */
import { layout } from '../core/lake/layout';
import { dollars, integer, MONTHS, rating } from './format';
import type { Report } from './report';
import { sourceLedgerNote, sourceLedgerRows } from './source-ledger-rows';

export interface AnswerTable {
  title: string;
  /** The answer in one sentence, computed from the numbers (the first table of each question has one). */
  finding?: string;
  note: string;
  columns: string[];
  /** Right-align these columns (numbers). */
  numeric: boolean[];
  rows: string[][];
}

export function answerTables(report: Report): AnswerTable[] {
  const { coverage, parameters, genre_earnings_cpi: cpi, findings } = report;
  return [
    {
      title: '1. Highest-rated movies',
      finding: findings.highest_rated,
      note:
        `Movies with at least ${parameters.min_ratings} ratings, by mean rating; weighted = Bayesian mean with m = ${parameters.min_ratings}. ` +
        coverageSentence(coverage),
      columns: ['#', 'Movie', 'TMDB id', 'Mean', 'Ratings', 'Weighted'],
      numeric: [true, false, true, true, true, true],
      rows: report.highest_rated.map((m, i) => [
        String(i + 1), m.title, String(m.movie_id), rating(m.mean_rating), integer(m.ratings_count), rating(m.weighted_rating),
      ]),
    },
    {
      title: '2. Most popular genres',
      finding: findings.popular_genres,
      note: 'Ratings of the movies in each genre (a movie in several genres counts in each).',
      columns: ['Genre', 'Ratings', 'Users', 'Mean rating'],
      numeric: [false, true, true, true],
      rows: report.popular_genres.map((g) => [g.genre, integer(g.ratings_count), integer(g.users), rating(g.mean_rating)]),
    },
    {
      title: '3. Box office by release month',
      finding: findings.box_office,
      note: 'Movies with a known revenue and release date.',
      columns: ['Month', 'Movies', 'Total revenue', 'Mean revenue', 'Median revenue'],
      numeric: [false, true, true, true, true],
      rows: report.box_office_by_month.map((m) => [
        MONTHS[m.month - 1] ?? String(m.month), integer(m.movies), dollars(m.total_revenue), dollars(m.mean_revenue), dollars(m.median_revenue),
      ]),
    },
    {
      title: '3. Box office by release quarter',
      note: 'The same movies, per quarter.',
      columns: ['Quarter', 'Movies', 'Total revenue', 'Mean revenue', 'Median revenue'],
      numeric: [false, true, true, true, true],
      rows: report.box_office_by_quarter.map((q) => [`Q${q.quarter}`, integer(q.movies), dollars(q.total_revenue), dollars(q.mean_revenue), dollars(q.median_revenue)]),
    },
    {
      title: '4. Genre earnings, inflation-adjusted',
      finding: findings.genre_earnings_cpi,
      note:
        `Revenue restated in ${cpi.reference_month?.slice(0, 7) ?? '(no CPI)'} prices with the CPI for movie admission (CUSR0000SS62031); ` +
        `movies with a known revenue left out: ${integer(cpi.movies_without_cpi)} released in a month without a CPI value, ` +
        `${integer(cpi.movies_without_release_date)} without a release date.`,
      columns: ['Genre', 'Movies', 'Total adjusted revenue', 'Mean adjusted revenue', 'Median adjusted revenue'],
      numeric: [false, true, true, true, true],
      rows: cpi.genres.map((g) => [
        g.genre, integer(g.movies), dollars(g.total_adjusted_revenue), dollars(g.mean_adjusted_revenue), dollars(g.median_adjusted_revenue),
      ]),
    },
  ];
}

/**
 * What went in, what was left out, and why: the ratings ledger (every rating read, in the first
 * bucket that applies; DESIGN.md section 5), the movies Q4 leaves out, and every transformed
 * source's records read, rejected, repeated and kept, with where the rejected lines are kept.
 */
export function ledgerTable(report: Report): AnswerTable {
  const { coverage: c, genre_earnings_cpi: cpi } = report;
  const buckets = c.ratings_rejected + c.ratings_unmapped + c.ratings_not_loaded + c.ratings_superseded + c.ratings_analysed;
  const rejects = layout.rejects('ratings', c.ratings_run_id ?? '<run_id>');
  const movies = report.source_ledgers.find((ledger) => ledger.source === 'movies');
  const others = report.source_ledgers.filter((ledger) => ledger !== movies);
  return {
    title: 'What went in, what was left out, and why',
    note:
      'Every rating read is counted once, by the first rule that applies, in this order. ' +
      (buckets === c.ratings_total
        ? `The five buckets sum to the ${integer(c.ratings_total)} ratings read.`
        : `The five buckets sum to ${integer(buckets)}, not the ${integer(c.ratings_total)} ratings read: run quality-check (ratings_ledger_balances).`) +
      sourceLedgerNote(report.source_ledgers),
    columns: ['What', 'Count', 'Why'],
    numeric: [false, true, false],
    rows: [
      ['Ratings read', integer(c.ratings_total), `the lines of ratings.csv after its header (load of run ${c.ratings_run_id ?? 'none'})`],
      ['Rejected', integer(c.ratings_rejected), `fails validation (unparsable, out of range, not a half step); the lines and reasons are in ${rejects}`],
      ['Unmapped', integer(c.ratings_unmapped), 'its movieId has no TMDB id: absent from links, or an empty tmdbId'],
      ['Not loaded', integer(c.ratings_not_loaded), 'mapped to a TMDB id that is not a loaded movie'],
      ['Superseded', integer(c.ratings_superseded), "the same user's other rating of the same movie was kept (the latest, then the greatest)"],
      ['Analysed', integer(c.ratings_analysed), 'in the model: questions 1 and 2 rest on these'],
      ...(movies ? sourceLedgerRows(movies) : []),
      ['Movies loaded', integer(c.movies), 'one per TMDB id (a repeated id keeps its first row)'],
      ['Left out of question 4', integer(cpi.movies_without_cpi), 'a known revenue, released in a month without a CPI value'],
      ['Left out of question 4', integer(cpi.movies_without_release_date), 'a known revenue, no release date'],
      ...others.flatMap(sourceLedgerRows),
    ],
  };
}

export function coverageSentence(coverage: Report['coverage']): string {
  return (
    `Based on ${integer(coverage.movies)} movies and ${integer(coverage.ratings_analysed)} analysed ratings ` +
    `of ${integer(coverage.ratings_total)} read (${integer(coverage.ratings_rejected)} rejected as invalid, ` +
    `${integer(coverage.ratings_unmapped)} of a movie with no TMDB id, ${integer(coverage.ratings_not_loaded)} of a movie not loaded, ` +
    `${integer(coverage.ratings_superseded)} superseded by the same user's later rating of the movie).`
  );
}

/**
 * A cell's text as one line of the table: a line break in a value (a title from the source) would
 * end the row, and in Markdown a `|` would start a new cell.
 */
function cellText(value: string, style: 'markdown' | 'text'): string {
  const oneLine = value.replace(/\r\n|\r|\n/g, ' ');
  return style === 'markdown' ? oneLine.replaceAll('|', '\\|') : oneLine;
}

/** A table as aligned plain text (for terminals) or as a Markdown table. */
export function renderTable(source: AnswerTable, style: 'markdown' | 'text'): string {
  const table = { ...source, columns: source.columns.map((c) => cellText(c, style)), rows: source.rows.map((r) => r.map((v) => cellText(v, style))) };
  const widths = table.columns.map((c, i) => Math.max(c.length, ...table.rows.map((r) => (r[i] ?? '').length)));
  const cell = (value: string, i: number) => (table.numeric[i] ? value.padStart(widths[i]!) : value.padEnd(widths[i]!));
  const line = (cells: string[]) => (style === 'markdown' ? `| ${cells.map(cell).join(' | ')} |` : cells.map(cell).join('  '));
  const rule =
    style === 'markdown'
      ? `|${widths.map((w, i) => (table.numeric[i] ? `${'-'.repeat(w + 1)}:` : `${'-'.repeat(w + 2)}`)).join('|')}|`
      : widths.map((w) => '-'.repeat(w)).join('  ');
  const body = table.rows.length > 0 ? table.rows.map(line) : [style === 'markdown' ? '| (no rows) |' : '(no rows)'];
  return [line(table.columns), rule, ...body].join('\n');
}
