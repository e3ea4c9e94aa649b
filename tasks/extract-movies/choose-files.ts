/**
 * Which source file becomes which raw object. The raw names are always the canonical ones; where
 * `ratings.csv`/`links.csv` are absent, `ratings_small.csv`/`links_small.csv` stand in for them.
 * Files are matched by base name, so a zip that keeps them in a sub-folder works too.
 */
import { DataError } from '../core/errors';

export interface MoviesFile {
  /** The raw object's name: `raw/movies/<run_id>/<canonical>`. */
  canonical: string;
  /** Source names in order of preference. */
  candidates: string[];
}

export const MOVIES_FILES: readonly MoviesFile[] = [
  { canonical: 'movies_metadata.csv', candidates: ['movies_metadata.csv'] },
  { canonical: 'ratings.csv', candidates: ['ratings.csv', 'ratings_small.csv'] },
  { canonical: 'links.csv', candidates: ['links.csv', 'links_small.csv'] },
  { canonical: 'credits.csv', candidates: ['credits.csv'] },
  { canonical: 'keywords.csv', candidates: ['keywords.csv'] },
];

export interface ChosenFile {
  canonical: string;
  /** The name in the source (a zip entry path, or a file name in the folder). */
  source: string;
}

export function chooseFiles(names: readonly string[], object: string): ChosenFile[] {
  const byBaseName = indexByBaseName(names, object);
  const chosen: ChosenFile[] = [];
  const missing: string[] = [];
  for (const file of MOVIES_FILES) {
    const found = file.candidates.map((candidate) => byBaseName.get(candidate)).find((name) => name !== undefined);
    if (found === undefined) missing.push(file.candidates.join(' (or ') + ')'.repeat(file.candidates.length - 1));
    else chosen.push({ canonical: file.canonical, source: found });
  }
  if (missing.length > 0) {
    throw new DataError(`missing required file${missing.length > 1 ? 's' : ''} ${missing.join(', ')} in the movies source`, {
      object,
    });
  }
  return chosen;
}

function indexByBaseName(names: readonly string[], object: string): Map<string, string> {
  const wanted = new Set(MOVIES_FILES.flatMap((file) => file.candidates));
  const index = new Map<string, string>();
  for (const name of names) {
    if (name.startsWith('__MACOSX/')) continue;
    const baseName = name.slice(name.lastIndexOf('/') + 1);
    if (!wanted.has(baseName)) continue;
    const previous = index.get(baseName);
    if (previous !== undefined) {
      throw new DataError(`ambiguous source: both ${previous} and ${name} are named ${baseName}`, { object });
    }
    index.set(baseName, name);
  }
  return index;
}
