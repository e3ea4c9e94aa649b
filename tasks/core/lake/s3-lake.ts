/**
 * A lake in an S3 bucket (`s3://bucket/prefix`), or any S3-compatible server (MinIO, s3rver).
 * Uploads stream through lib-storage (multipart above 8 MiB); downloads stream; listings follow
 * every continuation token.
 */
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Readable, Transform } from 'node:stream';
import { DataError, TransientError, UsageError, type MovalyticsError } from '../errors';
import type { DirectoryLock, LockOptions } from '../warehouse/directory-lock';
import { checkKey, type ByteRange, type Lake, type LakeObject } from './lake';
import { leaseObject, type ConditionalObjects } from './s3-lease';

export interface S3LakeOptions {
  /** An S3-compatible endpoint (from AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL); path-style when set. */
  endpoint?: string;
  region?: string;
  /** Longest a request may go without a byte either way before it is abandoned and retried (default 60 s). */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 60_000;

export class S3Lake implements Lake, ConditionalObjects {
  readonly url: string;
  private readonly bucket: string;
  private readonly prefix: string;

  constructor(
    url: string,
    private readonly client: S3Client,
    /** Keys per ListObjectsV2 page: S3's maximum, unless a test wants to see several pages. */
    private readonly listPageSize = 1000,
    /** Longest wait for the next bytes of an object being read (see createS3Client for requests). */
    private readonly readTimeoutMs = DEFAULT_TIMEOUT_MS,
  ) {
    const parsed = new URL(url);
    this.bucket = parsed.hostname;
    this.prefix = parsed.pathname.replace(/^\/+|\/+$/g, '');
    this.url = `s3://${this.bucket}${this.prefix ? `/${this.prefix}` : ''}`;
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    if (range && range.end <= range.start) return Readable.from([]);
    // HTTP ranges are inclusive at both ends.
    const Range = range ? `bytes=${range.start}-${range.end - 1}` : undefined;
    const response = await this.call(key, () =>
      this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.keyOf(key), ...(Range ? { Range } : {}) })),
    );
    return this.readFailuresAreTransient(response.Body as Readable, key);
  }

  async put(key: string, body: Readable | Buffer | string): Promise<number> {
    let bytes = 0;
    // Count through a pipe (not a 'data' listener, which would switch the source to flowing mode
    // and defeat backpressure while a slow upload drains).
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    const source = typeof body === 'string' || Buffer.isBuffer(body) ? Readable.from([Buffer.from(body)]) : body;
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: this.keyOf(key), Body: source.pipe(counter) },
      partSize: 8 * 1024 * 1024,
      queueSize: 4,
      leavePartsOnError: false,
    });
    // A failing source (a corrupt zip entry, a broken download) is the caller's error, not the lake's.
    let sourceError: unknown;
    source.on('error', (error) => {
      sourceError = error;
      counter.destroy(error);
    });
    try {
      await upload.done();
    } catch (error) {
      throw sourceError ?? this.classify(error, key);
    }
    return bytes;
  }

  async list(prefix: string): Promise<LakeObject[]> {
    const found: LakeObject[] = [];
    let token: string | undefined;
    do {
      const page = await this.call(prefix, () =>
        this.client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: this.keyOfPrefix(prefix),
            ContinuationToken: token,
            MaxKeys: this.listPageSize,
          }),
        ),
      );
      for (const item of page.Contents ?? []) {
        if (item.Key !== undefined) found.push({ key: this.relative(item.Key), size: item.Size ?? 0, version: item.ETag ?? '' });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async head(key: string): Promise<LakeObject | undefined> {
    try {
      const response = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.keyOf(key) }));
      return { key, size: response.ContentLength ?? 0, version: response.ETag ?? '' };
    } catch (error) {
      if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404) return undefined;
      throw this.classify(error, key);
    }
  }

  async delete(key: string): Promise<void> {
    await this.call(key, () => this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.keyOf(key) })));
  }

  urlOf(key: string): string {
    return `s3://${this.bucket}/${this.keyOf(key)}`;
  }

  async lease(key: string, options: LockOptions): Promise<DirectoryLock> {
    return leaseObject(this, `${key}.lock`, options);
  }

  async putIf(key: string, text: string, etag: string | undefined): Promise<string | undefined> {
    const condition = etag === undefined ? { IfNoneMatch: '*' } : { IfMatch: etag };
    try {
      const written = await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.keyOf(key), Body: text, ...condition }));
      return written.ETag;
    } catch (error) {
      // 412: the condition failed; 409: another conditional write to the key was under way; If-Match on a deleted object.
      const status = error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
      if (status === 409 || status === 412 || (etag !== undefined && isMissingObject(error))) return undefined;
      throw this.classify(error, key);
    }
  }

  async read(key: string): Promise<{ text: string; etag: string } | undefined> {
    try {
      // The text and the ETag of one response: of one version of the object.
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.keyOf(key) }));
      const text = await object.Body?.transformToString('utf8');
      return object.ETag !== undefined && text !== undefined ? { text, etag: object.ETag } : undefined;
    } catch (error) {
      if (isMissingObject(error)) return undefined;
      throw this.classify(error, key);
    }
  }

  async deleteIf(key: string, etag: string): Promise<void> {
    if ((await this.read(key))?.etag === etag) await this.delete(key);
  }

  /**
   * Lists every incomplete upload of the bucket and filters here: MinIO lists only those of a key
   * given whole as the prefix. Few are ever under way at once, so the listing stays short.
   */
  async removeUnfinished(isStale: (key: string) => boolean, before: Date): Promise<string[]> {
    const removed: string[] = [];
    let markers: { KeyMarker?: string; UploadIdMarker?: string } = {};
    for (;;) {
      const page = await this.call('', () => this.client.send(new ListMultipartUploadsCommand({ Bucket: this.bucket, ...markers })));
      for (const upload of page.Uploads ?? []) {
        const key = upload.Key !== undefined && this.isOurs(upload.Key) ? this.relative(upload.Key) : undefined;
        if (key === undefined || !isStale(key) || upload.Initiated === undefined || upload.Initiated >= before) continue;
        await this.call(key, () => this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: upload.Key, UploadId: upload.UploadId })));
        removed.push(key);
      }
      if (!page.IsTruncated) return removed;
      markers = { KeyMarker: page.NextKeyMarker, UploadIdMarker: page.NextUploadIdMarker };
    }
  }

  /**
   * The SDK retries a request until its answer starts; a body that breaks off later (a reset, or
   * silence while we wait for bytes) surfaces as the stream's error here. That is a network fault
   * a later retry may cure (exit 75), named with the object and how far it got. Silence counts
   * only while the reader asks for data: time paused by a slow consumer is not the server's fault.
   */
  private readFailuresAreTransient(body: Readable, key: string): Readable {
    const timeoutMs = this.readTimeoutMs;
    let bytes = 0;
    let lastProgressAt = Date.now();
    const checked = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        lastProgressAt = Date.now();
        done(null, chunk);
      },
    });
    body.on('resume', () => (lastProgressAt = Date.now()));
    const watchdog = setInterval(() => {
      if (body.readableFlowing === true && Date.now() - lastProgressAt > timeoutMs) {
        body.destroy(new Error(`no data from the server for ${timeoutMs} ms`));
      }
    }, Math.max(Math.floor(timeoutMs / 4), 10));
    watchdog.unref();
    body.on('error', (error: Error) => {
      checked.destroy(
        new TransientError(`lake read broke off after ${bytes} bytes: ${error.message}`, { object: this.urlOf(key) }, { cause: error }),
      );
    });
    checked.on('close', () => {
      clearInterval(watchdog);
      // A consumer that stops early releases the connection too.
      body.destroy();
    });
    return body.pipe(checked);
  }

  private keyOf(key: string): string {
    return this.prefix ? `${this.prefix}/${checkKey(key)}` : checkKey(key);
  }

  private keyOfPrefix(prefix: string): string {
    return this.prefix ? `${this.prefix}/${prefix}` : prefix;
  }

  private isOurs(fullKey: string): boolean {
    return this.prefix === '' || fullKey.startsWith(`${this.prefix}/`);
  }

  private relative(fullKey: string): string {
    return this.prefix ? fullKey.slice(this.prefix.length + 1) : fullKey;
  }

  private async call<T>(key: string, operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw this.classify(error, key);
    }
  }

  /** SDK errors become the task's error classes; the SDK has already retried what it could. */
  private classify(error: unknown, key: string): MovalyticsError {
    const object = this.urlOf(key.length > 0 ? key : 'x').replace(/\/x$/, '/');
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof S3ServiceException) {
      const status = error.$metadata.httpStatusCode ?? 0;
      const context = { object, status, code: error.name };
      if (error.name === 'NoSuchKey' || (status === 404 && error.name !== 'NoSuchBucket')) {
        return new DataError('lake object not found', context, { cause: error });
      }
      if (error.name === 'NoSuchBucket') return new UsageError('lake bucket does not exist', context, { cause: error });
      if (status === 401 || status === 403) {
        return new UsageError(`lake access refused: ${message}`, context, { cause: error });
      }
      if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
        return new UsageError(`lake request rejected: ${message}`, context, { cause: error });
      }
    }
    return new TransientError(`lake request failed: ${message}`, { object }, { cause: error });
  }
}

/** A 404 for the object, not for the bucket: a missing bucket is configuration to fix. */
function isMissingObject(error: unknown): boolean {
  return error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404 && error.name !== 'NoSuchBucket';
}

/** An S3 client configured the standard AWS way, plus what S3-compatible servers need. */
export function createS3Client(options: S3LakeOptions): S3Client {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new S3Client({
    region: options.region ?? 'us-east-1',
    ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
    // Without these the SDK waits forever on a server that accepts a request and never answers:
    // a request (its body sent, the answer's headers awaited) taking longer is abandoned and
    // retried. Not an idle-socket timeout, which would also fire while a slow reader holds back a
    // download: S3Lake.get watches the bodies it reads itself.
    requestHandler: { connectionTimeout: Math.min(timeoutMs, 10_000), requestTimeout: timeoutMs, throwOnRequestTimeout: true },
    // The SDK's default flexible checksums wrap streamed bodies in aws-chunked framing, which some
    // S3-compatible servers store verbatim: send and check checksums only where S3 requires them.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 5,
  });
}
