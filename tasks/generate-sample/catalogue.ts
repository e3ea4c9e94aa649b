/**
 * The shared skeleton every file is drawn from: MovieLens ids and their links to TMDB/IMDb ids,
 * each movie's fame and quality (so ratings, popularity, votes and revenue agree), the duplicated
 * and corrupt rows, and the movies forced to carry each quirk. Typed arrays sized by the number of
 * movies only: nothing here grows with the number of ratings.
 */
import { AliasTable } from './distributions';
import { Random } from './random';
import { linkCount, type Scale } from './scales';

export const LinkKind = { movie: 0, emptyTmdbId: 1, absentTmdbId: 2, secondMapping: 3 } as const;

/** Quirks forced onto one movie each, so that even `tiny` holds every one of them. */
export const FORCED_QUIRKS = [
  'multilineOverview',
  'quotedOverview',
  'apostropheInLiteral',
  'noneInLiteral',
  'videoTrue',
  'adultTrue',
  'sciNotationPopularity',
  'floatIntegers',
  'emptyReleaseDate',
  'emptyRuntime',
  'emptyStatus',
  'nativeTitle',
  'astralTagline',
  'mixedQuotesInLiteral',
] as const;
export type Quirk = (typeof FORCED_QUIRKS)[number];

/** The dates the corrupt rows of the real file hold in their `id` column. */
export const CORRUPT_RELEASE_DATES = ['1997-08-20', '2012-09-29', '2014-01-01'] as const;

/** A second copy of a row, written a few rows after the original. */
export interface DuplicateCopy {
  movie: number;
  identical: boolean;
}

export interface Catalogue {
  seed: number;
  scale: Scale;
  /** Per link (MovieLens id order): ids, kind, and the movie it maps to (-1 for none). */
  movieLensId: Int32Array;
  imdbNumber: Int32Array;
  tmdbId: Int32Array;
  linkKind: Uint8Array;
  linkMovie: Int32Array;
  /** When MovieLens added each id (epoch seconds, increasing): nobody rates a movie before that. */
  linkAddedAt: Int32Array;
  /** Mean-rating offset of each MovieLens id (the movie's quality for mapped ids). */
  linkQuality: Float32Array;
  /** Zipf-like draw of a MovieLens id for a rating: the long tail of the real data. */
  ratingPopularity: AliasTable;
  /** Per movie (file order): its first link, its fame (a z-score) and quality. */
  movieLink: Int32Array;
  movieFame: Float32Array;
  movieQuality: Float32Array;
  /** Link index pairs that map to one TMDB id. */
  doublyMappedPairs: Array<[number, number]>;
  quirksOf: Map<number, Quirk>;
  /** Movie index → the release date its corrupt row holds in `id`. */
  corruptMovies: Map<number, string>;
  movieDuplicates: Map<number, DuplicateCopy[]>;
  creditsDuplicates: Map<number, DuplicateCopy[]>;
  keywordsDuplicates: Map<number, DuplicateCopy[]>;
}

const MAX_TMDB_ID = 469_000;
const MAX_IMDB_NUMBER = 7_200_000;

