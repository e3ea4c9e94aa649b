/**
 * The HTML report as a person sees it: the pipeline runs on the hand-made fixture, then headless
 * Chromium (Debian) opens report.html from disk with the network off, dumps the rendered DOM and
 * takes a screenshot. Every chart must be an SVG with drawn bars and axis text.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Report } from '../../tasks/report/report';
import { writeReportFixture } from '../support/report-fixture';
import { cliEnv, REPO, runNode, serviceEnv } from './support';

const work = mkdtempSync(path.join(tmpdir(), 'movalytics-html-'));
const reportFile = path.join(work, 'lake', 'reports', 'local', 'report.html');

function chromium(...args: string[]) {
  return spawnSync(
    serviceEnv('MOVALYTICS_TEST_CHROMIUM'),
    [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      `--user-data-dir=${mkdtempSync(path.join(tmpdir(), 'chromium-'))}`, ...args,
    ],
    { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
  );
}

beforeAll(async () => {
  const sources = path.join(work, 'sources');
  await writeReportFixture(sources);
  const run = runNode(
    path.join(REPO, 'dist', 'tasks', 'cli.js'),
    ['run', '--movies-source', sources, '--lake', pathToFileURL(path.join(work, 'lake')).href, '--warehouse', `pglite://${path.join(work, 'warehouse')}`, '--min-ratings', '2'],
    { cwd: work, env: cliEnv() },
  );
  if (run.status !== 0) throw new Error(`movalytics run exited ${String(run.status)}:\n${run.stderr.slice(-3000)}`);
}, 600_000);

it('renders one SVG chart with bars and labels per answer', () => {
  const dump = chromium('--dump-dom', pathToFileURL(reportFile).href);
  expect(dump.status).toBe(0);
  const figures = [...dump.stdout.matchAll(/<figure class="chart" id="chart-([a-z-]+)">([\s\S]*?)<\/figure>/g)];
  expect(figures.map((f) => f[1])).toEqual([
    'highest-rated', 'popular-genres', 'box-office-by-month', 'box-office-by-quarter', 'genre-earnings-cpi',
  ]);
  for (const [, id, svg] of figures) {
    expect({ id, svg: /^<svg[^>]*width="\d+"/.test(svg ?? '') }).toEqual({ id, svg: true });
    // Vega draws each bar as a path inside the mark group, and writes axis labels as text.
    expect({ id, bars: ((svg ?? '').match(/role-mark[^>]*>[\s\S]*?<path/g) ?? []).length > 0 }).toEqual({ id, bars: true });
    expect({ id, text: /<text[^>]*>[^<]+<\/text>/.test(svg ?? '') }).toEqual({ id, text: true });
  }
  expect(dump.stdout).toContain('Toy Story');
});

it('opens each answer with its finding, and writes chart text whole, legible and in English units', () => {
  const dump = chromium('--dump-dom', pathToFileURL(reportFile).href);
  expect(dump.status).toBe(0);
  const report = JSON.parse(readFileSync(path.join(path.dirname(reportFile), 'report.json'), 'utf8')) as Report;
  const findings = [...dump.stdout.matchAll(/<p class="finding">([^<]*)<\/p>/g)].map((m) => m[1]);
  expect(findings).toEqual([report.findings.highest_rated, report.findings.popular_genres, report.findings.box_office, report.findings.genre_earnings_cpi]);
  // The ledger accounts for the fixture's repeated movie row, with where the rejects are.
  expect(dump.stdout).toMatch(/<td>Movies read<\/td><td class="n">9<\/td>[\s\S]*<td>Movies with a repeated id<\/td><td class="n">1<\/td><td>[^<]*rejects\/movies\/local\/rejects\.csv\.gz<\/td>/);
  const chartText = [...dump.stdout.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1] ?? '');
  // Titles whole (no "Waiting to Exh…"), no SI giga ($1G) nor a zero with a prefix (0k, $0M).
  expect(report.highest_rated.map((m) => m.title).filter((title) => !chartText.includes(title))).toEqual([]);
  expect(chartText.filter((t) => t.includes('…') || /\dG$/.test(t) || /^\$?0[kMGB]$/.test(t))).toEqual([]);
  expect(chartText.some((t) => /^\$\d+(\.\d+)?[MB]$/.test(t))).toBe(true);
  // Chart text near the page's 15 px body text, not Vega's default 10 px.
  const sizes = [...dump.stdout.matchAll(/<text[^>]*font-size="(\d+)px"/g)].map((m) => Number(m[1]));
  expect(Math.min(...sizes)).toBeGreaterThanOrEqual(13);
});

it('takes a screenshot of the page', () => {
  const screenshot = path.join(work, 'report.png');
  const shot = chromium(`--screenshot=${screenshot}`, '--window-size=1200,2400', pathToFileURL(reportFile).href);
  expect(shot.status).toBe(0);
  const png = readFileSync(screenshot);
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  // A blank page compresses to a few kilobytes; charts and tables make it much larger.
  expect(statSync(screenshot).size).toBeGreaterThan(50_000);
});
