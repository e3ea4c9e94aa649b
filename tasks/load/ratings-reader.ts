/**
 * The raw MovieLens ratings file (`userId,movieId,rating,timestamp`, CRLF or LF) read byte by
 * byte into typed rows ready for the model: each rating checked, mapped from its MovieLens id to
 * a loaded TMDB movie, and kept once per user and movie. 26M lines cost no per-line strings or
 * objects; memory holds one chunk of the file, one user's ratings and one batch of rows.
 *
 * The rules (DESIGN.md section 5):
 * - unparsable: not four fields, or a value that is not a plain number (ids of up to 9 digits, a
 *   rating like 3 or 3.5 of up to 9 characters, epoch seconds of up to 12 characters);
 * - out_of_range: a rating below 0.5 or above 5, or a time before 1970 or after the day of the
 *   load (a negative epoch or one from the future is no real time);
 * - not_half_step: a rating that is not a multiple of 0.5;
 * - unmapped (counted, not rejected): a MovieLens id with no TMDB id (absent from links, or an
 *   empty tmdbId);
 * - not_loaded (counted, not rejected): a MovieLens id whose TMDB id is not a loaded movie;
 * - superseded (counted, not rejected): when one user rated the same TMDB movie more than once
 *   (two MovieLens ids can share one), the latest rating wins, then the greatest, then the one of
 *   the greater MovieLens id, so reruns agree.
 *
 * MovieLens publishes each user's ratings together (ordered by userId): that is what lets the
 * duplicates be resolved while streaming, one user at a time. Told to expect it (`grouped`), the
 * reader throws NotGroupedError where a user comes back after other users; otherwise it resolves
 * duplicates within each run of one user's lines only, and the warehouse resolves the rest.
 */
import { DataError } from '../core/errors';
import type { RowBatch, TypedColumn } from '../core/warehouse/typed-rows';
import { IdBitset } from '../core/id-bitset';
import { MovieIndex } from './movie-index';
import { RatingsSummary, type MovieGenres } from './ratings-summary';

export const RATING_REJECT_REASONS = ['unparsable', 'out_of_range', 'not_half_step'] as const;
export type RatingRejectReason = (typeof RATING_REJECT_REASONS)[number];

/** The model's columns, in the order of each batch row's values: what the warehouse COPYs. */
export const RATING_COLUMNS: readonly TypedColumn[] = [
  { name: 'user_id', type: 'int4' },
  { name: 'movie_id', type: 'int4' },
  { name: 'movielens_id', type: 'int4' },
  { name: 'rating', type: 'tenths' },
  { name: 'rated_at', type: 'epoch_seconds' },
];
export const RATING_WIDTH = RATING_COLUMNS.length;
const WIDTH = RATING_WIDTH;

export type RatingsCounts = {
  ratings_total: number;
  /** No TMDB id: absent from links, or an empty tmdbId. */
  ratings_unmapped: number;
  /** A TMDB id that is not a loaded movie. */
  ratings_not_loaded: number;
  /** Valid and mapped to a loaded movie: analysed, or superseded by the same user's other rating of it. */
  ratings_mapped: number;
  /** Rows handed over: one per user and movie when grouped; else the warehouse may drop more. */
  ratings_analysed: number;
  rejected_by_reason: Record<RatingRejectReason, number>;
};

export interface RatingsReaderOptions {
  /** The raw object, named in errors. */
  object: string;
  /** MovieLens id → TMDB id of a loaded movie. */
  movieOf: ReadonlyMap<number, number>;
  /** MovieLens ids with a TMDB id, loaded or not: the others are unmapped, these not loaded. */
  linked: ReadonlySet<number>;
  /** Epoch seconds from which a rating is in the future (the start of the day after the load). */
  futureFrom: number;
  /** Each user's ratings come together: duplicates are all resolved here (else NotGroupedError). */
  grouped: boolean;
  /** Rows per batch handed to the warehouse. */
  batchRows?: number;
  /**
   * The line number before the first line of the body: 1 (the header) for a whole file; a shard,
   * which does not know how many lines precede it, counts its own lines from 0.
   */
  firstLine?: number;
  /** Users come in ascending order (MovieLens order), which a sharded load needs: else `notSorted` is thrown. */
  ascendingUsers?: { notSorted: (detail: string) => Error };
  /**
   * The rows of movie_genres: given, the reader also summarises the rows it hands over (`summary`,
   * ratings-summary.ts). Only a grouped reader's rows are the model's rows, one per user and movie.
   */
  summarise?: MovieGenres;
  /** A rejected line: its physical line number, why, and its text. */
  onReject: (line: number, reason: RatingRejectReason, detail: string, record: string) => Promise<void>;
}

