/** `keywords.csv` -> keywords, movie_keywords. `keywords` is a Python-literal list of `{'id', 'name'}`. */
import { RAW_SOURCE } from '../../core/lake/layout';
import { idAt, listOfDicts, textAt } from '../literal-columns';
import { rowOf, type SourceMapping } from '../mapping';
import { identifier } from '../values';
import { fieldsOf, uniqueBy } from './columns';

export const KEYWORDS_HEADER = ['id', 'keywords'] as const;

const field = fieldsOf(KEYWORDS_HEADER);
const row = { keywords: rowOf('keywords'), movieKeywords: rowOf('movie_keywords') };

/** The record's key: its movie id. */
const keyOf = (fields: readonly string[]): number => identifier(field(fields, 'id'), 'id');

export const keywordsMapping: SourceMapping = {
  source: 'keywords',
  raw: { source: RAW_SOURCE.movies, file: 'keywords.csv' },
  expectedHeader: KEYWORDS_HEADER,
  datasets: ['keywords', 'movie_keywords'],
  dimensions: ['keywords'],
  keyOf,
  map(fields) {
    const movieId = keyOf(fields);
    const movie_id = String(movieId);
    const keywords = listOfDicts(field(fields, 'keywords'), 'keywords').map((keyword, index) => ({
      keyword_id: idAt(keyword, 'id', `keywords[${index}]`),
      name: textAt(keyword, 'name', `keywords[${index}]`, true),
    }));
    const rows = uniqueBy(keywords, (keyword) => keyword.keyword_id).flatMap((keyword) => [
      row.keywords(keyword),
      row.movieKeywords({ movie_id, keyword_id: keyword.keyword_id }),
    ]);
    return { key: movieId, rows };
  },
};
