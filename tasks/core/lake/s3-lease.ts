/**
 * The lease of directory-lock.ts on S3, made of conditional writes: a holder creates the lease
 * object only if absent (`If-None-Match: *`) and renews it only while its ETag is still the one it
 * wrote (`If-Match`); a waiter that sees one ETag unchanged for a whole lease, by its own clock,
 * replaces it under the same condition. Of two waiters taking over at once, one write fails with
 * 412, so one of them holds it. S3 has enforced both conditions since 2024, MinIO too; s3rver
 * ignores them (the unit tests name the S3 lease unsupported there).
 *
 * The renewal runs on a timer of the main thread, not in a worker like the warehouse lock's: the
 * holders of lake leases (`run`) wait on their steps' processes and keep their event loop free.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { TransientError } from '../errors';
import type { Logger } from '../log';
import { DEFAULT_LEASE_MS, describe, lockTakenOver, parseHolder, type DirectoryLock, type Holder, type LockOptions } from '../warehouse/directory-lock';

/** What the lease needs of an S3 lake: writes and deletes under a condition on the ETag. */
export interface ConditionalObjects {
  urlOf(key: string): string;
  /** Writes `text` if the object is absent (`etag` undefined) or still has `etag`; the new ETag, or undefined when the condition failed. */
  putIf(key: string, text: string, etag: string | undefined): Promise<string | undefined>;
  /** The object's text and ETag, or undefined when absent. */
  read(key: string): Promise<{ text: string; etag: string } | undefined>;
  /** Deletes the object if it still has `etag`. */
  deleteIf(key: string, etag: string): Promise<void>;
}

interface Sighting {
  etag: string;
  holder: Holder;
  seenAt: number;
}

export async function leaseObject(
  objects: ConditionalObjects,
  key: string,
  { timeoutMs, leaseMs = DEFAULT_LEASE_MS, logger, name = 'lake object' }: LockOptions,
): Promise<DirectoryLock> {
  const me: Holder = { token: randomUUID(), host: hostname(), pid: process.pid, since: new Date().toISOString() };
  const deadline = Date.now() + timeoutMs;
  const guarded = { objects, key, me, leaseMs, name, logger };
  let sighting: Sighting | undefined;
  let waitMs = 50;
  let logged = false;
  for (;;) {
    const created = await objects.putIf(key, leaseText(me, 0), undefined);
    if (created !== undefined) return renewed(guarded, created);
    const current = await objects.read(key);
    if (current === undefined) continue; // released meanwhile
    sighting = sighting?.etag === current.etag ? sighting : { etag: current.etag, holder: parseHolder(current.text), seenAt: Date.now() };
    if (Date.now() - sighting.seenAt >= leaseMs) {
      logger?.warn(`taking over the ${name} lock: its holder stopped renewing it`, { lock: objects.urlOf(key), holder: describe(sighting.holder), lease_ms: leaseMs });
      const taken = await objects.putIf(key, leaseText(me, 0), current.etag);
      if (taken !== undefined) return renewed(guarded, taken);
      sighting = undefined;
      continue;
    }
    if (Date.now() >= deadline) {
      throw new TransientError(`${name} is busy: another process holds its lock`, { object: objects.urlOf(key), holder: describe(sighting.holder) });
    }
    if (!logged) logger?.info(`waiting for the ${name} lock`, { lock: objects.urlOf(key), holder: describe(sighting.holder) });
    logged = true;
    await sleep(waitMs);
    waitMs = Math.min(waitMs * 2, 1000, Math.max(leaseMs / 5, 50));
  }
}

/** The holder, and a count of renewals: each renewal must change the ETag (S3's is the MD5 of the body). */
function leaseText(me: Holder, renewals: number): string {
  return `${JSON.stringify({ ...me, renewals })}\n`;
}

interface Guarded {
  objects: ConditionalObjects;
  key: string;
  me: Holder;
  leaseMs: number;
  name: string;
  logger: Logger | undefined;
}

function renewed({ objects, key, me, leaseMs, name, logger }: Guarded, firstEtag: string): DirectoryLock {
  let etag: string | undefined = firstEtag;
  let renewals = 0;
  let stopped = false;
  const renewMs = Math.max(Math.floor(leaseMs / 5), 10);
  const renew = async (): Promise<void> => {
    if (stopped || etag === undefined) return;
    try {
      etag = await objects.putIf(key, leaseText(me, (renewals += 1)), etag);
      if (etag === undefined) logger?.error(`the ${name} lock was taken over while this process held it`, { lock: objects.urlOf(key) });
    } catch (error) {
      // A renewal lost to the network is retried at the next beat; a lease lapsing meanwhile shows as a failed condition then.
      logger?.warn(`could not renew the ${name} lock`, { lock: objects.urlOf(key), error: error instanceof Error ? error.message : String(error) });
    }
  };
  let beat: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    beat = beat.then(renew);
  }, renewMs);
  // A holder that ends without releasing must still exit: the lease then lapses.
  timer.unref();
  return {
    assertHeld: () => {
      if (etag === undefined) throw lockTakenOver(name, objects.urlOf(key));
    },
    release: async () => {
      stopped = true;
      clearInterval(timer);
      await beat;
      if (etag !== undefined) await objects.deleteIf(key, etag);
    },
  };
}
