/**
 * `movies_metadata.csv` -> movies, genres, movie_genres, collections, companies, movie_companies,
 * countries, movie_countries, languages, movie_languages, release_dates.
 *
 * Quirks handled here: `belongs_to_collection`, `genres`, `production_companies`,
 * `production_countries`, `spoken_languages` are Python literals; budget and revenue of 0 mean
 * unknown (NULL); integers may be written `123.0`; popularity may be `8.2e-05`; empty dates and
 * runtimes are NULL; an `id` holding a date means the columns are shifted (the record is rejected);
 * a vote average outside 0-10, a negative runtime, popularity or money amount is out_of_range.
 */
import { RAW_SOURCE } from '../../core/lake/layout';
import { idAt, listOfDicts, optionalDict, textAt } from '../literal-columns';
import { rowOf, type SourceMapping, type StagedRow } from '../mapping';
import type { LiteralDict } from '../python-literal';
import { reject } from '../rejection';
import { boolean, decimalWithin, identifier, integer, isoDate, quote, text, type DateParts } from '../values';
import { fieldsOf, uniqueBy } from './columns';

export const MOVIES_HEADER = [
  'adult',
  'belongs_to_collection',
  'budget',
  'genres',
  'homepage',
  'id',
  'imdb_id',
  'original_language',
  'original_title',
  'overview',
  'popularity',
  'poster_path',
  'production_companies',
  'production_countries',
  'release_date',
  'revenue',
  'runtime',
  'spoken_languages',
  'status',
  'tagline',
  'title',
  'video',
  'vote_average',
  'vote_count',
] as const;

const field = fieldsOf(MOVIES_HEADER);
const row = {
  movies: rowOf('movies'),
  genres: rowOf('genres'),
  movieGenres: rowOf('movie_genres'),
  collections: rowOf('collections'),
  companies: rowOf('companies'),
  movieCompanies: rowOf('movie_companies'),
  countries: rowOf('countries'),
  movieCountries: rowOf('movie_countries'),
  languages: rowOf('languages'),
  movieLanguages: rowOf('movie_languages'),
  releaseDates: rowOf('release_dates'),
};

/** The record's key: its movie id. */
const keyOf = (fields: readonly string[]): number => movieIdOf(field(fields, 'id'));

export const moviesMapping: SourceMapping = {
  source: 'movies',
  raw: { source: RAW_SOURCE.movies, file: 'movies_metadata.csv' },
  expectedHeader: MOVIES_HEADER,
  datasets: [
    'movies',
    'genres',
    'movie_genres',
    'collections',
    'companies',
    'movie_companies',
    'countries',
    'movie_countries',
    'languages',
    'movie_languages',
    'release_dates',
  ],
  dimensions: ['genres', 'collections', 'companies', 'countries', 'languages', 'release_dates'],
  keyOf,
  map(fields) {
    const movieId = keyOf(fields);
    const movie_id = String(movieId);
    const collection = optionalDict(field(fields, 'belongs_to_collection'), 'belongs_to_collection');
    const releaseDate = isoDate(field(fields, 'release_date'), 'release_date', RELEASE_DATES);
    const rows: StagedRow[] = [
      row.movies({
        movie_id,
        imdb_id: text(field(fields, 'imdb_id'), 'imdb_id'),
        title: text(field(fields, 'title'), 'title'),
        original_title: text(field(fields, 'original_title'), 'original_title'),
        original_language: text(field(fields, 'original_language'), 'original_language'),
        overview: text(field(fields, 'overview'), 'overview'),
        tagline: text(field(fields, 'tagline'), 'tagline'),
        status: text(field(fields, 'status'), 'status'),
        release_date: releaseDate?.text ?? null,
        runtime_minutes: decimalWithin(field(fields, 'runtime'), 'runtime', 0, Number.POSITIVE_INFINITY),
        budget: integer(field(fields, 'budget'), 'budget', { kind: 'bigint', zeroIsNull: true, min: 0n }),
        revenue: integer(field(fields, 'revenue'), 'revenue', { kind: 'bigint', zeroIsNull: true, min: 0n }),
        popularity: decimalWithin(field(fields, 'popularity'), 'popularity', 0, Number.POSITIVE_INFINITY),
        vote_average: decimalWithin(field(fields, 'vote_average'), 'vote_average', 0, 10),
        vote_count: integer(field(fields, 'vote_count'), 'vote_count', { min: 0n }),
        adult: boolean(field(fields, 'adult'), 'adult'),
        video: boolean(field(fields, 'video'), 'video'),
        homepage: text(field(fields, 'homepage'), 'homepage'),
        poster_path: text(field(fields, 'poster_path'), 'poster_path'),
        collection_id: collection ? idAt(collection, 'id', 'belongs_to_collection') : null,
      }),
    ];
    if (collection) rows.push(collectionRow(collection));
    rows.push(...genreRows(movie_id, field(fields, 'genres')));
    rows.push(...companyRows(movie_id, field(fields, 'production_companies')));
    rows.push(...countryRows(movie_id, field(fields, 'production_countries')));
    rows.push(...languageRows(movie_id, field(fields, 'spoken_languages')));
    if (releaseDate) rows.push(releaseDateRow(releaseDate.text, releaseDate.parts));
    return { key: movieId, rows };
  },
};

