/** The retry arithmetic and URL masking of tasks/core/http.ts (downloads are tested by the extract suites). */
import { parseRetryAfter, retryDelayMs, type RetryPolicy } from '../tasks/core/http';

const policy: RetryPolicy = { attempts: 5, backoffMs: 1000, maxWaitMs: 30_000 };
const now = Date.parse('2025-01-01T00:00:00Z');

describe('retry delays', () => {
  it('honours Retry-After in seconds and as an HTTP date, capped', () => {
    expect(retryDelayMs(1, '7', policy, now)).toBe(7000);
    expect(retryDelayMs(1, 'Wed, 01 Jan 2025 00:00:12 GMT', policy, now)).toBe(12_000);
    expect(retryDelayMs(1, '3600', policy, now)).toBe(30_000);
    expect(retryDelayMs(1, 'Tue, 31 Dec 2024 23:59:00 GMT', policy, now)).toBe(0);
  });

  it('backs off exponentially with jitter between half and all of the step, capped', () => {
    expect(retryDelayMs(1, null, policy, now, () => 0)).toBe(500);
    expect(retryDelayMs(1, null, policy, now, () => 1)).toBe(1000);
    expect(retryDelayMs(3, null, policy, now, () => 1)).toBe(4000);
    expect(retryDelayMs(3, null, policy, now, () => 0.5)).toBe(3000);
    expect(retryDelayMs(10, null, policy, now, () => 1)).toBe(30_000);
  });

  it('ignores a Retry-After it cannot read', () => {
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(retryDelayMs(2, 'soon', policy, now, () => 1)).toBe(2000);
  });
});
