/**
 * ratings.csv (`userId,movieId,rating,timestamp`), sorted by userId then movieId, CRLF line endings.
 * Each user (see users.ts) draws distinct MovieLens ids from a Zipf-like popularity among the ids
 * added before its active period ends, so a user never rates a movie twice and late additions form
 * a long tail. Ratings are 0.5–5 by 0.5 around a mean of ~3.5 (whole stars before MovieLens offered
 * half stars in 2003, and for some users after); timestamps are epoch seconds within the user's
 * active period and after the movie was added.
 *
 * The loop runs 26 million times at full scale: it writes bytes into a reused buffer and allocates
 * nothing per rating; memory is a few arrays the size of the movie and user counts.
 */
import { LinkKind, type Catalogue } from './catalogue';
import { ByteChunks, type SampleFile } from './csv-output';
import { clamp, NormalTable } from './distributions';
import { Random } from './random';
import { planUsers } from './users';

/** The loop below writes these line endings byte by byte. */
export const RATINGS_FILE: SampleFile = { name: 'ratings.csv', lineEnding: '\r\n', finalNewline: true };

export interface RatingsCounts {
  records: number;
  users: number;
  ratedMovieLensIds: number;
  /** Ratings of MovieLens ids with an empty tmdbId or a TMDB id absent from the metadata. */
  ratingsWithoutMovie: number;
  /** (user, doubly-mapped TMDB id) pairs where the user rated both MovieLens ids. */
  usersRatingBothIdsOfAMovie: number;
  meanRating: number;
  minPerUser: number;
  maxPerUser: number;
}

/** MovieLens offered half stars from February 2003. */
const HALF_STARS_FROM = Date.UTC(2003, 1, 18) / 1000;
const CR = 13;
const LF = 10;
const COMMA = 44;
const DOT = 46;

export function* ratingChunks(catalogue: Catalogue, counts: RatingsCounts, onRows: (rows: number) => void = () => {}): Generator<Buffer> {
  const random = Random.derive(catalogue.seed, 'ratings');
  const normal = new NormalTable();
  const plan = planUsers(random, catalogue);
  const links = catalogue.movieLensId.length;
  const seen = new Int32Array(links);
  const rated = new Uint8Array(links);
  const picks = new Int32Array(links);
  const pairs = catalogue.doublyMappedPairs;
  const out = new ByteChunks();
  let halfStars = 0;
  out.ascii('userId,movieId,rating,timestamp\r\n');
  for (let user = 0; user < catalogue.scale.users; user++) {
    const mark = user + 1;
    const wanted = plan.ratings[user] as number;
    // The first user rates both MovieLens ids of a doubly-mapped movie, so every scale holds the case.
    const forced = user === 0 && pairs[0] && wanted >= 2 ? pairs[0] : [];
    const chosen = drawDistinct(catalogue, random, seen, picks, mark, wanted, plan.available[user] as number, forced);
    picks.subarray(0, chosen).sort();
    for (const [first, second] of pairs) if (seen[first] === mark && seen[second] === mark) counts.usersRatingBothIdsOfAMovie++;
    const bias = 0.45 * normal.draw(random);
    const start = plan.start[user] as number;
    const end = plan.end[user] as number;
    const alwaysWholeStars = random.chance(0.15);
    for (let j = 0; j < chosen; j++) {
      const link = picks[j] as number;
      rated[link] = 1;
      const kind = catalogue.linkKind[link];
      if (kind === LinkKind.emptyTmdbId || kind === LinkKind.absentTmdbId) counts.ratingsWithoutMovie++;
      const from = Math.max(start, catalogue.linkAddedAt[link] as number);
      const timestamp = from + Math.floor(random.next() * (end - from + 1));
      const score = 3.35 + bias + (catalogue.linkQuality[link] as number) + 0.9 * normal.draw(random);
      const halves =
        alwaysWholeStars || timestamp < HALF_STARS_FROM ? 2 * clamp(Math.round(score), 1, 5) : clamp(Math.round(score * 2), 1, 10);
      halfStars += halves;
      out.uint(mark);
      out.byte(COMMA);
      out.uint(catalogue.movieLensId[link] as number);
      out.byte(COMMA);
      out.byte(48 + (halves >> 1));
      out.byte(DOT);
      out.byte(halves & 1 ? 53 : 48);
      out.byte(COMMA);
      out.uint(timestamp);
      out.byte(CR);
      out.byte(LF);
      if (out.nearlyFull) yield out.take();
    }
    counts.records += chosen;
    onRows(chosen);
  }
  counts.users = catalogue.scale.users;
  counts.ratedMovieLensIds = rated.reduce((sum, flag) => sum + flag, 0);
  counts.meanRating = counts.records > 0 ? Math.round((halfStars / 2 / counts.records) * 1e6) / 1e6 : 0;
  counts.minPerUser = plan.ratings.reduce((min, n) => Math.min(min, n), Number.POSITIVE_INFINITY);
  counts.maxPerUser = plan.ratings.reduce((max, n) => Math.max(max, n), 0);
  yield out.take();
}

export function emptyRatingsCounts(): RatingsCounts {
  return { records: 0, users: 0, ratedMovieLensIds: 0, ratingsWithoutMovie: 0, usersRatingBothIdsOfAMovie: 0, meanRating: 0, minPerUser: 0, maxPerUser: 0 };
}

/**
 * `wanted` distinct links among [0, available) into picks[0..): popularity draws with rejection
 * of repeats and of movies added too late, then (only if the draws keep missing) a scan for the rest.
 */
function drawDistinct(
  catalogue: Catalogue,
  random: Random,
  seen: Int32Array,
  picks: Int32Array,
  mark: number,
  wanted: number,
  available: number,
  forced: readonly number[],
): number {
  let chosen = 0;
  for (const link of forced) {
    seen[link] = mark;
    picks[chosen++] = link;
  }
  const popularity = catalogue.ratingPopularity;
  for (let attempts = 50 * wanted + 1000; chosen < wanted && attempts > 0; attempts--) {
    const link = popularity.drawFrom(random.next());
    if (link < available && seen[link] !== mark) {
      seen[link] = mark;
      picks[chosen++] = link;
    }
  }
  for (let link = Math.floor(random.next() * available); chosen < wanted; link = (link + 1) % available) {
    if (seen[link] !== mark) {
      seen[link] = mark;
      picks[chosen++] = link;
    }
  }
  return chosen;
}
