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
import { listedCommands, REPO, runNode, stepImageFolders } from './support';

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

describe('the task images (docker/Dockerfile)', () => {
  const instructions = parseDockerfile('docker/Dockerfile');
  const text = readFileSync(path.join(REPO, 'docker/Dockerfile'), 'utf8');
  /** Each stage's instructions, by stage name. */
  const stages = new Map<string, Instruction[]>();
  let current: Instruction[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      current = [instruction];
      stages.set(/\bAS\s+(\S+)/i.exec(instruction.args)?.[1] ?? '', current);
    } else current.push(instruction);
  }
  const imageStages = [...stages.keys()].filter((name) => name.startsWith('movalytics'));
  const base = stages.get('base') ?? [];
  const stepFolders = stepImageFolders();

  test('builds on Node LTS; every image is the shared base plus its own bundle folder, nothing else', () => {
    expect(text).toMatch(/ARG NODE_IMAGE=node:(22|24)-/);
    expect(imageStages.sort()).toEqual(['movalytics', ...stepFolders.map((folder) => `movalytics-${folder}`)].sort());
    for (const name of imageStages) {
      const stage = (stages.get(name) ?? []).map((i) => `${i.keyword} ${i.args}`);
      const folder = name === 'movalytics' ? 'movalytics' : name.replace(/^movalytics-/, '');
      expect(stage.filter((line) => !line.startsWith('LABEL') && !line.startsWith('CMD'))).toEqual([
        `FROM base AS ${name}`,
        `COPY --from=build /out/${folder}/ /app/`,
      ]);
    }
    expect(base.map((i) => `${i.keyword} ${i.args}`).join('\n')).not.toMatch(/\bnpm\b|node_modules|COPY/);
  });

  test('runs as the unprivileged node user with the bundle as its entrypoint', () => {
    const users = base.filter((i) => i.keyword === 'USER').map((i) => i.args);
    expect(users[users.length - 1]).toBe('node');
    expect(base.find((i) => i.keyword === 'ENTRYPOINT')?.args).toBe('["node", "/app/main.js"]');
    expect(readFileSync(path.join(REPO, 'scripts/bundle.mjs'), 'utf8')).toContain("'main.js'");
  });

  test('carries the OCI labels, a title per image', () => {
    for (const label of ['description', 'version', 'revision', 'created', 'licenses']) {
      expect(text).toContain(`org.opencontainers.image.${label}=`);
    }
    for (const name of imageStages) {
      expect((stages.get(name) ?? []).some((i) => i.keyword === 'LABEL' && i.args === `org.opencontainers.image.title="${name}"`)).toBe(true);
    }
  });

  test('has an image for every command of the step graph and for sample generation; the rest is the all-in-one image', () => {
    const help = runNode(path.join(REPO, 'dist/tasks/cli.js'), ['--help'], { cwd: REPO });
    expect(help.status).toBe(0);
    const steps = runNode(path.join(REPO, 'dist/tasks/cli.js'), ['steps', '--json'], { cwd: REPO });
    const graphCommands = (JSON.parse(steps.stdout) as { argv: string[] }[]).map((step) => step.argv[0] ?? '');
    expect(stepFolders.sort()).toEqual([...new Set([...graphCommands, 'generate-sample'])].sort());
    expect(listedCommands(help.stdout).filter((command) => !stepFolders.includes(command)).sort()).toEqual(['data-dictionary', 'run', 'steps']);
  });
});

describe('the local stack (docker/compose.yaml)', () => {
  const compose = readFileSync(path.join(REPO, 'docker/compose.yaml'), 'utf8');

  test('docker-compose validates it', () => {
    const result = spawnSync('docker-compose', ['-f', 'docker/compose.yaml', 'config', '--quiet'], { cwd: REPO, encoding: 'utf8' });
    expect(result.error).toBeUndefined();
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    const services = spawnSync('docker-compose', ['-f', 'docker/compose.yaml', 'config', '--services'], { cwd: REPO, encoding: 'utf8' });
    expect(services.stdout.trim().split('\n').sort()).toEqual(['airflow', 'lake-bucket', 'minio', 'movalytics', 'postgres', ...stepImageFolders()].sort());
  });

  test('builds from Dockerfiles that exist and bind-mounts folders that exist', () => {
    const dockerfiles = [...compose.matchAll(/dockerfile: (\S+)/g)].map((match) => match[1] ?? '');
    expect(dockerfiles.sort()).toEqual([...DOCKERFILES].sort());
    const binds = [...compose.matchAll(/- (\.\.\/[^:]+):/g)].map((match) => match[1] ?? '');
    expect(binds).toEqual(['../airflow/dags']);
    for (const bind of binds) expect(existsSync(path.join(REPO, 'docker', bind))).toBe(true);
  });

  test('builds each task image from its Dockerfile target, every image name overridable', () => {
    const config = spawnSync('docker-compose', ['-f', 'docker/compose.yaml', 'config'], {
      cwd: REPO, encoding: 'utf8', env: { ...process.env, MOVALYTICS_IMAGE_PREFIX: 'registry.example/mv', MOVALYTICS_IMAGE_TAG: '9.9' },
    });
    expect(config.status).toBe(0);
    const targets = [...config.stdout.matchAll(/target: (\S+)\n\s+image: (\S+)/g)].map((match) => [match[1], match[2]]);
    expect(targets.length).toBe(9);
    for (const [target, image] of targets) expect(image).toBe(`${(target ?? '').replace(/^movalytics/, 'registry.example/mv')}:9.9`);
    expect(config.stdout).toContain('AIRFLOW__MOVALYTICS__IMAGE: registry.example/mv-{command}:9.9');
    for (const variable of ['POSTGRES_IMAGE', 'AWS_CLI_IMAGE', 'AIRFLOW_IMAGE', 'GO_IMAGE', 'NODE_IMAGE']) expect(compose).toContain(`\${${variable}:-`);
  });

  test('runs the DAG with the docker runtime on the step images, secrets only in Airflow connections', () => {
    expect(compose).toContain('AIRFLOW__MOVALYTICS__RUNTIME: docker');
    for (const conn of ['LAKE', 'WAREHOUSE', 'KAGGLE']) expect(compose).toContain(`AIRFLOW_CONN_MOVALYTICS_${conn}:`);
    expect(compose).not.toMatch(/AIRFLOW__MOVALYTICS__WAREHOUSE: \w+:\/\/[^/@\s]*:[^/@\s]*@/); // no password in the URL
  });
});
