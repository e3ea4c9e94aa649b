/**
 * docker/: no Docker engine runs here, so the Dockerfiles and the compose file are checked by
 * parsing: `docker-compose config` (Debian's docker-compose 1.29 validates without an engine),
 * every file they reference exists and is inside the build context (.dockerignore), and the task
 * image is what DESIGN.md asks for (multi-stage, non-root, no dev dependencies, OCI labels, one
 * entrypoint per command).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { listedCommands, REPO, runNode } from './support';

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

const INSTRUCTIONS = new Set([
  'FROM', 'RUN', 'CMD', 'LABEL', 'EXPOSE', 'ENV', 'ADD', 'COPY', 'ENTRYPOINT', 'VOLUME', 'USER', 'WORKDIR', 'ARG',
  'ONBUILD', 'STOPSIGNAL', 'HEALTHCHECK', 'SHELL',
]);
const DOCKERFILES = ['docker/Dockerfile', 'docker/airflow.Dockerfile', 'docker/minio.Dockerfile'];

/** Instructions with continuation lines joined; comments and parser directives dropped. */
function parseDockerfile(file: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending = '';
  let start = 0;
  readFileSync(path.join(REPO, file), 'utf8').split('\n').forEach((raw, index) => {
    const text = raw.trim();
    if (pending === '' && (text === '' || text.startsWith('#'))) return;
    if (pending === '') start = index + 1;
    if (text.startsWith('#')) return; // a comment inside a continued instruction
    pending += `${text.replace(/\\$/, '')} `;
    if (text.endsWith('\\')) return;
    const [keyword = '', ...rest] = pending.trim().split(/\s+/);
    instructions.push({ keyword: keyword.toUpperCase(), args: rest.join(' '), line: start });
    pending = '';
  });
  if (pending !== '') throw new Error(`${file}: the last instruction ends with a line continuation`);
  return instructions;
}

