/**
 * The whole pipeline (`movalytics run`, every step as its own process) on a hand-made fixture,
 * against answers computed independently in test/support/report-fixture.ts; and on the genuine
 * real-sample extracts.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Report } from '../tasks/report/report';
import { buildCli, runCli, type BuiltCli } from './support/cli-process';
import { REAL_SAMPLE_DIR } from './support/real-sample';
import { CPI, DUPLICATED_MOVIE_ID, expectedReport, LINKS, MOVIES, writeReportFixture } from './support/report-fixture';
import { getJson } from '../tasks/core/lake/lake';
import { layout } from '../tasks/core/lake/layout';
import { PIPELINE_STEPS } from '../tasks/pipeline/steps';
import { redshiftDataTarget, TEST_WORKGROUP_URL, type RedshiftDataTestTarget } from './support/warehouse-targets';

let cli: BuiltCli;
beforeAll(async () => {
  cli = await buildCli();
}, 120_000);
afterAll(() => cli.remove());

/** Every key of `expected` is in `actual`; numbers equal to 1e-9 relative, everything else exactly. */
function expectMatches(actual: unknown, expected: unknown, where = 'report'): void {
  if (typeof expected === 'number') {
    expect(typeof actual).toBe('number');
    const scale = Math.max(1, Math.abs(expected));
    if (Math.abs((actual as number) - expected) > 1e-9 * scale) throw new Error(`${where}: ${String(actual)} != ${expected}`);
  } else if (Array.isArray(expected)) {
    expect(Array.isArray(actual)).toBe(true);
    expect({ where, length: (actual as unknown[]).length }).toEqual({ where, length: expected.length });
    expected.forEach((item, i) => expectMatches((actual as unknown[])[i], item, `${where}[${i}]`));
  } else if (expected !== null && typeof expected === 'object') {
    for (const [key, value] of Object.entries(expected)) {
      expectMatches((actual as Record<string, unknown>)[key], value, `${where}.${key}`);
    }
  } else {
    expect({ where, value: actual }).toEqual({ where, value: expected });
  }
}

async function runPipeline(sources: string, extraArgs: string[] = []) {
  const work = await mkdtemp(path.join(tmpdir(), 'movalytics-run-'));
  const lake = path.join(work, 'lake');
  const run = await runCli(
    cli,
    ['run', '--movies-source', sources, '--lake', pathToFileURL(lake).href, '--warehouse', `pglite://${path.join(work, 'warehouse')}`, ...extraArgs],
    {},
    work,
  );
  const reportFile = path.join(lake, 'reports', 'local', 'report.json');
  return { run, work, lake, readReport: async () => JSON.parse(await readFile(reportFile, 'utf8')) as Report };
}

