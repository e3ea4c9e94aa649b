/**
 * A zip archive on local disk, read with yauzl: opening it validates the central directory (a
 * truncated or corrupt download fails here), entry sizes are checked by yauzl, and each entry's
 * CRC-32 is checked here as it streams (yauzl leaves that to its caller). All are DataErrors.
 */
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { crc32 } from 'node:zlib';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { DataError } from '../core/errors';

export interface ZipArchive {
  names: string[];
  open(name: string): Promise<Readable>;
  close(): Promise<void>;
}

export async function openZipArchive(file: string, object: string): Promise<ZipArchive> {
  let zip: ZipFile;
  try {
    zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false });
  } catch (error) {
    throw new DataError(`not a readable zip archive (truncated or corrupt?): ${(error as Error).message}`, { object });
  }
  const entries = new Map<string, Entry>();
  try {
    for await (const entry of zip.eachEntry()) {
      if (!entry.fileName.endsWith('/')) entries.set(entry.fileName, entry);
    }
  } catch (error) {
    zip.close();
    throw new DataError(`corrupt zip central directory: ${(error as Error).message}`, { object });
  }
  return {
    names: [...entries.keys()],
    open: (name) => openEntry(zip, entries, name, object),
    close: async () => {
      if (zip.isOpen) zip.close();
    },
  };
}

async function openEntry(zip: ZipFile, entries: Map<string, Entry>, name: string, object: string): Promise<Readable> {
  const entry = entries.get(name);
  if (!entry) throw new DataError(`no entry ${name} in the zip archive`, { object });
  let stream: Readable;
  try {
    stream = await zip.openReadStreamPromise(entry);
  } catch (error) {
    throw new DataError(`cannot read ${name} from the zip archive: ${(error as Error).message}`, { object, entry: name });
  }
  const checked = new Crc32Check(entry, object);
  stream.on('error', (error: Error) => {
    checked.destroy(new DataError(`corrupt entry ${name} in the zip archive: ${error.message}`, { object, entry: name }));
  });
  checked.on('close', () => stream.destroy());
  return stream.pipe(checked);
}

/** Passes bytes through unchanged and fails at the end when their CRC-32 is not the entry's. */
class Crc32Check extends Transform {
  private crc = 0;

  constructor(
    private readonly entry: Entry,
    private readonly object: string,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.crc = crc32(chunk, this.crc);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.crc >>> 0 === this.entry.crc32 >>> 0) return callback();
    const found = (this.crc >>> 0).toString(16).padStart(8, '0');
    const expected = (this.entry.crc32 >>> 0).toString(16).padStart(8, '0');
    callback(
      new DataError(`corrupt entry ${this.entry.fileName} in the zip archive: CRC-32 ${found}, expected ${expected}`, {
        object: this.object,
        entry: this.entry.fileName,
      }),
    );
  }
}
