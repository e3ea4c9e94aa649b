/**
 * The contract between transform and load: every staged dataset, its columns in file order and
 * their warehouse types. Staged files are gzip CSV (RFC 4180, header row, LF, UTF-8) under
 * `staged/<dataset>/<run_id>/part-NNNNN.csv.gz`; NULL is an empty unquoted field, an empty string
 * is `""`; dates are ISO `YYYY-MM-DD`; numbers are plain (no exponent, no thousands separator);
 * booleans are `true`/`false`. The staging tables in `sql/` mirror these lists exactly (a test
 * checks it). Dimension datasets (genres, companies, people, …) may repeat a key across parts or
 * rows; the load keeps one row per key.
 */
import { CPI_VALUE_NUMERIC } from './cpi-value';

export type ColumnType = 'integer' | 'bigint' | 'numeric' | 'double' | 'text' | 'date' | 'boolean';

export interface StagedColumn {
  name: string;
  type: ColumnType;
  nullable: boolean;
  /**
   * text: the most UTF-8 bytes the model column holds (its VARCHAR size; Redshift counts bytes).
   * The transform rejects a longer value (`value_too_long`): the load could not store it.
   */
  maxBytes?: number;
  /** numeric: the model column's NUMERIC(precision, scale); a value that does not fit is `out_of_range`. */
  numeric?: { precision: number; scale: number };
}

/**
 * A column holding another model table's one-column key (movie_genres.movie_id → movies). The
 * model declares no FOREIGN KEY (Redshift trusts them unchecked): this list is the one statement
 * of the references, read by quality-check and the data dictionary.
 */
export interface ModelReference {
  column: string;
  /** The referenced model table; the column holds its key. */
  table: string;
  /**
   * `record`: both sides come from one source record (a movie and its genres in one line of
   * movies_metadata.csv), so every non-NULL value must name a loaded row; quality-check's
   * references_resolve verifies it. `across_sources`: the sides come from different files, which
   * the real data breaks by design (credits of movies absent from movies_metadata.csv); not checked.
   */
  scope: 'record' | 'across_sources';
}

/** What the model knows of one of its data tables: its key and its references. */
export interface ModelTableContract {
  name: string;
  /** Columns that identify one row of the model table. */
  key: string[];
  /** None when absent. */
  references?: readonly ModelReference[];
}

export interface StagedDataset extends ModelTableContract {
  /** The transform that writes it (`movalytics transform <source>`). */
  source: TransformSource;
  columns: StagedColumn[];
  /**
   * One row per source record kept (movies, links, CPI months): the source's ledger balances
   * against this table (records read = rows in the model + rejected + duplicate ids). The load
   * records the ledger beside the table's counts; quality-check's source_ledgers_balance checks it.
   */
  holdsSourceRecords?: true;
}

export const TRANSFORM_SOURCES = ['movies', 'credits', 'keywords', 'links', 'cpi'] as const;
export type TransformSource = (typeof TRANSFORM_SOURCES)[number];

const col = (name: string, type: ColumnType, nullable = true): StagedColumn => ({ name, type, nullable });
const id = (name: string, type: ColumnType = 'integer'): StagedColumn => col(name, type, false);
/** Text, as the model stores it: VARCHAR(maxBytes) (sql/migrations/0001_create_model.sql). */
const varchar = (name: string, maxBytes: number, nullable = true): StagedColumn => ({ name, type: 'text', nullable, maxBytes });
/** A text key of the model (VARCHAR(maxBytes), never NULL). */
const textId = (name: string, maxBytes: number): StagedColumn => varchar(name, maxBytes, false);
/** A decimal, as the model stores it: NUMERIC(precision, scale). */
const numeric = (name: string, precision: number, scale: number): StagedColumn => ({ name, type: 'numeric', nullable: true, numeric: { precision, scale } });
/** References that come with the record (see ModelReference.scope), as `column → table` pairs. */
const inRecord = (references: Record<string, string>): ModelReference[] =>
  Object.entries(references).map(([column, table]) => ({ column, table, scope: 'record' }));
const acrossSources = (column: string, table: string): ModelReference => ({ column, table, scope: 'across_sources' });