const LF = 0x0a;
const CR = 0x0d;
const COMMA = 0x2c;
const DOT = 0x2e;
const MINUS = 0x2d;
const QUOTE = 0x22;
const ZERO = 0x30;
const NINE = 0x39;
const FIELDS = 4;
const MAX_ID_DIGITS = 9;
const MAX_RATING_CHARS = 9;
/** Valid ratings in tenths: 0.5 to 5 in steps of 0.5 (one rule for the plain lane and the full parse). */
const LOWEST_TENTHS = 5;
const HIGHEST_TENTHS = 50;
const STEP_TENTHS = 5;
const MAX_EPOCH_CHARS = 12;

/** A user's ratings came back after other users' ratings, in a reader told they come together. */
export class NotGroupedError extends Error {
  constructor(
    readonly line: number,
    readonly user: number,
  ) {
    super(`ratings are not grouped by user: user ${user} comes back at line ${line} after other users' ratings`);
  }
}

/** Why a line is rejected; `undefined` in the parsed slots means it was not. */
type Verdict = { reason: RatingRejectReason; detail: string } | undefined;
type Rejection = { reason: RatingRejectReason; detail: string; record: string };

/** Every count at zero: a reader's start, and the start of a sum over shards. */
export function zeroRatingsCounts(): RatingsCounts {
  return {
    ratings_total: 0,
    ratings_unmapped: 0,
    ratings_not_loaded: 0,
    ratings_mapped: 0,
    ratings_analysed: 0,
    rejected_by_reason: { unparsable: 0, out_of_range: 0, not_half_step: 0 },
  };
}

export class RatingsReader {
  readonly counts: RatingsCounts = zeroRatingsCounts();
  /** The rows handed over, summarised (when `summarise` was given). */
  readonly summary: RatingsSummary | undefined;

  // The line being parsed, once valid.
  private user = 0;
  private movielensId = 0;
  private tenths = 0;
  private epoch = 0;
  /** The value of the digits plainDigits last read. */
  private digits = 0;

  // The current user's ratings, one slot per movie (dense numbers of the MovieIndex).
  private blockUser = -1;
  private lastUser = -1;
  private readonly movies: MovieIndex;
  private readonly slotOfMovie: Int32Array;
  private kept = 0;
  private slotMovie = new Int32Array(1024);
  private slotMovielens = new Int32Array(1024);
  private slotTenths = new Int32Array(1024);
  private slotEpoch = new Float64Array(1024);
  private readonly finishedUsers = new IdBitset();

  private batch: Float64Array;
  private batchRows = 0;
  private readonly batchCapacity: number;

  constructor(private readonly options: RatingsReaderOptions) {
    this.batchCapacity = options.batchRows ?? 16_384;
    this.movies = new MovieIndex(options.movieOf);
    this.slotOfMovie = new Int32Array(this.movies.size).fill(-1);
    if (options.summarise) {
      if (!options.grouped) throw new TypeError('only a reader of ratings grouped by user hands over the model\'s rows, which a summary describes');
      this.summary = new RatingsSummary(this.movies, options.summarise);
    }
    this.batch = new Float64Array(this.batchCapacity * WIDTH);
  }

