/**
 * One process at a time on an embedded warehouse: PGlite is a single-process database, so two
 * tasks opening the same data directory would corrupt it. A lock file beside the directory holds
 * the owner's pid; a lock left by a process that no longer exists (killed) is taken over.
 */
import { link, readFile, rm, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { TransientError } from '../errors';
import type { Logger } from '../log';

export interface DirectoryLock {
  release(): Promise<void>;
}

export async function lockDirectory(directory: string, timeoutMs: number, logger?: Logger): Promise<DirectoryLock> {
  const lockFile = `${directory}.lock`;
  const deadline = Date.now() + timeoutMs;
  let waitMs = 50;
  let logged = false;
  for (;;) {
    if (await tryCreate(lockFile)) return { release: () => releaseIfOurs(lockFile) };
    const owner = await ownerOf(lockFile);
    if (owner === undefined || !isAlive(owner)) {
      // The owner died without releasing (SIGKILL, OOM): its lock means nothing any more.
      await rm(lockFile, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw new TransientError('embedded warehouse is busy: another process holds its lock', { object: lockFile, pid: owner });
    }
    if (!logged) logger?.info('waiting for the embedded warehouse lock', { lock: lockFile, pid: owner });
    logged = true;
    await sleep(waitMs);
    waitMs = Math.min(waitMs * 2, 1000);
  }
}

/** Writes the pid beside the lock, then links it into place: the lock never exists half-written. */
async function tryCreate(lockFile: string): Promise<boolean> {
  const candidate = `${lockFile}.${process.pid}`;
  await writeFile(candidate, String(process.pid));
  try {
    await link(candidate, lockFile);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await rm(candidate, { force: true });
  }
}

async function ownerOf(lockFile: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt(await readFile(lockFile, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function releaseIfOurs(lockFile: string): Promise<void> {
  if ((await ownerOf(lockFile)) === process.pid) await rm(lockFile, { force: true });
}