export const STAGED_DATASETS: readonly StagedDataset[] = [
  {
    name: 'movies',
    source: 'movies',
    holdsSourceRecords: true,
    key: ['movie_id'],
    references: inRecord({ collection_id: 'collections', release_date: 'release_dates' }),
    columns: [
      id('movie_id'),
      varchar('imdb_id', 16),
      varchar('title', 1024),
      varchar('original_title', 1024),
      varchar('original_language', 16),
      varchar('overview', 65535),
      varchar('tagline', 4096),
      varchar('status', 32),
      col('release_date', 'date'),
      numeric('runtime_minutes', 7, 2),
      col('budget', 'bigint'), // NULL when the source says 0 (unknown)
      col('revenue', 'bigint'), // NULL when the source says 0 (unknown)
      col('popularity', 'double'),
      numeric('vote_average', 4, 2),
      col('vote_count', 'integer'),
      col('adult', 'boolean'),
      col('video', 'boolean'),
      varchar('homepage', 2048),
      varchar('poster_path', 512),
      col('collection_id', 'integer'),
    ],
  },
  { name: 'genres', source: 'movies', key: ['genre_id'], columns: [id('genre_id'), varchar('name', 256, false)] },
  {
    name: 'movie_genres',
    source: 'movies',
    key: ['movie_id', 'genre_id'],
    references: inRecord({ movie_id: 'movies', genre_id: 'genres' }),
    columns: [id('movie_id'), id('genre_id')],
  },
  {
    name: 'collections',
    source: 'movies',
    key: ['collection_id'],
    columns: [id('collection_id'), varchar('name', 1024, false), varchar('poster_path', 512), varchar('backdrop_path', 512)],
  },
  { name: 'companies', source: 'movies', key: ['company_id'], columns: [id('company_id'), varchar('name', 1024, false)] },
  {
    name: 'movie_companies',
    source: 'movies',
    key: ['movie_id', 'company_id'],
    references: inRecord({ movie_id: 'movies', company_id: 'companies' }),
    columns: [id('movie_id'), id('company_id')],
  },
  { name: 'countries', source: 'movies', key: ['country_code'], columns: [textId('country_code', 8), varchar('name', 256)] },
  {
    name: 'movie_countries',
    source: 'movies',
    key: ['movie_id', 'country_code'],
    references: inRecord({ movie_id: 'movies', country_code: 'countries' }),
    columns: [id('movie_id'), textId('country_code', 8)],
  },
  { name: 'languages', source: 'movies', key: ['language_code'], columns: [textId('language_code', 8), varchar('name', 256)] },
  {
    name: 'movie_languages',
    source: 'movies',
    key: ['movie_id', 'language_code'],
    references: inRecord({ movie_id: 'movies', language_code: 'languages' }),
    columns: [id('movie_id'), textId('language_code', 8)],
  },
  {
    name: 'release_dates',
    source: 'movies',
    key: ['release_date'],
    columns: [
      id('release_date', 'date'),
      id('year'),
      id('quarter'),
      id('month'),
      id('day'),
      id('day_of_week'), // ISO: Monday 1 … Sunday 7
    ],
  },
  {
    name: 'people',
    source: 'credits',
    key: ['person_id'],
    columns: [id('person_id'), varchar('name', 1024, false), col('gender', 'integer'), varchar('profile_path', 512)],
  },
  {
    name: 'cast_members',
    source: 'credits',
    key: ['credit_id'],
    references: [acrossSources('movie_id', 'movies'), ...inRecord({ person_id: 'people' })],
    columns: [
      textId('credit_id', 32),
      id('movie_id'),
      id('person_id'),
      varchar('character', 4096),
      col('cast_order', 'integer'),
      col('cast_id', 'integer'),
    ],
  },
  {
    name: 'crew_members',
    source: 'credits',
    key: ['credit_id'],
    references: [acrossSources('movie_id', 'movies'), ...inRecord({ person_id: 'people' })],
    columns: [textId('credit_id', 32), id('movie_id'), id('person_id'), varchar('department', 256), varchar('job', 256)],
  },
  { name: 'keywords', source: 'keywords', key: ['keyword_id'], columns: [id('keyword_id'), varchar('name', 1024, false)] },
  {
    name: 'movie_keywords',
    source: 'keywords',
    key: ['movie_id', 'keyword_id'],
    references: [acrossSources('movie_id', 'movies'), ...inRecord({ keyword_id: 'keywords' })],
    columns: [id('movie_id'), id('keyword_id')],
  },
  {
    name: 'links',
    source: 'links',
    holdsSourceRecords: true,
    key: ['movielens_id'],
    references: [acrossSources('tmdb_id', 'movies')],
    columns: [id('movielens_id'), varchar('imdb_id', 16), col('tmdb_id', 'integer')],
  },
  { name: 'cpi', source: 'cpi', holdsSourceRecords: true, key: ['month'], columns: [id('month', 'date'), numeric('value', CPI_VALUE_NUMERIC.precision, CPI_VALUE_NUMERIC.scale)] },
];

