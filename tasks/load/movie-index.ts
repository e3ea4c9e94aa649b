/**
 * How the ratings load finds a rating's movie: MovieLens id → a dense movie number (0 to n-1) →
 * TMDB id. Array lookups instead of hash lookups, 26M times; two MovieLens ids that share a TMDB id
 * share a number, which is what the duplicate rule keys on.
 */

/** MovieLens ids up to this are looked up in an array (64 MiB at most); larger ones in a Map. */
const MAX_ARRAY_ID = 2 ** 24;

export class MovieIndex {
  /** How many distinct TMDB movies: dense numbers run from 0 to size - 1. */
  readonly size: number;
  private readonly byArray: Int32Array | undefined;
  private readonly byMap: Map<number, number> | undefined;
  private readonly tmdbIds: Int32Array;

  /** `movieOf`: MovieLens id → TMDB id of a loaded movie. */
  constructor(movieOf: ReadonlyMap<number, number>) {
    const denseOfTmdb = new Map<number, number>();
    for (const tmdb of movieOf.values()) if (!denseOfTmdb.has(tmdb)) denseOfTmdb.set(tmdb, denseOfTmdb.size);
    this.size = denseOfTmdb.size;
    this.tmdbIds = Int32Array.from(denseOfTmdb.keys());
    let maxId = -1;
    for (const movielens of movieOf.keys()) maxId = Math.max(maxId, movielens);
    if (maxId <= MAX_ARRAY_ID) {
      this.byArray = new Int32Array(maxId + 1).fill(-1);
      for (const [movielens, tmdb] of movieOf) this.byArray[movielens] = denseOfTmdb.get(tmdb) as number;
    } else {
      this.byMap = new Map([...movieOf].map(([movielens, tmdb]) => [movielens, denseOfTmdb.get(tmdb) as number]));
    }
  }

  /** The movie's dense number, or -1 when the MovieLens id maps to no loaded movie. */
  dense(movielensId: number): number {
    if (this.byArray) return movielensId < this.byArray.length ? (this.byArray[movielensId] as number) : -1;
    return this.byMap?.get(movielensId) ?? -1;
  }

  tmdb(dense: number): number {
    return this.tmdbIds[dense] as number;
  }
}
