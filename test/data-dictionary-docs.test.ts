/**
 * The documents that must not drift from the code: the README's task graph is the output of
 * `movalytics steps --mermaid`, and every lever of docs/operations.md points at something that
 * exists: repository paths, `[movalytics]` Airflow settings and `movalytics` flags.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildCli } from '../tasks/cli';
import { commands } from '../tasks/commands';
import { PIPELINE_STEPS, topologicalOrder } from '../tasks/pipeline/steps';
import { DAG_STEP_GRAPH_MODULE, stepsDagModule, stepsMermaid } from '../tasks/pipeline/steps-command';

const ROOT = path.resolve(__dirname, '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const SOURCE_FILE = /\.(ts|js|mjs|py|sql|md|json|ya?ml|sh|toml|txt|cfg)$/;
const TOP_LEVEL = new Set(readdirSync(ROOT));

/** The fenced ```mermaid block of a README section. */
function sectionDiagram(markdown: string, heading: string): string | undefined {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  if (start < 0) return undefined;
  const next = markdown.indexOf('\n## ', start + 1);
  const section = markdown.slice(start, next < 0 ? undefined : next);
  return /```mermaid\n([\s\S]*?)\n```/.exec(section)?.[1];
}

/** Inline code spans outside fenced blocks. */
function inlineCode(markdown: string): string[] {
  const prose = markdown.replace(/^```[\s\S]*?^```$/gm, '');
  return [...prose.matchAll(/`([^`\n]+)`/g)].map((match) => match[1] ?? '');
}

/**
 * A span that names a file or folder of the repository: a path under one of its top-level folders,
 * any path ending like a source file (so that a misspelt folder is caught too), or a top-level
 * document such as `README.md`. Lake keys are written with `<placeholders>` and are not paths here.
 */
function repositoryPath(span: string): string | undefined {
  if (/[\s<>*:{}]/.test(span)) return undefined;
  if (!span.includes('/')) return /^([A-Z]+\.md|package\.json)$/.test(span) ? span : undefined;
  const first = span.split('/')[0] ?? '';
  return TOP_LEVEL.has(first) || SOURCE_FILE.test(span) ? span : undefined;
}

/** Top-level list items outside fenced blocks, continuation lines joined. */
function listItems(markdown: string): string[] {
  const items: string[] = [];
  let current: string | undefined;
  for (const line of markdown.replace(/^```[\s\S]*?^```$/gm, '').split('\n')) {
    if (line.startsWith('- ')) {
      if (current !== undefined) items.push(current);
      current = line;
    } else if (current !== undefined && /^\s+\S/.test(line)) current += ` ${line.trim()}`;
    else if (current !== undefined) {
      items.push(current);
      current = undefined;
    }
  }
  if (current !== undefined) items.push(current);
  return items;
}

/** What `movalytics <command> --help` prints, for every command. */
async function everyCommandHelp(): Promise<string> {
  const top = await help([]);
  const names = [...top.matchAll(/^\s+movalytics ([a-z][a-z-]*)/gm)].map((match) => match[1] ?? '');
  expect(names.length).toBe(commands.length);
  const texts = await Promise.all(names.map((name) => help([name])));
  return [top, ...texts].join('\n');
}

async function help(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    buildCli([...args, '--help']).parse([...args, '--help'], {}, (error: Error | undefined, _argv: unknown, output: string) =>
      error ? reject(error) : resolve(output),
    );
  });
}

describe('the Airflow DAG', () => {
  it(`reads the step graph that \`movalytics steps --dag-module\` prints (${DAG_STEP_GRAPH_MODULE}; npm run dag:steps)`, () => {
    expect(read(DAG_STEP_GRAPH_MODULE)).toBe(`${stepsDagModule(topologicalOrder(PIPELINE_STEPS))}\n`);
  });
});

describe('README.md', () => {
  it('shows the task graph `movalytics steps --mermaid` prints', () => {
    expect(sectionDiagram(read('README.md'), 'Task graph')).toBe(stepsMermaid(topologicalOrder(PIPELINE_STEPS)));
  });

  it('has the architecture diagram with Airflow around the tasks', () => {
    const architecture = sectionDiagram(read('README.md'), 'Architecture') ?? '';
    expect(architecture).toMatch(/^flowchart/);
    for (const part of ['subgraph airflow', 'subgraph lake', 'subgraph warehouse', 'quality-check', 'report']) expect(architecture).toContain(part);
  });
});

describe('docs/operations.md', () => {
  const operations = read('docs/operations.md');
  const spans = inlineCode(operations);

  it('names only repository paths that exist', () => {
    const paths = spans.flatMap((span) => repositoryPath(span) ?? []);
    expect(paths.length).toBeGreaterThan(15);
    expect(paths.filter((file) => !existsSync(path.join(ROOT, file)))).toEqual([]);
  });

  it('names only Airflow settings the DAG reads (airflow/dags/movalytics_airflow/settings.py)', () => {
    const settings = read('airflow/dags/movalytics_airflow/settings.py');
    const named = spans.flatMap((span) => [...span.matchAll(/\[movalytics\] (\w+)/g)].map((match) => match[1] ?? ''));
    expect(named.length).toBeGreaterThan(2);
    expect(named.filter((key) => !settings.includes(`_get("${key}"`))).toEqual([]);
  });

  it('names only flags that a movalytics command has', async () => {
    const helpText = await everyCommandHelp();
    const flags = spans.filter((span) => /^(npx )?movalytics |^--/.test(span)).flatMap((span) => [...span.matchAll(/(?:^|\s)--([a-z][a-z-]*)/g)].map((match) => match[1] ?? ''));
    expect(flags.length).toBeGreaterThan(3);
    expect([...new Set(flags)].filter((flag) => !helpText.includes(`--${flag}`))).toEqual([]);
  });

  it('points every lever (list item) at a file or setting; plans are marked as plans', () => {
    const items = listItems(operations);
    expect(items.length).toBeGreaterThan(10);
    const pointless = items.filter((item) => !inlineCode(item).some((span) => repositoryPath(span) !== undefined || /\[movalytics\] \w+/.test(span)));
    expect(pointless).toEqual([]);
    expect(operations).toMatch(/\*\*Plan\*\*/);
  });
});