/**
 * Ratings have no transform: the load reads the raw lake object `raw/movies/<run_id>/ratings.csv`
 * (header `userId,movieId,rating,timestamp`), checks, maps and de-duplicates it while streaming it
 * into the warehouse (tasks/load/ratings.ts, which holds their columns). What the model knows of
 * them is here: one rating per user and movie, of a loaded movie (the load keeps no other; the
 * quality checks measure ratings in their one pass, sql/quality/ratings-profile.sql), given to a
 * MovieLens id that links held when they were loaded.
 */
export const RATINGS_TABLE: ModelTableContract = {
  name: 'ratings',
  key: ['user_id', 'movie_id'],
  references: [{ column: 'movie_id', table: 'movies', scope: 'record' }, acrossSources('movielens_id', 'links')],
};

/** Every data table of the model: one per staged dataset, and ratings. */
export const MODEL_TABLE_CONTRACTS: readonly ModelTableContract[] = [...STAGED_DATASETS, RATINGS_TABLE];

/** The column a reference names in its table: that table's key, which must be one column. */
export function referencedColumn(reference: ModelReference): string {
  const key = MODEL_TABLE_CONTRACTS.find((contract) => contract.name === reference.table)?.key;
  if (key?.length !== 1) throw new TypeError(`a reference to "${reference.table}" needs a model table with a one-column key`);
  return key[0] as string;
}

export function stagedDataset(name: string): StagedDataset {
  const found = STAGED_DATASETS.find((d) => d.name === name);
  if (!found) throw new TypeError(`unknown staged dataset "${name}"`);
  return found;
}

/**
 * What went in and what was left out of one source: every record read is
 * staged, rejected for a reason, or a repeat of an id already staged; the three sum to rows_read.
 */
export interface SourceLedgerCounts {
  rows_read: number;
  staged: number;
  /** Rejected as bad data, by reason (duplicate_id not among them). */
  rejected_by_reason: Record<string, number>;
  /** Repeats of an id already staged (the first record of an id is kept). */
  duplicate_ids: number;
}

/** The manifest every transform writes to `manifests/transform-<source>/<run_id>.json`. */
export interface TransformManifest {
  task: string;
  run_id: string;
  source: { object: string; bytes: number };
  /** Records read (not physical lines: a quoted field may span lines). */
  input_rows: number;
  accepted: number;
  rejected: number;
  rejected_by_reason: Record<string, number>;
  /** Bytes of the rejected records' text (line ends not counted), per reason. */
  rejected_bytes_by_reason: Record<string, number>;
  /** The rejects file; of a sharded transform's combined manifest, the first shard's that has one. */
  rejects_object: string | null;
  /** A sharded transform's combined manifest: every shard's rejects file, in shard order. */
  rejects_objects?: string[];
  outputs: Record<string, { rows: number; objects: string[] }>;
  /** The same counts as the ledger states them (absent from manifests written before it). */
  ledger?: SourceLedgerCounts;
  /** Present in the manifest of one shard of the transform (`--shard I/N`). */
  shard?: ShardOfSource;
  /**
   * The --max-reject-ratio the transform ran with (absent from manifests written before it): the
   * load judges a sharded transform's combined rejects by it (checkRejectRatio).
   */
  max_reject_ratio?: number;
}

/** Shard `index` of `count` read bytes [start, end) of the raw object. */
export interface ShardOfSource {
  index: number;
  count: number;
  start: number;
  end: number;
}
