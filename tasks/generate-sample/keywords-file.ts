/**
 * keywords.csv (`id,keywords`): a Python-literal list of `{'id': n, 'name': '…'}` sorted by id,
 * empty (`[]`) for about a third of the movies; rows follow the movies' order, with identical
 * extra copies as in the real file. LF line endings, final newline.
 */
import type { Catalogue } from './catalogue';
import { clamp, logNormal } from './distributions';
import { csvRecord, emit, RecordChunks, type SampleFile } from './csv-output';
import { pyRepr } from './python-literal';
import { Random } from './random';
import { KEYWORDS } from './vocabulary';

export const KEYWORDS_FILE: SampleFile = { name: 'keywords.csv', lineEnding: '\n', finalNewline: true };

export interface KeywordsCounts {
  records: number;
  duplicateRows: number;
}

const KEYWORD_IDS = KEYWORDS.map((name, index) => ({ id: 100 + index * 3700 + Random.derive(0, 'keyword', name).int(0, 3600), name }));

export function* keywordChunks(catalogue: Catalogue, counts: KeywordsCounts): Generator<Buffer> {
  const out = new RecordChunks(KEYWORDS_FILE);
  yield* emit(out, 'id,keywords');
  for (let movie = 0; movie < catalogue.scale.movies; movie++) {
    yield* emit(out, keywordsRecord(catalogue, movie));
    for (const copy of catalogue.keywordsDuplicates.get(movie) ?? []) {
      counts.duplicateRows++;
      yield* emit(out, keywordsRecord(catalogue, copy.movie));
    }
  }
  counts.records = out.count - 1;
  yield out.end();
}

function keywordsRecord(catalogue: Catalogue, movie: number): string {
  const tmdbId = catalogue.tmdbId[catalogue.movieLink[movie] as number] as number;
  const random = Random.derive(catalogue.seed, 'keywords', tmdbId);
  const size = random.chance(0.32) ? 0 : Math.round(clamp(logNormal(random, Math.log(6), 0.7), 1, 40));
  const chosen = random.distinct(KEYWORD_IDS.length, size).sort((a, b) => a - b);
  return csvRecord([String(tmdbId), pyRepr(chosen.map((index) => KEYWORD_IDS[index] as { id: number; name: string }))]);
}