  /** The body of the file (after its header, which starts at line 1) as batches of model rows. */
  async *batches(body: AsyncIterable<Buffer>): AsyncGenerator<RowBatch> {
    let line = this.options.firstLine ?? 1;
    let carry: Buffer | undefined;
    for await (const chunk of body) {
      let segments = [chunk];
      if (carry) {
        const cut = chunk.indexOf(LF);
        if (cut < 0) {
          carry = Buffer.concat([carry, chunk]);
          continue;
        }
        // Only the line the chunk boundary cut is joined, not the whole chunk: joining every
        // chunk copied the whole file once more (713 MB at full scale) outside V8's heap.
        segments = [Buffer.concat([carry, chunk.subarray(0, cut + 1)]), chunk.subarray(cut + 1)];
      }
      for (const data of segments) {
        // Lines end at or before the last LF: takePlain, which stops at an LF, never reads past it.
        const lastLineEnd = data.lastIndexOf(LF);
        let start = 0;
        while (start <= lastLineEnd) {
          let end = this.takePlain(data, start);
          line++;
          if (end < 0) {
            end = data.indexOf(LF, start);
            const rejection = this.take(data, start, end);
            if (rejection) await this.reject(rejection, line);
          }
          if (this.batchRows >= this.batchCapacity) yield this.takeBatch();
          start = end + 1;
        }
        carry = start < data.length ? data.subarray(start) : undefined;
      }
    }
    if (carry) {
      this.checkNotCut(carry, line + 1);
      const rejection = this.take(carry, 0, carry.length);
      if (rejection) await this.reject(rejection, ++line);
    }
    this.flushUser();
    if (this.batchRows > 0) yield this.takeBatch();
  }

  /**
   * The last line, when no line end follows it: complete (the real files end so) or a file cut
   * mid-line, whose lost remainder no reject could count (DataError, exit 65).
   */
  private checkNotCut(last: Buffer, line: number): void {
    const fields = countCommas(last, 0, last.length) + 1;
    if (fields >= FIELDS) return;
    throw new DataError(`the input ends mid-line: the last line has ${fields} of ${FIELDS} fields and no line end (a cut file)`, {
      object: this.options.object,
      line,
      expected: `${FIELDS} fields (userId,movieId,rating,timestamp)`,
    });
  }

  /**
   * The rows gathered so far (at least the capacity, or the last ones). The batch's values are the
   * reader's own buffer, valid until the next batch is asked for: every consumer encodes or writes
   * a batch before it asks for the next, and a new array per batch was 1 GB of churn at full scale.
   */
  private takeBatch(): RowBatch {
    const batch = { rows: this.batchRows, values: this.batch.subarray(0, this.batchRows * WIDTH) };
    // A prolific user's batch outgrew the capacity: the next batches go back to the usual size.
    if (this.batch.length > this.batchCapacity * WIDTH) this.batch = new Float64Array(this.batchCapacity * WIDTH);
    this.batchRows = 0;
    return batch;
  }

  /**
   * One line, `[start, end)` of `data` without its LF, by the full rules: the lines takePlain
   * leaves (rare: rejects, unusual spellings, quotes, a line the chunk cut). Synchronous: an await
   * per line would cost more than the parsing.
   */
  private take(data: Buffer, start: number, end: number): Rejection | undefined {
    if (end > start && data[end - 1] === CR) end--;
    this.counts.ratings_total++;
    const verdict = hasQuote(data, start, end) ? this.parseQuoted(data, start, end) : this.parse(data, start, end);
    if (verdict) return { ...verdict, record: data.toString('utf8', start, end) };
    this.accept();
    return undefined;
  }