describe('movalytics run on the hand-made fixture', () => {
  let outcome: Awaited<ReturnType<typeof runPipeline>>;
  beforeAll(async () => {
    const sources = await mkdtemp(path.join(tmpdir(), 'movalytics-fixture-'));
    await writeReportFixture(sources);
    outcome = await runPipeline(sources, ['--min-ratings', '2']);
  }, 300_000);

  it('succeeds and prints the four answers', () => {
    expect(outcome.run.stderr).not.toMatch(/"level":"error"/);
    expect(outcome.run.code).toBe(0);
    for (const title of ['1. Highest-rated movies', '2. Most popular genres', '3. Box office by release month', '4. Genre earnings, inflation-adjusted']) {
      expect(outcome.run.stdout).toContain(title);
    }
    expect(outcome.run.stdout).toContain('report.html');
  });

  it('answers every question with the independently computed numbers', async () => {
    const report = await outcome.readReport();
    expectMatches(report, expectedReport(2));
    expect(report.run_id).toBe('local');
    expect(Number.isNaN(Date.parse(report.generated_at))).toBe(false);
  });

  it('keeps the first row of a duplicated movie', async () => {
    const report = await outcome.readReport();
    const heat = MOVIES.find((m) => m.id === DUPLICATED_MOVIE_ID)!;
    const december = report.box_office_by_month.find((m) => m.month === 12)!;
    expect(december.total_revenue).toBe(
      MOVIES.filter((m) => m.releaseDate.slice(5, 7) === '12' && m.revenue > 0).reduce((sum, m) => sum + m.revenue, 0),
    );
    expect(report.highest_rated.find((m) => m.movie_id === DUPLICATED_MOVIE_ID)?.title).toBe(heat.title);
  });

  it('writes Markdown and a self-contained HTML page with one SVG chart per answer', async () => {
    const html = await readFile(path.join(outcome.lake, 'reports', 'local', 'report.html'), 'utf8');
    expect(html.match(/<figure class="chart"[^>]*><svg/g)).toHaveLength(5);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    const markdown = await readFile(path.join(outcome.lake, 'reports', 'local', 'report.md'), 'utf8');
    expect(markdown).toContain('| Toy Story');
    // The ledger opens both: the oracle's buckets (1 unmapped, 1 not loaded, 4 superseded of 23).
    const { coverage } = expectedReport(2);
    expect(coverage).toMatchObject({ ratings_total: 23, ratings_unmapped: 1, ratings_not_loaded: 1, ratings_superseded: 4 });
    for (const [what, count] of [['Ratings read', coverage.ratings_total], ['Unmapped', coverage.ratings_unmapped], ['Not loaded', coverage.ratings_not_loaded], ['Superseded', coverage.ratings_superseded], ['Analysed', coverage.ratings_analysed]] as const) {
      expect(markdown).toMatch(new RegExp(`\\| ${what} +\\| +${count} \\|`));
      expect(html).toMatch(new RegExp(`<td>${what}</td><td class="n">${count}</td>`));
    }
    expect(markdown.indexOf('## What went in, what was left out, and why')).toBeLessThan(markdown.indexOf('## 1.'));
    expect(markdown).toContain('The five buckets sum to the 23 ratings read.');
  });

  it('opens each answer with a finding computed from its numbers, in report.json, report.md and report.html', async () => {
    const report = await outcome.readReport();
    const expected = expectedReport(2);
    // The oracle's leaders: October (Toy Story alone) has the highest mean revenue of the fixture's months.
    const bestMonth = expected.box_office_by_month.reduce((best, m) => (m.mean_revenue > best.mean_revenue ? m : best));
    expect(bestMonth.month).toBe(10);
    expect(report.findings.box_office).toMatch(/^October releases earn the most: a mean revenue of \$374M, /);
    expect(report.findings.highest_rated).toMatch(new RegExp(`^${expected.highest_rated[0]!.title} is the highest-rated movie with at least 2 ratings`));
    expect(report.findings.popular_genres).toMatch(new RegExp(`^${expected.popular_genres[0]!.genre} is the most-rated genre: ${expected.popular_genres[0]!.ratings_count} ratings`));
    expect(report.findings.genre_earnings_cpi).toMatch(new RegExp(`^${expected.genre_earnings_cpi.genres[0]!.genre} earns the most of all time`));
    const folder = path.join(outcome.lake, 'reports', 'local');
    const [markdown, html] = await Promise.all([readFile(path.join(folder, 'report.md'), 'utf8'), readFile(path.join(folder, 'report.html'), 'utf8')]);
    for (const finding of Object.values(report.findings)) {
      expect(markdown).toContain(`**${finding}**`);
      expect(html).toContain(`<p class="finding">${finding}</p>`);
    }
  });

  it('accounts for every record of every transformed source: read = kept + rejected + repeated ids', async () => {
    const report = await outcome.readReport();
    expect(report.source_ledgers.map((l) => l.source)).toEqual(['movies', 'credits', 'keywords', 'links', 'cpi']);
    expect(report.source_ledgers.filter((l) => !l.balanced)).toEqual([]);
    // The fixture repeats one movie row: 9 read = 8 loaded + 0 rejected + 1 repeated id.
    expect(report.source_ledgers[0]).toMatchObject({
      rows_read: MOVIES.length + 1, loaded: MOVIES.length, staged: MOVIES.length, rejected_by_reason: {}, duplicate_ids: 1, rejects_object: 'rejects/movies/local/rejects.csv.gz',
    });
    expect(report.source_ledgers.find((l) => l.source === 'links')).toMatchObject({ rows_read: LINKS.length, staged: LINKS.length, duplicate_ids: 0 });
    expect(report.source_ledgers.find((l) => l.source === 'cpi')).toMatchObject({ rows_read: CPI.length, staged: CPI.length, rejected_by_reason: {}, duplicate_ids: 0 });
    const markdown = await readFile(path.join(outcome.lake, 'reports', 'local', 'report.md'), 'utf8');
    expect(markdown).toMatch(/\| Movies with a repeated id +\| +1 \| its id was already kept .* rejects\/movies\/local\/rejects\.csv\.gz/);
    expect(markdown).toContain('For Movies, Credits, Keywords, Links, CPI months: kept, rejected and repeated ids sum to the records read.');
  });

  it('reruns idempotently: the same answers', async () => {
    const first = await outcome.readReport();
    const again = await runCli(cli, ['run', '--movies-source', path.dirname(outcome.lake), '--help'], {}, outcome.work);
    expect(again.code).toBe(0);
    const rerun = await runCli(
      cli,
      ['run', '--movies-source', await fixtureDir(), '--lake', pathToFileURL(outcome.lake).href, '--warehouse', `pglite://${path.join(outcome.work, 'warehouse')}`, '--min-ratings', '2'],
      {},
      outcome.work,
    );
    expect(rerun.code).toBe(0);
    const second = await outcome.readReport();
    expect({ ...second, generated_at: '' }).toEqual({ ...first, generated_at: '' });
  }, 300_000);
});
describe('movalytics run on the hand-made fixture through the Redshift Data API', () => {
  let target: RedshiftDataTestTarget;
  beforeAll(async () => {
    target = await redshiftDataTarget();
  }, 120_000);
  afterAll(() => target?.close());

  it('with an S3 lake and four steps at a time (the loads in parallel): the same answers as computed independently', async () => {
    const sources = await mkdtemp(path.join(tmpdir(), 'movalytics-fixture-'));
    await writeReportFixture(sources);
    const run = await runCli(
      cli,
      ['run', '--movies-source', sources, '--warehouse', TEST_WORKGROUP_URL, ...target.cliArgs, '--min-ratings', '2', '--parallel', '4'],
      target.cliEnv,
      sources,
    );
    expect({ code: run.code, errors: run.stderr.split('\n').filter((line) => line.includes('"level":"error"')) }).toEqual({ code: 0, errors: [] });
    expectMatches(await getJson(target.lake, layout.report('local', 'report.json')), expectedReport(2));
    // Every load step replaced its tables in ONE transaction that took load_stats and those tables first
    // (one shard: the ratings shard was the plain load, and the step gathering shards had nothing to commit).
    const loadSteps = PIPELINE_STEPS.filter((step) => step.argv[0] === 'load' && !(step.shards === 'all' && step.argv.includes('ratings'))).length;
    expect(target.server.statements.filter((sql) => /^LOCK TABLE "movalytics"."load_stats", /.test(sql.replace(/^(--[^\n]*\n)*/, ''))).length).toBe(loadSteps);
  }, 600_000);
});