const DATE_LIKE = /^\d{4}-\d{2}-\d{2}$/;
/**
 * Release dates from the first films (the real file's earliest is 1874) to 2100: dates in the
 * future are kept (TMDB lists announced movies with their planned dates); a date outside this
 * span is a placeholder (0000-01-01, 9999-12-31) or a typo, and rejects the record.
 */
const RELEASE_DATES = { from: '1870-01-01', to: '2100-12-31' };

function movieIdOf(value: string): number {
  if (DATE_LIKE.test(value)) reject('invalid_id', `id holds the date ${quote(value)}: the columns of this record are shifted`);
  return identifier(value, 'id');
}

function collectionRow(collection: LiteralDict): StagedRow {
  const path = 'belongs_to_collection';
  return row.collections({
    collection_id: idAt(collection, 'id', path),
    name: textAt(collection, 'name', path, true),
    poster_path: textAt(collection, 'poster_path', path),
    backdrop_path: textAt(collection, 'backdrop_path', path),
  });
}

function genreRows(movie_id: string, value: string): StagedRow[] {
  const genres = listOfDicts(value, 'genres').map((genre, index) => ({
    genre_id: idAt(genre, 'id', `genres[${index}]`),
    name: textAt(genre, 'name', `genres[${index}]`, true),
  }));
  return uniqueBy(genres, (genre) => genre.genre_id).flatMap((genre) => [
    row.genres(genre),
    row.movieGenres({ movie_id, genre_id: genre.genre_id }),
  ]);
}

function companyRows(movie_id: string, value: string): StagedRow[] {
  const companies = listOfDicts(value, 'production_companies').map((company, index) => ({
    company_id: idAt(company, 'id', `production_companies[${index}]`),
    name: textAt(company, 'name', `production_companies[${index}]`, true),
  }));
  return uniqueBy(companies, (company) => company.company_id).flatMap((company) => [
    row.companies(company),
    row.movieCompanies({ movie_id, company_id: company.company_id }),
  ]);
}

function countryRows(movie_id: string, value: string): StagedRow[] {
  const countries = listOfDicts(value, 'production_countries').map((country, index) => ({
    country_code: textAt(country, 'iso_3166_1', `production_countries[${index}]`, true),
    name: textAt(country, 'name', `production_countries[${index}]`),
  }));
  return uniqueBy(countries, (country) => country.country_code ?? '').flatMap((country) => [
    row.countries(country),
    row.movieCountries({ movie_id, country_code: country.country_code }),
  ]);
}

function languageRows(movie_id: string, value: string): StagedRow[] {
  const languages = listOfDicts(value, 'spoken_languages').map((language, index) => ({
    language_code: textAt(language, 'iso_639_1', `spoken_languages[${index}]`, true),
    name: textAt(language, 'name', `spoken_languages[${index}]`),
  }));
  return uniqueBy(languages, (language) => language.language_code ?? '').flatMap((language) => [
    row.languages(language),
    row.movieLanguages({ movie_id, language_code: language.language_code }),
  ]);
}

/** The release-date dimension's row of a date isoDate has checked. */
function releaseDateRow(releaseDate: string, parts: DateParts): StagedRow {
  return row.releaseDates({
    release_date: releaseDate,
    year: String(parts.year),
    quarter: String(Math.ceil(parts.month / 3)),
    month: String(parts.month),
    day: String(parts.day),
    day_of_week: String(parts.dayOfWeek),
  });
}
