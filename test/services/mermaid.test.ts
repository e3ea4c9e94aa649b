/**
 * Every Mermaid diagram of the documentation renders: the ```mermaid blocks of README.md and
 * docs/*.md are drawn by the mermaid bundle from node_modules, in headless Chromium (Debian), on a
 * local page with the network off. Each must parse and become an SVG that shows every entity or
 * node it declares; a syntax error is reported with the diagram's file and position.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO, serviceEnv } from './support';

interface Diagram {
  name: string;
  text: string;
}

interface Rendered {
  name: string;
  ok: boolean;
  svg?: string;
  error?: string;
}

const work = mkdtempSync(path.join(tmpdir(), 'movalytics-mermaid-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function documentedDiagrams(): Diagram[] {
  const files = ['README.md', ...readdirSync(path.join(REPO, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];
  return files.flatMap((file) =>
    [...readFileSync(path.join(REPO, file), 'utf8').matchAll(/^```mermaid\n([\s\S]*?)^```$/gm)].map((match, index) => ({
      name: `${file} #${index + 1}`,
      text: match[1] ?? '',
    })),
  );
}

/** A page that renders each diagram in turn and writes the outcomes into <pre id="results">. */
function renderPage(diagrams: Diagram[]): string {
  const data = JSON.stringify(diagrams).replace(/</g, '\\u003c');
  return `<!doctype html>
<html><head><meta charset="utf-8"></head><body>
<script src="mermaid.min.js"></script>
<script>
(async () => {
  const diagrams = ${data};
  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
  const results = [];
  for (const [index, diagram] of diagrams.entries()) {
    try {
      await mermaid.parse(diagram.text);
      const { svg } = await mermaid.render('diagram' + index, diagram.text);
      results.push({ name: diagram.name, ok: true, svg });
    } catch (error) {
      results.push({ name: diagram.name, ok: false, error: String((error && error.message) || error) });
    }
  }
  const pre = document.createElement('pre');
  pre.id = 'results';
  pre.textContent = JSON.stringify(results);
  document.body.appendChild(pre);
})();
</script>
</body></html>`;
}

function renderInChromium(diagrams: Diagram[]): Rendered[] {
  copyFileSync(path.join(REPO, 'node_modules', 'mermaid', 'dist', 'mermaid.min.js'), path.join(work, 'mermaid.min.js'));
  const page = path.join(work, 'diagrams.html');
  writeFileSync(page, renderPage(diagrams));
  const chromium = spawnSync(
    serviceEnv('MOVALYTICS_TEST_CHROMIUM'),
    [
      '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', `--user-data-dir=${path.join(work, 'profile')}`,
      // Virtual time lets the page's asynchronous rendering finish before the DOM is dumped.
      '--virtual-time-budget=60000', '--dump-dom', pathToFileURL(page).href,
    ],
    { encoding: 'utf8', timeout: 180_000, maxBuffer: 256 * 1024 * 1024 },
  );
  if (chromium.status !== 0) throw new Error(`chromium exited ${String(chromium.status)}: ${chromium.stderr.slice(-2000)}`);
  const dumped = /<pre id="results">([\s\S]*?)<\/pre>/.exec(chromium.stdout);
  if (!dumped) throw new Error(`the page wrote no results:\n${chromium.stdout.slice(0, 2000)}`);
  const json = (dumped[1] ?? '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&nbsp;/g, '\u00a0').replace(/&amp;/g, '&');
  return JSON.parse(json) as Rendered[];
}

/** What a diagram declares and its SVG must show: ER entities, or flowchart node ids and labels. */
function declaredNames(text: string): string[] {
  if (text.startsWith('erDiagram')) return [...text.matchAll(/^ {2}(\w+) \{$/gm)].map((match) => match[1] ?? '');
  const bare = [...text.matchAll(/^ {2}(\w+)$/gm)].map((match) => match[1] ?? '');
  const labelled = [...text.matchAll(/^\s+\w+\[\(?"([^"<]+)/gm)].map((match) => match[1] ?? '');
  return [...bare, ...labelled];
}

it('renders every diagram of README.md and docs/ to an SVG showing all it declares', () => {
  const diagrams = documentedDiagrams();
  // The README's architecture and task graph, and the data dictionary's ER diagram, at least.
  expect(diagrams.length).toBeGreaterThanOrEqual(3);
  expect(diagrams.some((diagram) => diagram.text.startsWith('erDiagram'))).toBe(true);
  const rendered = renderInChromium(diagrams);
  expect(rendered.map((result) => ({ name: result.name, error: result.error }))).toEqual(diagrams.map((diagram) => ({ name: diagram.name, error: undefined })));
  for (const [index, result] of rendered.entries()) {
    const svg = result.svg ?? '';
    expect({ name: result.name, svg: svg.startsWith('<svg') }).toEqual({ name: result.name, svg: true });
    const names = declaredNames(diagrams[index]?.text ?? '');
    expect({ name: result.name, declared: names.length > 0 }).toEqual({ name: result.name, declared: true });
    expect({ name: result.name, missing: names.filter((name) => !svg.includes(name)) }).toEqual({ name: result.name, missing: [] });
  }
});

it('reports a broken diagram as an error, not as an empty drawing', () => {
  const [broken] = renderInChromium([{ name: 'broken', text: 'erDiagram\n  movies ||--o{ : "movie_id"\n' }]);
  expect(broken?.ok).toBe(false);
  expect(broken?.error).toMatch(/Parse error|Expecting|error/i);
});
