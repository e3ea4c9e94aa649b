/**
 * Downloads over HTTP(S) with Node's global fetch, streamed to a local file (never held in memory).
 *
 * - 429, 408, 5xx, network errors and bodies cut short are retried with exponential backoff and
 *   jitter, honouring `Retry-After` (seconds or an HTTP date) up to a cap; every attempt starts
 *   again from the first URL, because signed redirect targets expire.
 * - fetch follows redirects and keeps credentials to the origin they were meant for: a 302 from an
 *   API to a signed storage URL on another host is fetched without `Authorization`.
 * - 401/403 and 404 are configuration errors (exit 2); giving up after the last attempt is a
 *   TransientError (exit 75) so the scheduler may retry later.
 */
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Options } from 'yargs';
import { checkNumber } from './config';
import { MovalyticsError, TransientError, UsageError } from './errors';
import { ByteMeter } from './byte-meter';
import type { Logger } from './log';
import { displayUrl } from './display-url';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** Delay before the second attempt; doubles for each later one. */
  backoffMs: number;
  /** No wait is longer than this, whatever the backoff or the server's Retry-After says. */
  maxWaitMs: number;
}

export interface HttpConfig {
  retry: RetryPolicy;
  /** Longest wait for a response's headers (the body may then take as long as it streams). */
  timeoutMs: number;
}

/** Flags of every command that downloads; each also reads `MOVALYTICS_HTTP_*`. */
export const httpOptions = {
  'http-attempts': {
    type: 'number',
    default: 5,
    describe: 'Attempts per download (429, 5xx, network errors and cut-short bodies are retried)',
  },
  'http-backoff-ms': {
    type: 'number',
    default: 1000,
    describe: 'Wait before the first retry; doubles with each retry, with jitter',
  },
  'http-max-wait-ms': {
    type: 'number',
    default: 60_000,
    describe: 'Longest wait between attempts; also caps a server Retry-After',
  },
  'http-timeout-ms': {
    type: 'number',
    default: 60_000,
    describe: 'Longest wait for a server to start answering',
  },
} satisfies Record<string, Options>;

export interface HttpArgs {
  'http-attempts': number;
  'http-backoff-ms': number;
  'http-max-wait-ms': number;
  'http-timeout-ms': number;
}

export function readHttpConfig(args: HttpArgs): HttpConfig {
  return {
    retry: {
      attempts: checkNumber('http-attempts', args['http-attempts'], 1, 100),
      backoffMs: checkNumber('http-backoff-ms', args['http-backoff-ms'], 0),
      maxWaitMs: checkNumber('http-max-wait-ms', args['http-max-wait-ms'], 0),
    },
    timeoutMs: checkNumber('http-timeout-ms', args['http-timeout-ms'], 1),
  };
}

export interface BasicAuth {
  username: string;
  password: string;
  /** The error message when the server refuses these credentials (never include the password). */
  refused: (status: number) => string;
}

export interface DownloadRequest {
  url: string;
  /** What is fetched, for messages: "Kaggle dataset owner/name" or a display URL. Never secret. */
  what: string;
  /** Sent only to the origin of `url`, never to a host it redirects to. */
  auth?: BasicAuth;
}

export interface Download {
  bytes: number;
  sha256: string;
  /** Where the bytes finally came from, with signature-like query values masked. */
  finalUrl: string;
  attempts: number;
}

const USER_AGENT = 'movalytics/0.1 (+https://github.com/movalytics)';

/** Streams `request` into `file` (overwritten on every attempt); returns its size and sha256. */
export async function downloadToFile(
  request: DownloadRequest,
  file: string,
  config: HttpConfig,
  logger: Logger,
): Promise<Download> {
  const { attempts } = config.retry;
  let lastFailure: RetryableFailure | undefined;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const download = await attemptDownload(request, file, config.timeoutMs, logger);
      return { ...download, attempts: attempt };
    } catch (error) {
      if (!(error instanceof RetryableFailure)) throw error;
      lastFailure = error;
      if (attempt === attempts) break;
      const waitMs = retryDelayMs(attempt, error.retryAfter, config.retry);
      logger.warn(`${request.what}: ${error.message}; retrying in ${waitMs} ms`, {
        attempt,
        of: attempts,
        url: displayUrl(error.url),
      });
      await sleep(waitMs);
    }
  }
  throw new TransientError(
    `gave up on ${request.what} after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${lastFailure?.message ?? 'no attempt made'}`,
    { object: displayUrl(request.url), attempts },
    { cause: lastFailure },
  );
}

/**
 * How long to wait before attempt `attempt + 1`: the server's Retry-After when given (seconds or
 * an HTTP date), else `backoffMs · 2^(attempt-1)` with jitter in [½, 1] of that; never over the cap.
 */
export function retryDelayMs(
  attempt: number,
  retryAfter: string | null,
  policy: RetryPolicy,
  now: number = Date.now(),
  random: () => number = Math.random,
): number {
  const requested = parseRetryAfter(retryAfter, now);
  if (requested !== undefined) return Math.min(requested, policy.maxWaitMs);
  const exponential = Math.min(policy.backoffMs * 2 ** (attempt - 1), policy.maxWaitMs);
  return Math.round(exponential * (0.5 + random() / 2));
}