  /**
   * The line at `start` when it is spelled as MovieLens writes every line (`user,movie,D[.D],epoch`
   * then CRLF or LF) and is a valid rating: read in ONE pass over its bytes, taken, and the index of
   * its LF returned. Anything else (a reject, a valid but unusual spelling such as `3.50`, a line
   * the chunk cuts) returns -1 and is left to `take`, which applies every rule; so this decides no
   * rule of its own, it only skips the line search and the field-by-field passes for 26M plain lines.
   */
  private takePlain(data: Buffer, start: number): number {
    // Every scan below stops at an LF, and the caller guarantees one at or after `start`: no read
    // goes past the end of `data` (one that did would make V8 drop its optimized code, again and again).
    let at = this.plainDigits(data, start, MAX_ID_DIGITS);
    if (at < 0 || data[at] !== COMMA) return -1;
    const user = this.digits;
    at = this.plainDigits(data, at + 1, MAX_ID_DIGITS);
    if (at < 0 || data[at] !== COMMA) return -1;
    const movielensId = this.digits;
    let byte = data[++at] as number;
    if (!(byte >= ZERO && byte <= NINE)) return -1;
    let tenths = (byte - ZERO) * 10;
    byte = data[++at] as number;
    if (byte === DOT) {
      byte = data[++at] as number;
      if (!(byte >= ZERO && byte <= NINE)) return -1;
      tenths += byte - ZERO;
      byte = data[++at] as number;
    }
    if (byte !== COMMA || tenths < LOWEST_TENTHS || tenths > HIGHEST_TENTHS || tenths % STEP_TENTHS !== 0) return -1;
    at = this.plainDigits(data, at + 1, MAX_EPOCH_CHARS);
    if (at < 0 || this.digits >= this.options.futureFrom) return -1;
    if (data[at] === CR) at++;
    if (data[at] !== LF) return -1;
    this.counts.ratings_total++;
    this.user = user;
    this.movielensId = movielensId;
    this.tenths = tenths;
    this.epoch = this.digits;
    this.accept();
    return at;
  }

  /** The end of 1 to `maxDigits` digits from `start`, their value in `digits`; -1 for none or too many. */
  private plainDigits(data: Buffer, start: number, maxDigits: number): number {
    let at = start;
    let byte = data[at] as number;
    let value = 0;
    while (byte >= ZERO && byte <= NINE) {
      value = value * 10 + (byte - ZERO);
      byte = data[++at] as number;
    }
    this.digits = value;
    return at === start || at - start > maxDigits ? -1 : at;
  }

  /** The parsed line's rating: into its user's ratings when its movie is loaded, else counted as unmapped or not loaded. */
  private accept(): void {
    if (this.user !== this.blockUser) this.startUser();
    const movie = this.movies.dense(this.movielensId);
    if (movie < 0) {
      // Rare at full scale (a few percent of the lines): a Set lookup costs nothing that matters.
      if (this.options.linked.has(this.movielensId)) this.counts.ratings_not_loaded++;
      else this.counts.ratings_unmapped++;
      return;
    }
    this.counts.ratings_mapped++;
    this.keep(movie);
  }

  private async reject(rejection: Rejection, line: number): Promise<void> {
    this.counts.rejected_by_reason[rejection.reason]++;
    await this.options.onReject(line, rejection.reason, rejection.detail, rejection.record);
  }

  private startUser(): void {
    this.flushUser();
    if (this.options.ascendingUsers && this.user <= this.lastUser) {
      throw this.options.ascendingUsers.notSorted(`user ${this.user} follows user ${this.lastUser} at line ${this.counts.ratings_total} of the shard`);
    }
    this.lastUser = this.user;
    if (this.options.grouped) {
      if (this.finishedUsers.has(this.user)) throw new NotGroupedError(this.counts.ratings_total + 1, this.user);
      this.finishedUsers.add(this.user);
    }
    this.blockUser = this.user;
  }

  /** The current rating into its user's slot for the movie, when it beats the one there. */
  private keep(movie: number): void {
    const slot = this.slotOfMovie[movie] as number;
    if (slot < 0) {
      if (this.kept === this.slotMovie.length) this.growSlots();
      this.slotOfMovie[movie] = this.kept;
      this.slotMovie[this.kept] = movie;
      this.slotMovielens[this.kept] = this.movielensId;
      this.slotTenths[this.kept] = this.tenths;
      this.slotEpoch[this.kept] = this.epoch;
      this.kept++;
      return;
    }
    const epoch = this.slotEpoch[slot] as number;
    const tenths = this.slotTenths[slot] as number;
    const wins =
      this.epoch > epoch ||
      (this.epoch === epoch && (this.tenths > tenths || (this.tenths === tenths && this.movielensId > (this.slotMovielens[slot] as number))));
    if (!wins) return;
    this.slotMovielens[slot] = this.movielensId;
    this.slotTenths[slot] = this.tenths;
    this.slotEpoch[slot] = this.epoch;
  }

