/**
 * One process at a time on an embedded warehouse: PGlite is a single-process database, so two
 * tasks opening the same data directory would corrupt it.
 *
 * The lock is a lease, not a process id. A pid says nothing across PID namespaces (every task
 * container is pid 1, and a holder's pid means another process on the host) nor across hosts
 * sharing a volume. The lock file beside the directory names its holder by a random token; the
 * holder touches the file every `leaseMs / 5` (lock-heartbeat.ts), and a waiter that sees the same
 * token with the same modification time for a whole lease, by its own clock, takes the lock over:
 * its holder is gone (SIGKILL, OOM, a container removed). Only changes are compared, never one
 * host's clock with another's file time.
 *
 * Why not proper-lockfile (mkdir, mtime refreshed by a timer, stale after a threshold): its timer
 * runs on the main thread, and PGlite runs each statement synchronously there. A 50 ms interval
 * did not fire once during a 2.2 s PGlite query; the model build runs for minutes, so its lease
 * would lapse while it works and a second process would open the directory. Here the heartbeat
 * runs in a worker thread, which the holder's busy main thread does not stop.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { link, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { TransientError } from '../errors';
import type { Logger } from '../log';
import { startHeartbeat, type Heartbeat } from './lock-heartbeat';

/** A holder that has not touched its lock for this long is gone (override: --warehouse-lock-lease-ms). */
export const DEFAULT_LEASE_MS = 30_000;

export interface DirectoryLock {
  /**
   * Throws TransientError (exit 75) naming the lock once another process took it over (this one
   * was frozen longer than the lease): its holder must stop before it writes more.
   */
  assertHeld(): void;
  release(): Promise<void>;
}

export interface LockOptions {
  /** Longest wait for a live holder; then TransientError (exit 75). */
  timeoutMs: number;
  leaseMs?: number;
  logger?: Logger;
  /** What the lock guards, in messages: `embedded warehouse` unless said. */
  name?: string;
}

/** Who holds a lock: written once into the lock file by its holder. */
export interface Holder {
  token: string;
  host: string;
  pid: number;
  since: string;
}

/** A holder as seen by a waiter: its token, the file's last touch, and when the waiter saw them first. */
interface Sighting {
  holder: Holder;
  mtimeMs: number;
  seenAt: number;
}

export async function lockDirectory(
  directory: string,
  { timeoutMs, leaseMs = DEFAULT_LEASE_MS, logger, name = 'embedded warehouse' }: LockOptions,
): Promise<DirectoryLock> {
  const lockFile = `${directory}.lock`;
  const me: Holder = { token: randomUUID(), host: hostname(), pid: process.pid, since: new Date().toISOString() };
  const deadline = Date.now() + timeoutMs;
  let sighting: Sighting | undefined;
  let waitMs = 50;
  let logged = false;
  for (;;) {
    if (await tryCreate(lockFile, me)) return held(lockFile, me, leaseMs, name, logger);
    const current = await sight(lockFile, sighting);
    if (current === undefined) continue; // released meanwhile
    sighting = current;
    if (Date.now() - current.seenAt >= leaseMs) {
      logger?.warn(`taking over the ${name} lock: its holder stopped renewing it`, { lock: lockFile, holder: describe(current.holder), lease_ms: leaseMs });
      await breakLock(lockFile, current.holder.token, me.token);
      sighting = undefined;
      continue;
    }
    if (Date.now() >= deadline) {
      throw new TransientError(`${name} is busy: another process holds its lock`, { object: lockFile, holder: describe(current.holder) });
    }
    if (!logged) logger?.info(`waiting for the ${name} lock`, { lock: lockFile, holder: describe(current.holder) });
    logged = true;
    await sleep(waitMs);
    waitMs = Math.min(waitMs * 2, 1000, Math.max(leaseMs / 5, 50));
  }
}

async function held(lockFile: string, me: Holder, leaseMs: number, name: string, logger: Logger | undefined): Promise<DirectoryLock> {
  const heartbeat: Heartbeat = await startHeartbeat(lockFile, me.token, Math.max(Math.floor(leaseMs / 5), 10), () =>
    logger?.error(`the ${name} lock was taken over while this process held it`, { lock: lockFile }),
  );
  return {
    assertHeld: () => {
      if (heartbeat.lost()) throw lockTakenOver(name, lockFile);
    },
    release: async () => {
      await heartbeat.stop();
      await removeIfStill(lockFile, me.token);
    },
  };
}

/** A holder whose lease lapsed while it was frozen: a retry starts over under a lock of its own. */
export function lockTakenOver(name: string, lock: string): TransientError {
  return new TransientError(`the ${name} lock was taken over by another process while this one held it: stopped before writing more`, { lock });
}

/** Writes the holder beside the lock, then links it into place: the lock never exists half-written. */
async function tryCreate(lockFile: string, me: Holder): Promise<boolean> {
  const candidate = `${lockFile}.${me.token}`;
  await writeFile(candidate, `${JSON.stringify(me)}\n`);
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

/** The lock's holder now; `seenAt` carries over from the last sighting while nothing changed. */
async function sight(lockFile: string, last: Sighting | undefined): Promise<Sighting | undefined> {
  try {
    const [text, { mtimeMs }] = await Promise.all([readFile(lockFile, 'utf8'), stat(lockFile)]);
    const holder = parseHolder(text);
    const unchanged = last !== undefined && last.holder.token === holder.token && last.mtimeMs === mtimeMs;
    return { holder, mtimeMs, seenAt: unchanged ? last.seenAt : Date.now() };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** A lock file of an older release holds a bare pid: it is a token like any other, never renewed. */
export function parseHolder(text: string): Holder {
  try {
    const parsed = JSON.parse(text) as Partial<Holder>;
    if (typeof parsed.token === 'string') return { token: parsed.token, host: String(parsed.host), pid: Number(parsed.pid), since: String(parsed.since) };
  } catch {
    // not JSON: the older format
  }
  return { token: text.trim(), host: 'unknown', pid: Number.parseInt(text, 10), since: 'unknown' };
}

export function describe(holder: Holder): string {
  return `pid ${holder.pid} on ${holder.host} since ${holder.since}`;
}

/** Removes the lock only while it still names `token`: never a lock another process took meanwhile. */
async function removeIfStill(lockFile: string, token: string): Promise<void> {
  try {
    if (parseHolder(await readFile(lockFile, 'utf8')).token === token) await rm(lockFile, { force: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/**
 * Takes a dead holder's lock away: moved aside in one step, so of two waiters breaking it at once
 * only one gets it. A waiter that moved a lock someone had just taken (a new token) puts it back.
 */
async function breakLock(lockFile: string, staleToken: string, myToken: string): Promise<void> {
  const aside = `${lockFile}.broken-${myToken}`;
  try {
    await rename(lockFile, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    if (parseHolder(await readFile(aside, 'utf8')).token !== staleToken) await link(aside, lockFile).catch(() => undefined);
  } finally {
    await rm(aside, { force: true });
  }
}