/** `Retry-After: 120` or `Retry-After: Wed, 21 Oct 2015 07:28:00 GMT`, in milliseconds from now. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(date - now, 0);
}

/** A failure that another attempt may cure: throttling, a server error, a network fault. */
class RetryableFailure extends Error {
  constructor(
    message: string,
    readonly url: string,
    readonly retryAfter: string | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

async function attemptDownload(
  request: DownloadRequest,
  file: string,
  timeoutMs: number,
  logger: Logger,
): Promise<Omit<Download, 'attempts'>> {
  const { response, url } = await fetchFinalResponse(request, timeoutMs);
  const body = response.body;
  if (body === null) throw new RetryableFailure('response has no body', url);
  const meter = new DownloadMeter(request.what, logger, expectedLength(response));
  try {
    await pipeline(Readable.fromWeb(body as NodeReadableStream<Uint8Array>), meter, createWriteStream(file));
  } catch (error) {
    // A full disk or a permission problem is not the network's fault: another attempt cannot help.
    if (error instanceof MovalyticsError || isLocalFileError(error)) throw error;
    throw new RetryableFailure(`body cut short after ${meter.bytes} bytes (${reasonOf(error)})`, url, null, { cause: error });
  }
  meter.check(url);
  return { bytes: meter.bytes, sha256: meter.sha256(), finalUrl: displayUrl(url) };
}

/**
 * GET `request.url`; fetch follows the redirects, and drops `Authorization` when one leaves the
 * origin (the Fetch standard), so a signed storage URL on another host never sees the credentials.
 * Returns the first non-redirect 2xx response and the URL it came from.
 */
async function fetchFinalResponse(request: DownloadRequest, timeoutMs: number): Promise<{ response: Response; url: string }> {
  const origin = parseHttpUrl(request.url, request.what).origin;
  const response = await fetchOnce(request.url, request.auth, timeoutMs);
  const url = response.url || request.url;
  if (response.status >= 200 && response.status < 300) return { response, url };
  await response.body?.cancel().catch(() => undefined);
  throw failureFor(response, url, request, new URL(url).origin === origin);
}

async function fetchOnce(url: string, auth: BasicAuth | undefined, timeoutMs: number): Promise<Response> {
  const headers: Record<string, string> = { 'user-agent': USER_AGENT };
  if (auth) headers.authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
  // The timer covers the wait for headers only; once the body streams, undici's idle timeout applies.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no response within ${timeoutMs} ms`)), timeoutMs);
  try {
    return await fetch(url, { headers, redirect: 'follow', signal: controller.signal });
  } catch (error) {
    throw new RetryableFailure(`request failed (${reasonOf(error)})`, url, null, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}

function failureFor(response: Response, url: string, request: DownloadRequest, sentAuth: boolean): Error {
  const { status } = response;
  const context = { object: displayUrl(url), status };
  const statusText = `HTTP ${status}${response.statusText ? ` ${response.statusText}` : ''}`;
  if (status === 408 || status === 429 || status >= 500) {
    return new RetryableFailure(statusText, url, response.headers.get('retry-after'));
  }
  if ((status === 401 || status === 403) && sentAuth && request.auth) {
    return new UsageError(request.auth.refused(status), context);
  }
  if (status === 401 || status === 403) {
    return new UsageError(`access to ${request.what} refused (${statusText} from ${new URL(url).host})`, context);
  }
  if (status === 404 || status === 410) {
    return new UsageError(`${request.what} not found (${statusText} from ${new URL(url).host})`, context);
  }
  return new UsageError(`${request.what}: unexpected ${statusText} from ${new URL(url).host}`, context);
}

function parseHttpUrl(value: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${what}: invalid URL "${displayUrl(value)}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`${what}: only http(s) URLs can be downloaded, got "${url.protocol}"`);
  }
  if (url.username || url.password) {
    throw new UsageError(`${what}: credentials in the URL are not supported`, { object: displayUrl(value) });
  }
  return url;
}

/** Content-Length when it describes the bytes we will see (not a compressed transfer length). */
function expectedLength(response: Response): number | undefined {
  const encoding = response.headers.get('content-encoding');
  if (encoding && encoding !== 'identity') return undefined;
  const length = response.headers.get('content-length');
  return length !== null && /^\d+$/.test(length) ? Number(length) : undefined;
}

function isLocalFileError(error: unknown): boolean {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).path === 'string';
}

function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}

/** Counts and hashes the body as it arrives, and knows the length the server announced. */
class DownloadMeter extends ByteMeter {
  constructor(
    what: string,
    logger: Logger,
    private readonly expected: number | undefined,
  ) {
    super(`${what}: downloading`, logger);
  }

  /** A body shorter or longer than its Content-Length is a broken transfer, worth another attempt. */
  check(url: string): void {
    if (this.expected !== undefined && this.bytes !== this.expected) {
      throw new RetryableFailure(`body cut short: ${this.bytes} of ${this.expected} bytes`, url);
    }
  }
}
