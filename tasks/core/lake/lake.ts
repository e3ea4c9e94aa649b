/**
 * The data lake: one small interface over an S3 bucket prefix or a local folder, addressed by URL
 * (`s3://bucket/prefix`, `file:///abs/path`). Keys are relative to the lake root and always use `/`.
 */
import type { Readable } from 'node:stream';
import type { DirectoryLock, LockOptions } from '../warehouse/directory-lock';

export interface LakeObject {
  key: string;
  size: number;
  /**
   * Changes whenever the object is written again, whatever its size: S3's ETag; a file's inode and
   * modification time (the file lake writes a new file and renames it into place). Steps that read
   * one object in parts (shards) compare it, so parts of two versions are never put together.
   */
  version: string;
}

/** Bytes `start` (inclusive) to `end` (exclusive) of an object. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface Lake {
  /** The URL this lake was opened from, e.g. `s3://bucket/prefix`. */
  readonly url: string;
  /**
   * Stream an object's bytes, or only those of `range` (a ranged GET on S3: how a shard reads its
   * share of a large object). Throws DataError when the key does not exist.
   */
  get(key: string, range?: ByteRange): Promise<Readable>;
  /** Write an object from a stream; the object appears whole or not at all. Returns bytes written. */
  put(key: string, body: Readable | Buffer | string): Promise<number>;
  /** Objects whose key starts with `prefix`, in key order, across all pages. */
  list(prefix: string): Promise<LakeObject[]>;
  /** Size of an object, or undefined when it does not exist. */
  head(key: string): Promise<LakeObject | undefined>;
  /** Delete an object; deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** The URL of one object, for logs and for warehouses that read the lake themselves. */
  urlOf(key: string): string;
  /**
   * A lease on `<key>.lock`, the embedded warehouse's kind (directory-lock.ts): one holder at a
   * time, renewed while held, taken over once not renewed for a lease. Throws TransientError
   * (exit 75) naming the holder when a live one keeps it past `timeoutMs`.
   */
  lease(key: string, options: LockOptions): Promise<DirectoryLock>;
  /**
   * Removes what writers killed mid-object left (a file lake's `.partial` files, S3's incomplete
   * multipart uploads) for keys `isStale` accepts, last written (S3: begun) before `before`.
   * Returns what went: the `.partial` files (as keys), or the keys of the aborted uploads.
   */
  removeUnfinished(isStale: (key: string) => boolean, before: Date): Promise<string[]>;
}

/** Keys are relative, `/`-separated, with no empty, `.` or `..` segments. */
export function checkKey(key: string): string {
  const segments = key.split('/');
  if (key.length === 0 || key.startsWith('/') || segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw new TypeError(`invalid lake key "${key}"`);
  }
  return key;
}

/** Read a whole (small) object as UTF-8 text: manifests and results, never data files. */
export async function getText(lake: Lake, key: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await lake.get(key)) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

export async function getJson<T>(lake: Lake, key: string): Promise<T> {
  return JSON.parse(await getText(lake, key)) as T;
}

export async function putJson(lake: Lake, key: string, value: unknown): Promise<number> {
  return lake.put(key, `${JSON.stringify(value, null, 2)}\n`);
}
