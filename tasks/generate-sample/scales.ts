/**
 * The three sizes of the sample. `full` reproduces the real dataset's counts (45,466 metadata
 * records of which 30 are extra copies of a movie and 3 are corrupt halves; 45,843 MovieLens ids in
 * links, 219 without a TMDB id, 30 TMDB ids mapped twice, 161 TMDB ids absent from the metadata).
 * `small` is the size of ratings_small.csv / links_small.csv; `tiny` is for unit tests.
 */
export type ScaleName = 'tiny' | 'small' | 'full';
export const SCALE_NAMES: readonly ScaleName[] = ['tiny', 'small', 'full'];

export interface Scale {
  name: ScaleName;
  /** Distinct TMDB movies in movies_metadata.csv (the corrupt movies included). */
  movies: number;
  /** Extra copies of movie rows; one id gets two copies when rows exceed ids. */
  duplicateRows: number;
  duplicatedIds: number;
  /** How many duplicated ids repeat an identical row; the others differ (popularity, votes). */
  identicalDuplicatedIds: number;
  /** Movies written as a stub row plus a shifted row whose `id` holds a date (0 or 3). */
  corruptMovies: number;
  /** MovieLens ids whose tmdbId is empty. */
  emptyTmdbIds: number;
  /** TMDB ids mapped from two MovieLens ids. */
  doublyMappedTmdbIds: number;
  /** MovieLens ids mapped to a TMDB id that movies_metadata does not hold. */
  absentTmdbIds: number;
  users: number;
  ratings: number;
  creditsDuplicateRows: number;
  keywordsDuplicateRows: number;
  /** Months whose CPI value is the FRED missing marker `.`. */
  cpiMissingValues: number;
  /** Size of the pool of people credits draw from. */
  people: number;
}

export const SCALES: Record<ScaleName, Scale> = {
  tiny: {
    name: 'tiny',
    movies: 50,
    duplicateRows: 2,
    duplicatedIds: 2,
    identicalDuplicatedIds: 1,
    corruptMovies: 0,
    emptyTmdbIds: 2,
    doublyMappedTmdbIds: 2,
    absentTmdbIds: 2,
    users: 20,
    ratings: 500,
    creditsDuplicateRows: 1,
    keywordsDuplicateRows: 1,
    cpiMissingValues: 0,
    people: 400,
  },
  small: {
    name: 'small',
    movies: 9084,
    duplicateRows: 5,
    duplicatedIds: 4,
    identicalDuplicatedIds: 2,
    corruptMovies: 0,
    emptyTmdbIds: 13,
    doublyMappedTmdbIds: 4,
    absentTmdbIds: 24,
    users: 671,
    ratings: 100004,
    creditsDuplicateRows: 9,
    keywordsDuplicateRows: 200,
    cpiMissingValues: 0,
    people: 60000,
  },
  full: {
    name: 'full',
    movies: 45433,
    duplicateRows: 30,
    duplicatedIds: 29,
    identicalDuplicatedIds: 16,
    corruptMovies: 3,
    emptyTmdbIds: 219,
    doublyMappedTmdbIds: 30,
    absentTmdbIds: 161,
    users: 270896,
    ratings: 26024289,
    creditsDuplicateRows: 44,
    keywordsDuplicateRows: 987,
    cpiMissingValues: 2,
    people: 300000,
  },
};

/** MovieLens ids in links.csv: every movie, plus the unmapped, the second mappings and the absent. */
export function linkCount(scale: Scale): number {
  return scale.movies + scale.emptyTmdbIds + scale.doublyMappedTmdbIds + scale.absentTmdbIds;
}