export function buildCatalogue(scale: Scale, seed: number): Catalogue {
  const random = Random.derive(seed, 'catalogue');
  const links = linkCount(scale);
  const linkKind = assignLinkKinds(random, scale, links);
  const movieLensId = movieLensIds(random, links);
  const imdbNumber = idsByAge(random, links, (r) => 1000 + Math.floor(MAX_IMDB_NUMBER * r.next() ** 1.5));
  const tmdbId = idsByAge(random, links, (r) => 2 + Math.floor((MAX_TMDB_ID - 2) * r.next()));
  const { linkMovie, movieLink, doublyMappedPairs } = mapLinksToMovies(random, linkKind, tmdbId);
  const fame = linkFame(random, links);
  const movieFame = new Float32Array(scale.movies);
  const movieQuality = new Float32Array(scale.movies);
  const linkQuality = new Float32Array(links);
  for (let l = 0; l < links; l++) linkQuality[l] = 0.12 * (fame[l] ?? 0) + 0.42 * random.normal();
  for (let m = 0; m < scale.movies; m++) {
    const l = movieLink[m] as number;
    movieFame[m] = fame[l] ?? 0;
    movieQuality[m] = linkQuality[l] ?? 0;
  }
  for (const [first, second] of doublyMappedPairs) linkQuality[second] = linkQuality[first] ?? 0;
  const special = random.shuffle(Array.from({ length: scale.movies }, (_, m) => m));
  const corruptMovies = new Map(CORRUPT_RELEASE_DATES.slice(0, scale.corruptMovies).map((date, i) => [special[i] as number, date]));
  const quirksOf = new Map(FORCED_QUIRKS.map((quirk, i) => [special[scale.corruptMovies + i] as number, quirk]));
  const notCorrupt = (m: number) => !corruptMovies.has(m);
  return {
    seed,
    scale,
    movieLensId,
    imdbNumber,
    tmdbId,
    linkKind,
    linkMovie,
    linkAddedAt: addedAt(links),
    linkQuality,
    ratingPopularity: new AliasTable(ratingWeights(fame, linkKind)),
    movieLink,
    movieFame,
    movieQuality,
    doublyMappedPairs,
    quirksOf,
    corruptMovies,
    movieDuplicates: duplicateSchedule(random, scale.movies, scale.duplicateRows, scale.duplicatedIds, scale.identicalDuplicatedIds, notCorrupt),
    creditsDuplicates: duplicateSchedule(random, scale.movies, scale.creditsDuplicateRows, scale.creditsDuplicateRows, scale.creditsDuplicateRows),
    keywordsDuplicates: duplicateSchedule(random, scale.movies, scale.keywordsDuplicateRows, scale.keywordsDuplicateRows, scale.keywordsDuplicateRows),
  };
}

/** Which MovieLens ids are unmapped, absent from the metadata, or a second mapping of a movie. */
function assignLinkKinds(random: Random, scale: Scale, links: number): Uint8Array {
  const kind = new Uint8Array(links);
  // The first MovieLens id stays a plain movie: a second mapping needs an earlier first one.
  const positions = random.distinct(links - 1, scale.emptyTmdbIds + scale.absentTmdbIds + scale.doublyMappedTmdbIds);
  positions.forEach((position, i) => {
    kind[position + 1] =
      i < scale.emptyTmdbIds
        ? LinkKind.emptyTmdbId
        : i < scale.emptyTmdbIds + scale.absentTmdbIds
          ? LinkKind.absentTmdbId
          : LinkKind.secondMapping;
  });
  return kind;
}

/** Increasing MovieLens ids, dense at first and sparser later, as in the real links.csv. */
function movieLensIds(random: Random, links: number): Int32Array {
  const ids = new Int32Array(links);
  let id = 0;
  for (let l = 0; l < links; l++) {
    const progress = l / links;
    id += 1 + (random.chance(0.25 + 0.6 * progress) ? Math.floor(random.next() * (1 + 8 * progress)) : 0);
    ids[l] = id;
  }
  return ids;
}

/** Distinct ids, older (lower) ones mostly going to lower MovieLens ids, with noise. */
function idsByAge(random: Random, links: number, draw: (random: Random) => number): Int32Array {
  const unique = new Set<number>();
  while (unique.size < links) unique.add(draw(random));
  const sortedIds = Int32Array.from(unique).sort();
  const keys = Array.from({ length: links }, (_, l) => ({ l, key: l / links + 0.25 * random.normal() }));
  keys.sort((a, b) => a.key - b.key);
  const ids = new Int32Array(links);
  keys.forEach(({ l }, rank) => (ids[l] = sortedIds[rank] as number));
  return ids;
}

/** Movies in MovieLens id order; a second mapping borrows an earlier movie's TMDB and IMDb ids. */
function mapLinksToMovies(random: Random, kind: Uint8Array, tmdbId: Int32Array) {
  const linkMovie = new Int32Array(kind.length).fill(-1);
  const movieLinks: number[] = [];
  const doublyMappedPairs: Array<[number, number]> = [];
  const taken = new Set<number>();
  for (let l = 0; l < kind.length; l++) {
    if (kind[l] === LinkKind.movie) {
      linkMovie[l] = movieLinks.length;
      movieLinks.push(l);
    } else if (kind[l] === LinkKind.secondMapping) {
      let movie = Math.floor(random.next() * movieLinks.length);
      while (taken.has(movie)) movie = Math.floor(random.next() * movieLinks.length);
      taken.add(movie);
      const first = movieLinks[movie] as number;
      linkMovie[l] = movie;
      // MovieLens lists some films twice (under two IMDb ids): both point to one TMDB id.
      tmdbId[l] = tmdbId[first] as number;
      doublyMappedPairs.push([first, l]);
    } else if (kind[l] === LinkKind.emptyTmdbId) {
      tmdbId[l] = 0;
    }
  }
  return { linkMovie, movieLink: Int32Array.from(movieLinks), doublyMappedPairs };
}

