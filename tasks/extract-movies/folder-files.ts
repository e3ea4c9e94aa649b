/** A local folder holding the Kaggle file names. */
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { UsageError } from '../core/errors';
import type { SourceFiles } from './source-files';

export async function openFolder(folder: string): Promise<SourceFiles> {
  let names: string[];
  try {
    const entries = await readdir(folder, { withFileTypes: true });
    names = entries.filter((entry) => entry.isFile() || entry.isSymbolicLink()).map((entry) => entry.name);
  } catch (error) {
    throw new UsageError(`cannot list the source folder: ${(error as Error).message}`, { object: folder });
  }
  return {
    origin: { kind: 'folder', path: folder },
    object: folder,
    names,
    open: async (name: string): Promise<Readable> => createReadStream(path.join(folder, name)),
    close: async () => undefined,
  };
}
