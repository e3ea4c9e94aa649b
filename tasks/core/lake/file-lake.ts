/** A lake in a local folder (`file:///abs/path`): for laptops, tests and the one-command run. */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';
import { DataError, TransientError, UsageError } from '../errors';
import { lockDirectory, type DirectoryLock, type LockOptions } from '../warehouse/directory-lock';
import { checkKey, type ByteRange, type Lake, type LakeObject } from './lake';

/** `<object>.<12 hex>.partial`: an object being written (put() renames it into place when complete). */
const PARTIAL_SUFFIX = /\.[0-9a-f]{12}\.partial$/;

export class FileLake implements Lake {
  readonly url: string;
  private readonly root: string;

  constructor(url: string) {
    this.root = fileURLToPath(url);
    this.url = pathToFileURL(this.root).href.replace(/\/$/, '');
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    const file = this.pathOf(key);
    try {
      await stat(file);
    } catch {
      throw new DataError('lake object not found', { object: this.urlOf(key) });
    }
    if (range && range.end <= range.start) return Readable.from([]);
    // createReadStream's `end` is inclusive.
    return createReadStream(file, range ? { start: range.start, end: range.end - 1 } : {});
  }

  async put(key: string, body: Readable | Buffer | string): Promise<number> {
    const file = this.pathOf(key);
    await mkdir(path.dirname(file), { recursive: true }).catch((error: unknown) => {
      throw this.classify(error, key);
    });
    // Write beside the target, then rename: readers never see a half-written object.
    const temporary = `${file}.${randomBytes(6).toString('hex')}.partial`;
    try {
      const source = typeof body === 'string' || Buffer.isBuffer(body) ? Readable.from([Buffer.from(body)]) : body;
      await pipeline(source, createWriteStream(temporary));
      await rename(temporary, file);
    } catch (error) {
      await rm(temporary, { force: true });
      throw this.classify(error, key);
    }
    return (await stat(file)).size;
  }

  async list(prefix: string): Promise<LakeObject[]> {
    const found: LakeObject[] = [];
    await this.walk('', prefix, found);
    return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async head(key: string): Promise<LakeObject | undefined> {
    try {
      return await objectAt(key, this.pathOf(key));
    } catch {
      return undefined;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true }).catch((error: unknown) => {
      throw this.classify(error, key);
    });
  }

  /**
   * A folder the task may not write is configuration to fix (exit 2), named as such; a full disk
   * may be freed (exit 75). Anything else (a failing source stream) is the caller's own error.
   * (`fs` names the path that failed, which tells the lake's files from the source's.)
   */
  private classify(error: unknown, key: string): unknown {
    const { code, path: failedPath } = (error ?? {}) as NodeJS.ErrnoException;
    const object = this.urlOf(key);
    // A write to an open file names no path: a full disk is met there, and reading a source never meets it.
    if ((code === 'ENOSPC' || code === 'EDQUOT') && (failedPath === undefined || failedPath.startsWith(this.root))) {
      return new TransientError(`the lake's disk is full (${String(code)}): no room for the object`, { object }, { cause: error });
    }
    // Only the lake's own files: a source that cannot be read fails with its own error.
    if (typeof failedPath !== 'string' || !failedPath.startsWith(this.root)) return error;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      return new UsageError(`the lake is not writable: ${(error as Error).message}`, { object }, { cause: error });
    }
    return error;
  }

  urlOf(key: string): string {
    return `${this.url}/${checkKey(key)}`;
  }

  async lease(key: string, options: LockOptions): Promise<DirectoryLock> {
    const guarded = this.pathOf(key);
    await mkdir(path.dirname(guarded), { recursive: true });
    return lockDirectory(guarded, options);
  }

  /**
   * A live writer's `.partial` file grows as it writes, so one unchanged since `before` is a
   * killed writer's, unless the caller knows no writer can be live (a run's keys under its lease).
   */
  async removeUnfinished(isStale: (key: string) => boolean, before: Date): Promise<string[]> {
    const removed: string[] = [];
    await this.walkPartials('', async (partial) => {
      const key = partial.replace(PARTIAL_SUFFIX, '');
      if (!isStale(key)) return;
      const file = path.join(this.root, partial);
      const modified = await stat(file).then((info) => info.mtimeMs, () => undefined);
      if (modified === undefined || modified >= before.getTime()) return;
      await rm(file, { force: true });
      removed.push(partial);
    });
    return removed;
  }

  private async walkPartials(relative: string, visit: (partial: string) => Promise<void>): Promise<void> {
    const entries = await readdir(path.join(this.root, relative), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const key = `${relative}${entry.name}`;
      if (entry.isDirectory()) await this.walkPartials(`${key}/`, visit);
      else if (PARTIAL_SUFFIX.test(entry.name)) await visit(key);
    }
  }

  private pathOf(key: string): string {
    return path.join(this.root, ...checkKey(key).split('/'));
  }

  private async walk(relative: string, prefix: string, found: LakeObject[]): Promise<void> {
    // Descend only into folders that can hold keys with this prefix.
    if (!prefix.startsWith(relative) && !relative.startsWith(prefix)) return;
    let entries;
    try {
      entries = await readdir(path.join(this.root, relative), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const key = `${relative}${entry.name}`;
      if (entry.isDirectory()) await this.walk(`${key}/`, prefix, found);
      else if (entry.isFile() && key.startsWith(prefix) && !entry.name.endsWith('.partial')) {
        const object = await objectAt(key, path.join(this.root, key));
        if (object) found.push(object);
      }
    }
  }
}

/** The file at `file` as the lake's object `key`; undefined when it is not a file. */
async function objectAt(key: string, file: string): Promise<LakeObject | undefined> {
  const info = await stat(file, { bigint: true });
  return info.isFile() ? { key, size: Number(info.size), version: `${info.ino}:${info.mtimeNs}` } : undefined;
}
