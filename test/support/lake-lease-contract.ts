/**
 * What `Lake.lease` promises, on any lake that can keep it: the file lake (test/lake.test.ts) and
 * S3 with conditional writes (MinIO, test/services/reliability-minio.test.ts). s3rver ignores the
 * conditions, so there the lease is named unsupported instead.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ExitCode, TransientError } from '../../tasks/core/errors';
import { getText, type Lake } from '../../tasks/core/lake/lake';

/** What a holder killed mid-run leaves: the lease object, never renewed again. */
function abandonedLease(token: string): string {
  return `${JSON.stringify({ token, host: 'gone', pid: 1, since: '2026-01-01T00:00:00.000Z' })}\n`;
}

/** The `assertHeld` failure once it comes (the holder learns of a takeover at its next renewal). */
async function failureOnceLost(check: () => void): Promise<unknown> {
  for (let attempt = 0; attempt < 500; attempt += 1) {
    try {
      check();
    } catch (error) {
      return error;
    }
    await sleep(20);
  }
  return undefined;
}

export function lakeLeaseContract(open: () => Promise<Lake>): void {
  let lake: Lake;
  beforeAll(async () => {
    lake = await open();
  });

  it('one holder at a time: a renewed lease is kept, the waiter gives up with 75 naming the holder; released, it is free', async () => {
    const held = await lake.lease('runs/held', { timeoutMs: 0, leaseMs: 300, name: 'run id "held"' });
    // Five leases long: the holder's renewals keep it.
    await expect(lake.lease('runs/held', { timeoutMs: 1500, leaseMs: 300, name: 'run id "held"' })).rejects.toMatchObject({
      exitCode: ExitCode.transient,
      message: 'run id "held" is busy: another process holds its lock',
      context: { holder: expect.stringMatching(new RegExp(`^pid ${process.pid} on \\S+ since \\d{4}-`)) },
    });
    held.assertHeld();
    await held.release();
    expect(await lake.head('runs/held.lock')).toBeUndefined();
    await (await lake.lease('runs/held', { timeoutMs: 0 })).release();
  });

  it("a killed holder's lease is taken over once not renewed for a lease; the holder it was taken from stops with 75", async () => {
    await lake.put('runs/killed.lock', abandonedLease('killed-holder'));
    const taker = await lake.lease('runs/killed', { timeoutMs: 60_000, leaseMs: 200, name: 'run id "killed"' });
    expect(JSON.parse(await getText(lake, 'runs/killed.lock'))).toMatchObject({ pid: process.pid });
    // Now the taker is the one frozen past its lease: another process takes the lease from it.
    await lake.put('runs/killed.lock', abandonedLease('next-holder'));
    const failure = await failureOnceLost(() => taker.assertHeld());
    expect(failure).toBeInstanceOf(TransientError);
    expect((failure as Error).message).toMatch(/^the run id "killed" lock was taken over by another process/);
    await taker.release();
    // Its release leaves the new holder's lease alone.
    expect(JSON.parse(await getText(lake, 'runs/killed.lock'))).toMatchObject({ token: 'next-holder' });
  });
}
