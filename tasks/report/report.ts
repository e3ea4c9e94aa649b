/** The report's shape (DESIGN.md §5): keys may be added, none renamed; numbers are JSON numbers. */
import type { SourceLedgerCounts } from '../core/staged';

export interface HighestRated {
  movie_id: number;
  title: string;
  mean_rating: number;
  ratings_count: number;
  weighted_rating: number;
}

export interface PopularGenre {
  genre: string;
  ratings_count: number;
  users: number;
  mean_rating: number;
}

export interface BoxOfficeByMonth {
  month: number;
  movies: number;
  total_revenue: number;
  mean_revenue: number;
  /** Revenue is heavy-tailed: the median beside the mean (of an even count, the mean of the two middle values). */
  median_revenue: number;
}

export interface BoxOfficeByQuarter {
  quarter: number;
  movies: number;
  total_revenue: number;
  mean_revenue: number;
  /** Revenue is heavy-tailed: the median beside the mean (of an even count, the mean of the two middle values). */
  median_revenue: number;
}

export interface GenreEarnings {
  genre: string;
  movies: number;
  total_adjusted_revenue: number;
  mean_adjusted_revenue: number;
  median_adjusted_revenue: number;
}

/**
 * The ratings ledger (DESIGN.md section 5): every rating row read in one bucket, by the first rule
 * that applies, in this order; the five sum to ratings_total.
 */
export interface Coverage {
  movies: number;
  ratings_total: number;
  /** Lines that fail validation (their rejects are in the lake). */
  ratings_rejected: number;
  /** No TMDB id: the movieId is absent from links, or its tmdbId is empty. */
  ratings_unmapped: number;
  /** Mapped to a TMDB id that is not a loaded movie. */
  ratings_not_loaded: number;
  /** Dropped by the one-rating-per-user-and-movie rule (two MovieLens ids, one movie). */
  ratings_superseded: number;
  /** In the model: what the answers rest on. */
  ratings_analysed: number;
  /** The run whose ratings load recorded the source counts. */
  ratings_run_id: string | null;
}

/**
 * One sentence per question stating what its numbers show, computed from them (tasks/report/findings.ts):
 * the first line of each answer in report.md and report.html.
 */
export interface Findings {
  highest_rated: string;
  popular_genres: string;
  box_office: string;
  genre_earnings_cpi: string;
}

/**
 * One source's ledger, from its transform manifest: rows read = kept + rejected (by reason) +
 * repeated ids. For the movies, kept is what the warehouse holds (movies loaded); for the other
 * sources, the records staged for the load.
 */
export interface SourceLedger extends SourceLedgerCounts {
  source: string;
  /** The run whose transform manifest the counts come from. */
  run_id: string;
  /** The raw object the transform read, in the lake. */
  source_object: string;
  /** The movies in the warehouse (movies only; null for the other sources). */
  loaded: number | null;
  /** Where the rejected records and their reasons are, in the lake (null when none were rejected). */
  rejects_object: string | null;
  /** Every rejects file of the source: one per shard that rejected records when the transform ran in shards. */
  rejects_objects: string[];
  /** rows_read = kept + rejected + duplicate_ids. */
  balanced: boolean;
}

/** What the warehouse answers; the findings are computed from it, the source ledgers read from the lake. */
export type ReportAnswers = Omit<Report, 'findings' | 'source_ledgers'>;
export type QueriedReport = Omit<Report, 'source_ledgers'>;

export interface Report {
  run_id: string;
  generated_at: string;
  parameters: { min_ratings: number };
  coverage: Coverage;
  highest_rated: HighestRated[];
  popular_genres: PopularGenre[];
  box_office_by_month: BoxOfficeByMonth[];
  box_office_by_quarter: BoxOfficeByQuarter[];
  genre_earnings_cpi: {
    reference_month: string | null;
    /** Movies with a known revenue and a release date whose release month has no CPI value. */
    movies_without_cpi: number;
    /** Movies with a known revenue and no release date. */
    movies_without_release_date: number;
    genres: GenreEarnings[];
  };
  findings: Findings;
  /** What went in and was left out of each transformed source (missing when its manifest is). */
  source_ledgers: SourceLedger[];
}
