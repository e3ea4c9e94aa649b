/**
 * The embedded warehouse's lock across PID namespaces. Every task container
 * runs as pid 1 in a PID namespace of its own, so each process here runs in one too
 * (`unshare --pid --fork --mount-proc`, as root): a lock that trusted pids took pid 1 (the opener
 * itself) to be alive, and a holder's namespace pid that is not alive on the host to be dead.
 * Leases are short here (--warehouse-lock-lease-ms); nothing is timed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { buildBundle, outcome, ROOT, runBundle, type Bundle } from './support';

const NAMESPACE = ['unshare', '--pid', '--fork', '--mount-proc'];
const LEASE_MS = '1000';

let bundle: Bundle;
let work: string;
let holderScript: string;
let pgliteHolderScript: string;

beforeAll(async () => {
  [bundle, work] = await Promise.all([buildBundle(), mkdtemp(path.join(tmpdir(), 'movalytics-lock-'))]);
  holderScript = path.join(work, 'lock-holder.js');
  // Beside the task bundle: PGlite's WebAssembly files and sql/ are there.
  pgliteHolderScript = path.join(path.dirname(bundle.script), 'pglite-holder.js');
  await build({ entryPoints: [path.join(ROOT, 'test', 'reliability', 'lock-holder.ts')], bundle: true, platform: 'node', outfile: holderScript, logLevel: 'error' });
  await build({
    entryPoints: [path.join(ROOT, 'test', 'reliability', 'pglite-holder.ts')],
    bundle: true,
    platform: 'node',
    outfile: pgliteHolderScript,
    logLevel: 'error',
    // As scripts/bundle.mjs does: PGlite finds its files from import.meta.url.
    banner: { js: "const __bundleFileUrl = require('node:url').pathToFileURL(__filename).href;" },
    define: { 'import.meta.url': '__bundleFileUrl' },
  });
}, 180_000);

afterAll(async () => {
  await bundle?.remove();
  if (work) await rm(work, { recursive: true, force: true });
});

/**
 * A lock holder in a PID namespace of its own, once it holds the lock; with the host pid of the
 * namespace's init, whose death ends the namespace. Behind a shell, the holder is pid 2 there.
 */
async function holderInNamespace(dataDir: string, behindShell = false): Promise<{ child: ChildProcess; initPid: number; namespacePid: string }> {
  const holder = [process.execPath, holderScript, dataDir, LEASE_MS];
  const [command = 'unshare', ...args] = [...NAMESPACE, ...(behindShell ? ['sh', '-c', '"$0" "$@"; exit $?', ...holder] : holder)];
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the lock holder exited with ${String(code)}`)));
    createInterface({ input: child.stdout! }).once('line', resolve);
  });
  // unshare --fork runs its command as its child: that child is pid 1 of the namespace.
  const children = await readFile(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8');
  return { child, initPid: Number(children.trim().split(' ')[0]), namespacePid: line.replace('held ', '') };
}

function createTables(dataDir: string, lakeName: string, extra: readonly string[]): string[] {
  const lake = pathToFileURL(path.join(work, lakeName)).href;
  return ['create-tables', '--warehouse', `pglite://${dataDir}`, '--run-id', 'r1', '--lake', lake, '--warehouse-lock-lease-ms', LEASE_MS, ...extra];
}

describe('the embedded warehouse lock across PID namespaces', () => {
  it('a holder SIGKILLed in its namespace: the next opener (pid 1 too) takes the lock over after a lease and succeeds', async () => {
    const dataDir = path.join(work, 'killed-holder');
    const holder = await holderInNamespace(dataDir);
    expect(holder.namespacePid).toBe('1');
    expect(JSON.parse(await readFile(`${dataDir}.lock`, 'utf8'))).toMatchObject({ pid: 1 });
    const exited = new Promise((resolve) => holder.child.once('exit', resolve));
    process.kill(holder.initPid, 'SIGKILL');
    await exited;

    const opener = await runBundle(bundle, createTables(dataDir, 'lake-killed', ['--warehouse-lock-timeout-ms', '120000']), { wrapper: NAMESPACE });
    expect(outcome(opener)).toEqual({ code: 0, errors: [] });
    expect(opener.stderr).toMatch(/taking over the embedded warehouse lock: its holder stopped renewing it/);
    expect(opener.result).toMatchObject({ status: 'success' });
  }, 180_000);

  it('a live holder in another namespace, its main thread busy, is never taken over: the opener waits, then exits 75 naming it', async () => {
    const dataDir = path.join(work, 'live-holder');
    // Pid 2 in its namespace: no process of that pid lives in the opener's, where a pid-trusting lock took it to be dead.
    const holder = await holderInNamespace(dataDir, true);
    expect(holder.namespacePid).toBe('2');
    try {
      const before = await readFile(`${dataDir}.lock`, 'utf8');
      // Five leases: a lease that lapsed while the holder lives would be taken over long before.
      const opener = await runBundle(bundle, createTables(dataDir, 'lake-live', ['--warehouse-lock-timeout-ms', '5000']), { wrapper: NAMESPACE });
      expect(outcome(opener)).toEqual({
        code: 75,
        errors: [expect.stringMatching(/create-tables failed: embedded warehouse is busy: another process holds its lock.*holder=.*pid 2 on \S+ since /)],
      });
      expect(await readFile(`${dataDir}.lock`, 'utf8')).toBe(before);
      expect(opener.stderr).not.toMatch(/taking over/);
    } finally {
      process.kill(holder.initPid, 'SIGKILL');
    }
  }, 180_000);
});

describe('an embedded warehouse holder frozen past its lease', () => {
  it('its lock is taken over by the next opener; thawed, it exits 75 naming the lock before writing more', async () => {
    const dataDir = path.join(work, 'frozen-holder');
    const holder = spawn(process.execPath, [pgliteHolderScript, dataDir, LEASE_MS], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout = createInterface({ input: holder.stdout });
    const nextLine = () =>
      new Promise<string>((resolve, reject) => {
        stdout.once('line', resolve);
        holder.once('exit', (code) => reject(new Error(`the holder exited with ${String(code)}: ${stderr}`)));
      });
    let stderr = '';
    holder.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => holder.once('exit', resolve));
    try {
      expect(await nextLine()).toBe('opened');
      holder.stdin.write('write\n');
      expect(await nextLine()).toBe('wrote');
      // Frozen (a suspended container, a stopped debugger): its heartbeat thread stops with it.
      holder.kill('SIGSTOP');
      const opener = await runBundle(bundle, createTables(dataDir, 'lake-frozen', ['--warehouse-lock-timeout-ms', '120000']));
      expect(outcome(opener)).toEqual({ code: 0, errors: [] });
      expect(opener.stderr).toMatch(/taking over the embedded warehouse lock: its holder stopped renewing it/);
      holder.kill('SIGCONT');
      holder.stdin.write('write\n');
      // Either it exits or it prints `wrote`: a holder that wrote once more fails here, not at the timeout.
      expect(await Promise.race([exited, nextLine()])).toBe(75);
      expect(stderr).toMatch(/the embedded warehouse lock was taken over by another process while this one held it: stopped before writing more/);
      // The warehouse stays the opener's: a next task opens it and finds it whole.
      const after = await runBundle(bundle, createTables(dataDir, 'lake-frozen', ['--warehouse-lock-timeout-ms', '120000']));
      expect(outcome(after)).toEqual({ code: 0, errors: [] });
    } finally {
      holder.kill('SIGKILL');
    }
  }, 180_000);
});
