/**
 * A source of dataset files, whatever it is underneath (a folder, a zip on disk, a downloaded zip):
 * the names it holds and a stream of each one's bytes, unchanged.
 */
import type { Readable } from 'node:stream';

/** Where the files came from, as recorded in the manifest. Deterministic: no times, no signatures. */
export type SourceOrigin =
  | { kind: 'kaggle'; dataset: string; url: string; archive: ArchiveDigest }
  | { kind: 'url'; url: string; archive: ArchiveDigest }
  | { kind: 'zip'; path: string; archive: { bytes: number } }
  | { kind: 'folder'; path: string };

export interface ArchiveDigest {
  bytes: number;
  sha256: string;
}

export interface SourceFiles {
  origin: SourceOrigin;
  /** What error messages name: the folder, the zip path or the URL. */
  object: string;
  /** File names (zip entry paths), directories excluded. */
  names: string[];
  /** The file's bytes; stream errors are DataErrors naming the file. */
  open(name: string): Promise<Readable>;
  /** Releases the source and removes any temporary file. Safe to call once, always. */
  close(): Promise<void>;
}
