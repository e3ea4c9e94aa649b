/**
 * credits.csv (`cast,crew,id`): Python-literal lists of cast and crew dicts, keys in TMDB's order,
 * people drawn from a shared pool so that famous people recur across movies. Rows follow the
 * movies' order with a few identical extra copies; LF line endings and no final newline, as the
 * real extract.
 */
import type { Catalogue } from './catalogue';
import { clamp, logNormal } from './distributions';
import { csvRecord, emit, RecordChunks, type SampleFile } from './csv-output';
import { pyRepr, type PyDict } from './python-literal';
import { Random } from './random';
import { creditId, imagePath, personName } from './text';
import { CHARACTER_ROLES, CREW_JOBS, FIRST_NAMES, LAST_NAMES, NOUNS } from './vocabulary';

export const CREDITS_FILE: SampleFile = { name: 'credits.csv', lineEnding: '\n', finalNewline: false };

export interface CreditsCounts {
  records: number;
  duplicateRows: number;
}

interface Person {
  id: number;
  name: string;
  gender: number;
  profile_path: string | null;
}

export function* creditChunks(catalogue: Catalogue, counts: CreditsCounts): Generator<Buffer> {
  const out = new RecordChunks(CREDITS_FILE);
  yield* emit(out, 'cast,crew,id');
  for (let movie = 0; movie < catalogue.scale.movies; movie++) {
    yield* emit(out, creditsRecord(catalogue, movie));
    for (const copy of catalogue.creditsDuplicates.get(movie) ?? []) {
      counts.duplicateRows++;
      yield* emit(out, creditsRecord(catalogue, copy.movie));
    }
  }
  counts.records = out.count - 1;
  yield out.end();
}

function creditsRecord(catalogue: Catalogue, movie: number): string {
  const tmdbId = catalogue.tmdbId[catalogue.movieLink[movie] as number] as number;
  const random = Random.derive(catalogue.seed, 'credits', tmdbId);
  const fame = catalogue.movieFame[movie] as number;
  const castSize = random.chance(0.05) ? 0 : Math.round(clamp(logNormal(random, Math.log(9) + 0.3 * fame, 0.8), 1, 120));
  const crewSize = random.chance(0.02) ? 0 : Math.round(clamp(logNormal(random, Math.log(8) + 0.4 * fame, 1.0), 1, 200));
  const mixedQuotes = catalogue.quirksOf.get(movie) === 'mixedQuotesInLiteral';
  let castId = random.int(0, 20);
  const cast: PyDict[] = Array.from({ length: castSize }, (_, order) => {
    const person = personOf(catalogue, random);
    return {
      cast_id: castId++,
      character: mixedQuotes && order === 0 ? `Jack "Jackie" O'Neil` : characterOf(random, person),
      credit_id: creditId(random),
      gender: person.gender,
      id: person.id,
      name: person.name,
      order,
      profile_path: person.profile_path,
    };
  });
  const crew: PyDict[] = Array.from({ length: crewSize }, (_, index) => {
    const person = personOf(catalogue, random);
    const [department, job] = index === 0 ? (CREW_JOBS[0] as [string, string]) : random.pick(CREW_JOBS);
    return {
      credit_id: creditId(random),
      department,
      gender: person.gender,
      id: person.id,
      job,
      name: person.name,
      profile_path: person.profile_path,
    };
  });
  return csvRecord([pyRepr(cast), pyRepr(crew), String(tmdbId)]);
}

/** A person from the pool, low ids (the famous) far more often; the same id is always the same person. */
function personOf(catalogue: Catalogue, random: Random): Person {
  const index = Math.floor(catalogue.scale.people * random.next() ** 2.5);
  const id = 1 + index * 6 + (index % 5);
  const own = Random.derive(catalogue.seed, 'person', id);
  const gender = own.chance(0.2) ? 0 : own.int(1, 2);
  return { id, name: personName(own, gender), gender, profile_path: own.chance(0.3) ? null : imagePath(own) };
}

/** Character names as TMDB has them, apostrophes and nicknames included (`Savannah 'Vannah' Jackson`). */
function characterOf(random: Random, person: Person): string {
  const first = random.pick(person.gender === 1 ? FIRST_NAMES.female : FIRST_NAMES.male);
  switch (random.int(0, 9)) {
    case 0:
      return `${first} '${random.pick(NOUNS)}' ${random.pick(LAST_NAMES)}`;
    case 1:
      return `${first}'s ${random.pick(CHARACTER_ROLES)}`;
    case 2:
    case 3:
      return random.pick(CHARACTER_ROLES);
    case 4:
      return `${first} (voice)`;
    case 5:
      return random.chance(0.5) ? '' : `${first} ${random.pick(LAST_NAMES)}`;
    default:
      return `${first} ${random.pick(LAST_NAMES)}`;
  }
}
