/** The report's shape (DESIGN.md §5): keys may be added, none renamed; numbers are JSON numbers. */
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
}

export interface BoxOfficeByQuarter {
  quarter: number;
  movies: number;
  total_revenue: number;
  mean_revenue: number;
}

export interface GenreEarnings {
  genre: string;
  movies: number;
  total_adjusted_revenue: number;
  mean_adjusted_revenue: number;
}

export interface Coverage {
  movies: number;
  ratings_total: number;
  ratings_analysed: number;
  ratings_unmapped: number;
  /** Ratings collapsed by the one-rating-per-user-and-movie rule (two MovieLens ids, one movie). */
  ratings_duplicates: number;
  /** The run whose ratings load recorded the source counts. */
  ratings_run_id: string | null;
}

export interface Report {
  run_id: string;
  generated_at: string;
  parameters: { min_ratings: number };
  coverage: Coverage;
  highest_rated: HighestRated[];
  popular_genres: PopularGenre[];
  box_office_by_month: BoxOfficeByMonth[];
  box_office_by_quarter: BoxOfficeByQuarter[];
  genre_earnings_cpi: { reference_month: string | null; movies_without_cpi: number; genres: GenreEarnings[] };
}