/** Whether .dockerignore keeps `file` in the build context (last matching pattern wins). */
function inBuildContext(file: string): boolean {
  const patterns = readFileSync(path.join(REPO, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  let included = true;
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!');
    const glob = negated ? pattern.slice(1) : pattern;
    const source = glob
      .split('/')
      .map((part) => (part === '**' ? '.*' : part.replace(/[.+^${}()|[\]]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')))
      .join('/')
      .replace(/\.\*\//g, '(?:.*/)?');
    if (new RegExp(`^${source}(?:/.*)?$`).test(file)) included = negated;
  }
  return included;
}

function filesUnder(folder: string): string[] {
  return readdirSync(path.join(REPO, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(REPO, path.join(entry.parentPath, entry.name)));
}

function copySources(instruction: Instruction): string[] {
  const words = instruction.args.split(/\s+/).filter((word) => !word.startsWith('--'));
  return words.slice(0, -1);
}

describe.each(DOCKERFILES)('%s', (file) => {
  const instructions = parseDockerfile(file);

  test('uses only Dockerfile instructions, starts with FROM, and COPY --from names an earlier stage', () => {
    expect(instructions.filter((i) => !INSTRUCTIONS.has(i.keyword))).toEqual([]);
    expect(instructions.find((i) => i.keyword !== 'ARG')?.keyword).toBe('FROM');
    const stages: string[] = [];
    for (const instruction of instructions) {
      if (instruction.keyword === 'FROM') stages.push(/\bAS\s+(\S+)/i.exec(instruction.args)?.[1] ?? '');
      const from = /--from=(\S+)/.exec(instruction.args)?.[1];
      if (from) expect({ line: instruction.line, stage: from, known: stages.includes(from) }).toEqual({ line: instruction.line, stage: from, known: true });
    }
  });

  test('copies only files that exist in the repository and are in the build context', () => {
    const copies = instructions.filter((i) => (i.keyword === 'COPY' || i.keyword === 'ADD') && !/--from=/.test(i.args));
    for (const source of copies.flatMap(copySources)) {
      const relative = source.replace(/^\.\//, '').replace(/\/$/, '');
      const exists = existsSync(path.join(REPO, relative));
      // A folder is in the context when its files are (Docker re-includes `dir/**` without `dir`).
      const files = exists && statSync(path.join(REPO, relative)).isDirectory() ? filesUnder(relative) : [relative];
      expect({ source, exists, inContext: files.some(inBuildContext) }).toEqual({
        source,
        exists: true,
        inContext: true,
      });
    }
  });
});

describe('the task image (docker/Dockerfile)', () => {
  const instructions = parseDockerfile('docker/Dockerfile');
  const stages = instructions.filter((i) => i.keyword === 'FROM');
  const finalStage = instructions.slice(instructions.lastIndexOf(stages[stages.length - 1] as Instruction));
  const text = readFileSync(path.join(REPO, 'docker/Dockerfile'), 'utf8');

  test('is multi-stage on Node LTS, and its final stage holds the bundle only: no npm, no node_modules, no sources', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/ARG NODE_IMAGE=node:(20|22|24)-/);
    const finalText = finalStage.map((i) => `${i.keyword} ${i.args}`).join('\n');
    expect(finalText).not.toMatch(/\bnpm\b|node_modules|COPY (?!--from)/);
    expect(finalText).toMatch(/COPY --from=build \/out\/ \/app\//);
  });

  test('runs as the unprivileged node user with the bundle as its entrypoint', () => {
    const users = finalStage.filter((i) => i.keyword === 'USER').map((i) => i.args);
    expect(users[users.length - 1]).toBe('node');
    expect(finalStage.find((i) => i.keyword === 'ENTRYPOINT')?.args).toBe('["node", "/app/movalytics.js"]');
    expect(readFileSync(path.join(REPO, 'scripts/bundle.mjs'), 'utf8')).toContain("'movalytics.js'");
  });

  test('carries the OCI labels', () => {
    for (const label of ['title', 'description', 'version', 'revision', 'created', 'licenses']) {
      expect(text).toContain(`org.opencontainers.image.${label}=`);
    }
  });

  test('has one entrypoint per CLI command', () => {
    const declared = (/ARG COMMANDS="([^"]+)"/.exec(text)?.[1] ?? '').split(/\s+/).sort();
    const help = runNode(path.join(REPO, 'dist/tasks/cli.js'), ['--help'], { cwd: REPO });
    expect(help.status).toBe(0);
    expect(declared).toEqual(listedCommands(help.stdout).sort());
  });
});

describe('the local stack (docker/compose.yaml)', () => {
  const compose = readFileSync(path.join(REPO, 'docker/compose.yaml'), 'utf8');

  test('docker-compose validates it', () => {
    const result = spawnSync('docker-compose', ['-f', 'docker/compose.yaml', 'config', '--quiet'], { cwd: REPO, encoding: 'utf8' });
    expect(result.error).toBeUndefined();
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    const services = spawnSync('docker-compose', ['-f', 'docker/compose.yaml', 'config', '--services'], { cwd: REPO, encoding: 'utf8' });
    expect(services.stdout.trim().split('\n').sort()).toEqual(['airflow', 'lake-bucket', 'minio', 'postgres', 'tasks']);
  });

  test('builds from Dockerfiles that exist and bind-mounts folders that exist', () => {
    const dockerfiles = [...compose.matchAll(/dockerfile: (\S+)/g)].map((match) => match[1] ?? '');
    expect(dockerfiles.sort()).toEqual([...DOCKERFILES].sort());
    const binds = [...compose.matchAll(/- (\.\.\/[^:]+):/g)].map((match) => match[1] ?? '');
    expect(binds).toEqual(['../airflow/dags']);
    for (const bind of binds) expect(existsSync(path.join(REPO, 'docker', bind))).toBe(true);
  });

  test('runs the DAG with the docker runtime on the task image, secrets only in Airflow connections', () => {
    expect(compose).toContain('AIRFLOW__MOVALYTICS__RUNTIME: docker');
    expect(compose).toContain('AIRFLOW__MOVALYTICS__IMAGE: movalytics-tasks:latest');
    expect(compose).toMatch(/tasks:\n(?:.*\n)*?\s+image: movalytics-tasks:latest/);
    for (const conn of ['LAKE', 'WAREHOUSE', 'KAGGLE']) expect(compose).toContain(`AIRFLOW_CONN_MOVALYTICS_${conn}:`);
    expect(compose).not.toMatch(/AIRFLOW__MOVALYTICS__WAREHOUSE: \w+:\/\/[^/@\s]*:[^/@\s]*@/); // no password in the URL
  });
});
