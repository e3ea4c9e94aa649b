/** report.md and run's printed tables keep one row per answer whatever a title holds. */
import { findingsOf } from '../tasks/report/findings';
import { renderHtml } from '../tasks/report/html';
import { renderMarkdown } from '../tasks/report/markdown';
import type { Report, ReportAnswers, SourceLedger } from '../tasks/report/report';
import { answerTables, ledgerTable, renderTable } from '../tasks/report/tables';

const TITLE = 'Pipes | in a title,\nover two lines\r\nand a third';

const answers: ReportAnswers = {
  run_id: 'r1',
  generated_at: '2026-01-02T03:04:05.000Z',
  parameters: { min_ratings: 2 },
  coverage: {
    movies: 2,
    ratings_total: 4,
    ratings_rejected: 0,
    ratings_unmapped: 0,
    ratings_not_loaded: 0,
    ratings_superseded: 0,
    ratings_analysed: 4,
    ratings_run_id: 'r1',
  },
  highest_rated: [
    { movie_id: 1, title: TITLE, mean_rating: 4.5, ratings_count: 2, weighted_rating: 4.25 },
    { movie_id: 2, title: 'Plain', mean_rating: 4, ratings_count: 2, weighted_rating: 4 },
  ],
  popular_genres: [{ genre: 'Drama | Comedy', ratings_count: 4, users: 2, mean_rating: 4.25 }],
  box_office_by_month: [],
  box_office_by_quarter: [],
  genre_earnings_cpi: { reference_month: null, movies_without_cpi: 0, movies_without_release_date: 0, genres: [] },
};
const report: Report = { ...answers, findings: findingsOf(answers), source_ledgers: [] };

/** The cell delimiters of a Markdown table line: pipes not escaped by a backslash. */
const delimiters = (line: string) => [...line.matchAll(/(?<!\\)\|/g)].length;

it('report.md: a | in a title is escaped and a line break becomes a space, so every row of a table has its columns', () => {
  const markdown = renderMarkdown(report);
  const section = markdown.slice(markdown.indexOf('## 1.'), markdown.indexOf('## 2.'));
  const tableLines = section.split('\n').filter((line) => line.startsWith('|'));
  expect(tableLines).toHaveLength(4); // header, rule, two movies
  expect(tableLines.map(delimiters)).toEqual([7, 7, 7, 7]);
  expect(tableLines[2]).toContain('Pipes \\| in a title, over two lines and a third');
  expect(markdown).toContain('| Drama \\| Comedy |');
});

it('the text tables run prints: a line break in a title does not start a new line', () => {
  const text = renderTable(answerTables(report)[0]!, 'text');
  expect(text.split('\n')).toHaveLength(4);
  expect(text).toContain('Pipes | in a title, over two lines and a third');
});

describe('the ledger table: what went in, what was left out, and why', () => {
  const ledger = {
    ...report,
    coverage: { ...report.coverage, ratings_total: 1_016, ratings_rejected: 5, ratings_unmapped: 2, ratings_not_loaded: 1, ratings_superseded: 2, ratings_analysed: 1_006 },
    genre_earnings_cpi: { ...report.genre_earnings_cpi, movies_without_cpi: 3, movies_without_release_date: 4 },
  };

  it('report.md opens with every bucket, its count and where the rejected lines are', () => {
    const markdown = renderMarkdown(ledger);
    const section = markdown.slice(markdown.indexOf('## What went in'), markdown.indexOf('## 1.'));
    expect(section).toContain('The five buckets sum to the 1,016 ratings read.');
    const counts = section
      .split('\n')
      .filter((line) => line.startsWith('| ') && !line.startsWith('| What'))
      .map((line) => line.split('|').map((cell) => cell.trim()).slice(1, 3));
    expect(counts).toEqual([
      ['Ratings read', '1,016'],
      ['Rejected', '5'],
      ['Unmapped', '2'],
      ['Not loaded', '1'],
      ['Superseded', '2'],
      ['Analysed', '1,006'],
      ['Movies loaded', '2'],
      ['Left out of question 4', '3'],
      ['Left out of question 4', '4'],
    ]);
    expect(section).toContain('rejects/ratings/r1/rejects.csv.gz');
  });

  it('says so when the buckets do not sum to the ratings read', () => {
    const unbalanced = { ...ledger, coverage: { ...ledger.coverage, ratings_analysed: 1_005 } };
    expect(ledgerTable(unbalanced).note).toContain('The five buckets sum to 1,015, not the 1,016 ratings read: run quality-check (ratings_ledger_balances).');
  });
});

