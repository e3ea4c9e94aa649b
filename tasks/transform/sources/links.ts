/**
 * `links.csv` -> links: MovieLens id -> IMDb id (text: leading zeros are part of it) and TMDB id
 * (empty for a few movies: NULL). Two MovieLens ids may map to one TMDB id; that is not a duplicate.
 */
import { RAW_SOURCE } from '../../core/lake/layout';
import { rowOf, type SourceMapping } from '../mapping';
import { identifier, integer, text } from '../values';
import { fieldsOf } from './columns';

export const LINKS_HEADER = ['movieId', 'imdbId', 'tmdbId'] as const;

const field = fieldsOf(LINKS_HEADER);
const row = rowOf('links');

/** The record's key: its MovieLens id. */
const keyOf = (fields: readonly string[]): number => identifier(field(fields, 'movieId'), 'movieId');

export const linksMapping: SourceMapping = {
  source: 'links',
  raw: { source: RAW_SOURCE.movies, file: 'links.csv' },
  expectedHeader: LINKS_HEADER,
  datasets: ['links'],
  dimensions: [],
  keyOf,
  map(fields) {
    const movielensId = keyOf(fields);
    return {
      key: movielensId,
      rows: [
        row({
          movielens_id: String(movielensId),
          imdb_id: text(field(fields, 'imdbId'), 'imdbId'),
          tmdb_id: integer(field(fields, 'tmdbId'), 'tmdbId', { min: 1n }),
        }),
      ],
    };
  },
};
