/**
 * generate-sample.json: what was generated and the true counts, so that later steps' tests can
 * assert against them. No timestamps: the same seed gives a byte-identical summary too.
 */
import type { CpiCounts, CpiDateHeader } from './cpi-file';
import type { CreditsCounts } from './credits-file';
import type { SampleFile } from './csv-output';
import type { KeywordsCounts } from './keywords-file';
import type { LinksCounts } from './links-file';
import type { MoviesCounts } from './movies-file';
import type { RatingsCounts } from './ratings-file';
import type { ScaleName } from './scales';
import { GENRES } from './vocabulary';

export const SUMMARY_FILE = 'generate-sample.json';

export type FileSummary = { bytes: number; records: number; line_ending: 'LF' | 'CRLF'; final_newline: boolean };

export type SampleCounts = {
  movies_rows: number;
  movie_ids_unique: number;
  movie_duplicate_rows: number;
  movie_duplicated_ids: number;
  movie_corrupt_rows: number;
  movie_corrupt_stub_ids: number[];
  movies_multiline_records: number;
  movies_with_revenue: number;
  movies_with_budget: number;
  movies_with_release_date: number;
  movies_per_genre: { [genre: string]: number };
  users: number;
  ratings: number;
  mean_rating: number;
  min_ratings_per_user: number;
  max_ratings_per_user: number;
  rated_movielens_ids: number;
  ratings_without_movie: number;
  users_rating_both_ids_of_a_movie: number;
  links: number;
  links_empty_tmdb_id: number;
  links_doubly_mapped_tmdb_ids: number;
  links_tmdb_ids_absent_from_movies: number;
  credits_rows: number;
  credits_duplicate_rows: number;
  keywords_rows: number;
  keywords_duplicate_rows: number;
  cpi_months: number;
  cpi_missing_values: number;
  cpi_first_month: string;
  cpi_last_month: string;
};

export type SampleSummary = {
  scale: ScaleName;
  seed: number;
  cpi_date_header: CpiDateHeader;
  files: { [name: string]: FileSummary };
  counts: SampleCounts;
};

export interface AllCounts {
  movies: MoviesCounts;
  ratings: RatingsCounts;
  links: LinksCounts;
  credits: CreditsCounts;
  keywords: KeywordsCounts;
  cpi: CpiCounts;
}

export function fileSummary(file: SampleFile, bytes: number, records: number): FileSummary {
  return { bytes, records, line_ending: file.lineEnding === '\r\n' ? 'CRLF' : 'LF', final_newline: file.finalNewline };
}

export function sampleCounts({ movies, ratings, links, credits, keywords, cpi }: AllCounts): SampleCounts {
  return {
    movies_rows: movies.records,
    movie_ids_unique: movies.uniqueIds,
    movie_duplicate_rows: movies.duplicateRows,
    movie_duplicated_ids: movies.duplicatedIds,
    movie_corrupt_rows: movies.corruptRows,
    movie_corrupt_stub_ids: movies.corruptStubIds,
    movies_multiline_records: movies.multilineRecords,
    movies_with_revenue: movies.withRevenue,
    movies_with_budget: movies.withBudget,
    movies_with_release_date: movies.withReleaseDate,
    movies_per_genre: Object.fromEntries(GENRES.map((genre) => [genre.name, movies.genres[genre.id] ?? 0])),
    users: ratings.users,
    ratings: ratings.records,
    mean_rating: ratings.meanRating,
    min_ratings_per_user: ratings.minPerUser,
    max_ratings_per_user: ratings.maxPerUser,
    rated_movielens_ids: ratings.ratedMovieLensIds,
    ratings_without_movie: ratings.ratingsWithoutMovie,
    users_rating_both_ids_of_a_movie: ratings.usersRatingBothIdsOfAMovie,
    links: links.records,
    links_empty_tmdb_id: links.emptyTmdbIds,
    links_doubly_mapped_tmdb_ids: links.doublyMappedTmdbIds,
    links_tmdb_ids_absent_from_movies: links.absentTmdbIds,
    credits_rows: credits.records,
    credits_duplicate_rows: credits.duplicateRows,
    keywords_rows: keywords.records,
    keywords_duplicate_rows: keywords.duplicateRows,
    cpi_months: cpi.records,
    cpi_missing_values: cpi.missingValues,
    cpi_first_month: cpi.firstMonth,
    cpi_last_month: cpi.lastMonth,
  };
}