it('each answer opens with its finding: report.md in bold under the heading, report.html as a finding paragraph', () => {
  const markdown = renderMarkdown(report);
  const html = renderHtml(report, []);
  // A line break in a title would end the sentence's paragraph: the finding names it on one line.
  expect(report.findings.highest_rated).toMatch(/^Pipes \| in a title, over two lines and a third is the highest-rated movie/);
  expect(markdown).toContain(`## 1. Highest-rated movies\n\n**${report.findings.highest_rated}**\n\nMovies with at least 2 ratings`);
  expect(markdown).toContain(`## 2. Most popular genres\n\n**${report.findings.popular_genres}**\n\n`);
  expect(markdown).toContain(`## 3. Box office by release month\n\n**${report.findings.box_office}**\n\n`);
  expect(markdown).toContain(`## 4. Genre earnings, inflation-adjusted\n\n**${report.findings.genre_earnings_cpi}**\n\n`);
  expect(html.match(/<p class="finding">/g)).toHaveLength(4);
  expect(html).toContain(`<h2>2. Most popular genres</h2>\n<p class="finding">${report.findings.popular_genres}</p>`);
});

describe('every source in the ledger: read = kept + rejected + repeated ids', () => {
  const ledgerOf = (source: string, counts: Partial<SourceLedger>): SourceLedger => ({
    source,
    run_id: 'r1',
    source_object: `raw/movies/r1/${source}.csv`,
    rows_read: 0,
    staged: 0,
    rejected_by_reason: {},
    duplicate_ids: 0,
    loaded: null,
    rejects_object: `rejects/${source}/r1/rejects.csv.gz`,
    rejects_objects: [`rejects/${source}/r1/rejects.csv.gz`],
    balanced: true,
    ...counts,
  });
  const withSources: Report = {
    ...report,
    source_ledgers: [
      ledgerOf('movies', { rows_read: 6, staged: 2, loaded: 2, rejected_by_reason: { invalid_id: 1, wrong_field_count: 2 }, duplicate_ids: 1 }),
      ledgerOf('cpi', { source_object: 'raw/cpi/r1/CUSR0000SS62031.csv', rows_read: 14, staged: 14, rejects_object: null, rejects_objects: [] }),
    ],
  };
  const rowsOf = (table: ReturnType<typeof ledgerTable>) => table.rows.map(([what, count]) => [what, count]);

  it('the movies beside the movies loaded, every other source with its records staged, and where the rejects are', () => {
    const table = ledgerTable(withSources);
    expect(rowsOf(table).slice(6, 10)).toEqual([['Movies read', '6'], ['Movies rejected', '3'], ['Movies with a repeated id', '1'], ['Movies loaded', '2']]);
    expect(rowsOf(table).slice(12)).toEqual([['CPI months read', '14'], ['CPI months rejected', '0'], ['CPI months with a repeated id', '0'], ['CPI months staged', '14']]);
    expect(table.rows[7]![2]).toBe('fails validation (invalid_id 1, wrong_field_count 2); the records and reasons are in rejects/movies/r1/rejects.csv.gz');
    expect(table.rows[6]![2]).toBe('the records of movies.csv after its header (transform of run r1)');
    expect(table.note).toContain('For Movies, CPI months: kept, rejected and repeated ids sum to the records read.');
    expect(renderMarkdown(withSources)).toContain('| CPI months staged ');
  });

  it('a transform that ran in shards: every shard\'s rejects file', () => {
    const [movies, cpi] = withSources.source_ledgers;
    const files = ['rejects/movies/r1/rejects-01of03.csv.gz', 'rejects/movies/r1/rejects-03of03.csv.gz'];
    const sharded = { ...withSources, source_ledgers: [{ ...movies!, rejects_object: files[0]!, rejects_objects: files }, cpi!] };
    const rows = ledgerTable(sharded).rows;
    expect(rows[7]![2]).toBe(`fails validation (invalid_id 1, wrong_field_count 2); the records and reasons are in 2 files, one per shard that rejected records: ${files.join(', ')}`);
    expect(rows[8]![2]).toBe(`its id was already kept from an earlier record (the first is kept); the repeats are listed in 2 files, one per shard that rejected records: ${files.join(', ')}`);
  });

  it('says so when a source does not balance', () => {
    const [movies, cpi] = withSources.source_ledgers;
    const lost = { ...withSources, source_ledgers: [{ ...movies!, loaded: 1, balanced: false }, cpi!] };
    expect(ledgerTable(lost).note).toContain(
      'Movies: 5 accounted for, not the 6 records read (the warehouse does not hold what the transform of the run kept: reload the run, then run quality-check).',
    );
  });
});