  private growSlots(): void {
    const grow = <T extends Int32Array | Float64Array>(slots: T, make: (length: number) => T): T => {
      const grown = make(slots.length * 2);
      grown.set(slots);
      return grown;
    };
    this.slotMovie = grow(this.slotMovie, (length) => new Int32Array(length));
    this.slotMovielens = grow(this.slotMovielens, (length) => new Int32Array(length));
    this.slotTenths = grow(this.slotTenths, (length) => new Int32Array(length));
    this.slotEpoch = grow(this.slotEpoch, (length) => new Float64Array(length));
  }

  /** The finished user's kept ratings into the batch, which grows past its capacity for a prolific user. */
  private flushUser(): void {
    if (this.blockUser < 0) return;
    const kept = this.kept;
    if ((this.batchRows + kept) * WIDTH > this.batch.length) {
      const grown = new Float64Array((this.batchRows + kept) * WIDTH);
      grown.set(this.batch);
      this.batch = grown;
    }
    this.summary?.addUser(this.blockUser, this.slotMovie, this.slotTenths, kept);
    const batch = this.batch;
    let offset = this.batchRows * WIDTH;
    for (let slot = 0; slot < kept; slot++) {
      const movie = this.slotMovie[slot] as number;
      this.slotOfMovie[movie] = -1;
      batch[offset++] = this.blockUser;
      batch[offset++] = this.movies.tmdb(movie);
      batch[offset++] = this.slotMovielens[slot] as number;
      batch[offset++] = this.slotTenths[slot] as number;
      batch[offset++] = this.slotEpoch[slot] as number;
    }
    this.batchRows += kept;
    this.counts.ratings_analysed += kept;
    this.blockUser = -1;
    this.kept = 0;
  }

  /** Parses `[start, end)` into user, movielensId, tenths and epoch; a verdict when it is rejected. */
  private parse(data: Buffer, start: number, end: number): Verdict {
    const first = commaWithin(data, start, end);
    const second = first < 0 ? -1 : commaWithin(data, first + 1, end);
    const third = second < 0 ? -1 : commaWithin(data, second + 1, end);
    if (third < 0 || commaWithin(data, third + 1, end) >= 0) {
      return { reason: 'unparsable', detail: `expected ${FIELDS} fields (userId,movieId,rating,timestamp), found ${countCommas(data, start, end) + 1}` };
    }
    const user = wholeNumber(data, start, first, MAX_ID_DIGITS);
    if (user < 0) return unparsable('userId', data, start, first, `a whole number of up to ${MAX_ID_DIGITS} digits`);
    const movielensId = wholeNumber(data, first + 1, second, MAX_ID_DIGITS);
    if (movielensId < 0) return unparsable('movieId', data, first + 1, second, `a whole number of up to ${MAX_ID_DIGITS} digits`);
    const rating = parseRating(data, second + 1, third);
    if (!rating) return unparsable('rating', data, second + 1, third, `a number like 3 or 3.5 of up to ${MAX_RATING_CHARS} characters`);
    const epoch = epochSeconds(data, third + 1, end);
    if (epoch === undefined) return unparsable('timestamp', data, third + 1, end, `epoch seconds of up to ${MAX_EPOCH_CHARS} characters`);
    if (rating.below || rating.above) return { reason: 'out_of_range', detail: `rating ${data.toString('utf8', second + 1, third)} is outside 0.5 to 5` };
    if (epoch < 0 || epoch >= this.options.futureFrom) {
      return { reason: 'out_of_range', detail: `timestamp ${epoch} is ${epoch < 0 ? 'before 1970' : 'after the day of the load'}` };
    }
    if (!rating.halfStep) return { reason: 'not_half_step', detail: `rating ${data.toString('utf8', second + 1, third)} is not a multiple of 0.5` };
    this.user = user;
    this.movielensId = movielensId;
    this.tenths = rating.tenths;
    this.epoch = epoch;
    return undefined;
  }

  /** A line with double quotes (not how MovieLens writes it): unquoted field by field, then parsed. */
  private parseQuoted(data: Buffer, start: number, end: number): Verdict {
    const fields = splitQuoted(data.toString('utf8', start, end));
    if (fields === undefined || fields.some((field) => field.includes(','))) {
      return { reason: 'unparsable', detail: 'malformed quotes: expected userId,movieId,rating,timestamp' };
    }
    const plain = Buffer.from(fields.join(','), 'utf8');
    return this.parse(plain, 0, plain.length);
  }
}