/**
 * MovieLens grew over time: its first ids date from 1995–2000, most were added after 2009. The
 * late additions can only be rated by recent users, which gives the real long tail of movies
 * rated a handful of times.
 */
const ADDED_KNOTS: ReadonlyArray<[fraction: number, epochSeconds: number]> = [
  [0, Date.UTC(1995, 0, 9) / 1000],
  [0.08, Date.UTC(2000, 0, 1) / 1000],
  [0.25, Date.UTC(2009, 0, 1) / 1000],
  [0.7, Date.UTC(2015, 5, 1) / 1000],
  [1, Date.UTC(2017, 6, 31) / 1000],
];

function addedAt(links: number): Int32Array {
  const added = new Int32Array(links);
  for (let l = 0; l < links; l++) {
    const fraction = l / links;
    const knot = ADDED_KNOTS.findIndex(([at]) => at > fraction);
    const [x0, t0] = ADDED_KNOTS[knot - 1] as [number, number];
    const [x1, t1] = ADDED_KNOTS[knot] as [number, number];
    added[l] = Math.floor(t0 + ((fraction - x0) / (x1 - x0)) * (t1 - t0));
  }
  return added;
}

/** A fame z-score per MovieLens id: early ids (the classics MovieLens started with) are better known. */
function linkFame(random: Random, links: number): Float32Array {
  const fame = new Float32Array(links);
  for (let l = 0; l < links; l++) fame[l] = random.normal() + 1.4 * (1 - l / links) - 0.7;
  return fame;
}

/**
 * Zipf–Mandelbrot weights by fame rank, 1/(rank + q)^s, plus a small uniform floor: a few movies
 * rated by a third of the users, a long tail rated a handful of times.
 */
function ratingWeights(fame: Float32Array, kind: Uint8Array): Float64Array {
  const links = fame.length;
  const order = Array.from({ length: links }, (_, l) => l).sort((a, b) => (fame[b] ?? 0) - (fame[a] ?? 0) || a - b);
  const weights = new Float64Array(links);
  let total = 0;
  order.forEach((l, rank) => {
    const obscurity = kind[l] === LinkKind.movie ? 1 : kind[l] === LinkKind.secondMapping ? 0.1 : 0.3;
    weights[l] = obscurity / (rank + 1 + ZIPF_OFFSET) ** ZIPF_EXPONENT;
    total += weights[l] ?? 0;
  });
  const floor = (UNIFORM_SHARE * total) / links;
  for (let l = 0; l < links; l++) weights[l] = (weights[l] ?? 0) + floor;
  return weights;
}

const ZIPF_EXPONENT = 1.15;
const ZIPF_OFFSET = 50;
const UNIFORM_SHARE = 0.01;

/**
 * Where extra copies of rows go: `rows` copies of `ids` distinct movies (the first id gets the
 * surplus copies), each written a few rows after its original.
 */
function duplicateSchedule(
  random: Random,
  movies: number,
  rows: number,
  ids: number,
  identicalIds: number,
  eligible: (movie: number) => boolean = () => true,
): Map<number, DuplicateCopy[]> {
  const schedule = new Map<number, DuplicateCopy[]>();
  const chosen: number[] = [];
  while (chosen.length < Math.min(ids, movies)) {
    const movie = Math.floor(random.next() * movies);
    if (eligible(movie) && !chosen.includes(movie)) chosen.push(movie);
  }
  for (let copy = 0; copy < rows && chosen.length > 0; copy++) {
    const index = copy < chosen.length ? copy : 0;
    const movie = chosen[index] as number;
    const after = Math.min(movies - 1, movie + Math.floor(random.next() * 40));
    const copies = schedule.get(after) ?? [];
    copies.push({ movie, identical: index < identicalIds });
    schedule.set(after, copies);
  }
  return schedule;
}