async function fixtureDir(): Promise<string> {
  const sources = await mkdtemp(path.join(tmpdir(), 'movalytics-fixture-'));
  await writeReportFixture(sources);
  return sources;
}

describe('movalytics run on the genuine real-sample extracts', () => {
  it('loads the 400 movies and answers from the ratings_small head', async () => {
    const { run, readReport } = await runPipeline(REAL_SAMPLE_DIR, ['--min-ratings', '5']);
    expect(run.code).toBe(0);
    const report = await readReport();
    expect(report.coverage.movies).toBe(400);
    expect(report.coverage.ratings_total).toBe(5000);
    const { ratings_rejected, ratings_unmapped, ratings_not_loaded, ratings_superseded, ratings_analysed } = report.coverage;
    expect(ratings_rejected + ratings_unmapped + ratings_not_loaded + ratings_superseded + ratings_analysed).toBe(5000);
    // ratings_small rates many movies outside the 400 extracted: their links map to TMDB ids not loaded.
    expect(ratings_not_loaded).toBeGreaterThan(0);
    expect(report.highest_rated.length).toBeGreaterThan(0);
    expect(report.popular_genres.map((g) => g.genre)).toContain('Drama');
    expect(report.genre_earnings_cpi.reference_month).toBe('2016-06-01');
  }, 300_000);
});