/** The first comma in `[start, end)`, or -1. */
function commaWithin(data: Buffer, start: number, end: number): number {
  for (let at = start; at < end; at++) if (data[at] === COMMA) return at;
  return -1;
}

function countCommas(data: Buffer, start: number, end: number): number {
  let count = 0;
  for (let at = start; at < end; at++) if (data[at] === COMMA) count++;
  return count;
}

function hasQuote(data: Buffer, start: number, end: number): boolean {
  for (let at = start; at < end; at++) if (data[at] === QUOTE) return true;
  return false;
}

function unparsable(field: string, data: Buffer, start: number, end: number, expected: string): Verdict {
  const value = data.toString('utf8', start, end);
  return { reason: 'unparsable', detail: `${field} ${value === '' ? 'is empty' : `"${value}" is not ${expected}`}` };
}

/** The digits in `[start, end)` as a number, or -1 when they are not 1 to `maxDigits` digits. */
function wholeNumber(data: Buffer, start: number, end: number, maxDigits: number): number {
  const length = end - start;
  if (length < 1 || length > maxDigits) return -1;
  let value = 0;
  for (let at = start; at < end; at++) {
    const byte = data[at] as number;
    if (byte < ZERO || byte > NINE) return -1;
    value = value * 10 + (byte - ZERO);
  }
  return value;
}

interface Rating {
  tenths: number;
  below: boolean;
  above: boolean;
  halfStep: boolean;
}

/** `digits[.digits]` of at most 9 characters, judged exactly (no floating point). */
function parseRating(data: Buffer, start: number, end: number): Rating | undefined {
  if (end - start < 1 || end - start > MAX_RATING_CHARS) return undefined;
  const dot = data.indexOf(DOT, start);
  const intEnd = dot >= 0 && dot < end ? dot : end;
  const whole = wholeNumber(data, start, intEnd, MAX_RATING_CHARS);
  if (whole < 0) return undefined;
  let firstDecimal = 0;
  let restNonZero = false;
  if (intEnd < end) {
    if (end - intEnd < 2) return undefined;
    for (let at = intEnd + 1; at < end; at++) {
      const byte = data[at] as number;
      if (byte < ZERO || byte > NINE) return undefined;
      if (at === intEnd + 1) firstDecimal = byte - ZERO;
      else if (byte !== ZERO) restNonZero = true;
    }
  }
  const tenths = whole * 10 + firstDecimal;
  return {
    tenths,
    below: tenths < LOWEST_TENTHS,
    above: tenths > HIGHEST_TENTHS || (tenths === HIGHEST_TENTHS && restNonZero),
    halfStep: tenths % STEP_TENTHS === 0 && !restNonZero,
  };
}

/** `-?digits` of at most 12 characters, or undefined. */
function epochSeconds(data: Buffer, start: number, end: number): number | undefined {
  if (end - start < 1 || end - start > MAX_EPOCH_CHARS) return undefined;
  const negative = data[start] === MINUS;
  const value = wholeNumber(data, negative ? start + 1 : start, end, MAX_EPOCH_CHARS);
  if (value < 0) return undefined;
  return negative && value > 0 ? -value : value;
}

/** RFC 4180 fields of one line (`""` is a quote inside quotes), or undefined when the quotes do not close. */
function splitQuoted(text: string): string[] | undefined {
  const fields: string[] = [];
  let at = 0;
  for (;;) {
    let field = '';
    if (text[at] === '"') {
      at++;
      for (;;) {
        const close = text.indexOf('"', at);
        if (close < 0) return undefined;
        field += text.slice(at, close);
        at = close + 1;
        if (text[at] !== '"') break;
        field += '"';
        at++;
      }
      if (at < text.length && text[at] !== ',') return undefined;
    } else {
      const comma = text.indexOf(',', at);
      field = text.slice(at, comma < 0 ? text.length : comma);
      if (field.includes('"')) return undefined;
      at = comma < 0 ? text.length : comma;
    }
    fields.push(field);
    if (at >= text.length) return fields;
    at++;
  }
}
