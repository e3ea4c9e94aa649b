/**
 * links.csv (`movieId,imdbId,tmdbId`) in MovieLens id order: imdbId keeps its leading zeros,
 * some tmdbId are empty, some TMDB ids are mapped from two MovieLens ids, some point to movies
 * absent from movies_metadata. CRLF line endings and no final line ending.
 */
import { LinkKind, type Catalogue } from './catalogue';
import { emit, RecordChunks, type SampleFile } from './csv-output';

export const LINKS_FILE: SampleFile = { name: 'links.csv', lineEnding: '\r\n', finalNewline: false };

export interface LinksCounts {
  records: number;
  emptyTmdbIds: number;
  doublyMappedTmdbIds: number;
  absentTmdbIds: number;
}

export function* linkChunks(catalogue: Catalogue, counts: LinksCounts): Generator<Buffer> {
  const out = new RecordChunks(LINKS_FILE);
  yield* emit(out, 'movieId,imdbId,tmdbId');
  for (let link = 0; link < catalogue.movieLensId.length; link++) {
    const kind = catalogue.linkKind[link];
    if (kind === LinkKind.emptyTmdbId) counts.emptyTmdbIds++;
    if (kind === LinkKind.absentTmdbId) counts.absentTmdbIds++;
    if (kind === LinkKind.secondMapping) counts.doublyMappedTmdbIds++;
    const tmdbId = kind === LinkKind.emptyTmdbId ? '' : String(catalogue.tmdbId[link]);
    const imdbId = String(catalogue.imdbNumber[link]).padStart(7, '0');
    yield* emit(out, `${catalogue.movieLensId[link]},${imdbId},${tmdbId}`);
  }
  counts.records = out.count - 1;
  yield out.end();
}
