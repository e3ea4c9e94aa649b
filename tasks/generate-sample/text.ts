/** Titles, overviews, names and paths for synthetic movies, drawn from the vocabulary. */
import type { Random } from './random';
import {
  ACTIONS,
  ADJECTIVES,
  EVENTS,
  FIRST_NAMES,
  LAST_NAMES,
  NATIVE_NAMES,
  NOUNS,
  OCCUPATIONS,
  PLACES,
  TAGLINES,
  type Language,
} from './vocabulary';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const HEX = '0123456789abcdef';

export function englishTitle(random: Random): string {
  const noun = random.pick(NOUNS);
  switch (random.int(0, 6)) {
    case 0:
      return `The ${random.pick(ADJECTIVES)} ${noun}`;
    case 1:
      return `${noun} of the ${random.pick(NOUNS)}`;
    case 2:
      return `${random.pick([...FIRST_NAMES.female, ...FIRST_NAMES.male])}'s ${noun}`;
    case 3:
      return `${random.pick(ADJECTIVES)} ${noun} ${random.pick(['II', '2', '3: The Return', 'Part IV'])}`;
    case 4:
      return `${noun}: ${random.pick(ADJECTIVES)} ${random.pick(NOUNS)}`;
    case 5:
      return `Love, ${random.pick(PLACES.slice(1, 6))}`;
    default:
      return `${random.pick(ADJECTIVES)} ${noun}`;
  }
}

/** An original title in the movie's own language and script. */
export function nativeTitle(random: Random, language: Language): string {
  const count = random.int(1, 3);
  const words = Array.from({ length: count }, () => random.pick(language.words));
  const joiner = ['ja', 'zh', 'cn'].includes(language.code) ? '' : ' ';
  const title = words.join(joiner);
  return title.charAt(0).toUpperCase() + title.slice(1);
}

export function personName(random: Random, gender: number): string {
  if (random.chance(0.02)) return random.pick(NATIVE_NAMES);
  const firstNames = gender === 1 ? FIRST_NAMES.female : gender === 2 ? FIRST_NAMES.male : [...FIRST_NAMES.female, ...FIRST_NAMES.male];
  return `${random.pick(firstNames)} ${random.pick(LAST_NAMES)}`;
}

/** One to four sentences, with commas and apostrophes; `quoted` adds a nickname in double quotes. */
export function overview(random: Random, quoted: boolean): string {
  const hero = personName(random, random.int(1, 2));
  const other = personName(random, random.int(1, 2));
  const nickname = quoted || random.chance(0.08) ? ` known as "${random.pick(ADJECTIVES)} ${random.pick(NOUNS)}"` : '';
  const sentences = [
    `${hero}, a ${random.pick(OCCUPATIONS)} from ${random.pick(PLACES)}${nickname}, ${random.pick(ACTIONS)} ${other}.`,
    `When ${random.pick(EVENTS)}, ${hero.split(' ')[0] ?? hero} ${random.pick(ACTIONS)} the ${random.pick(NOUNS).toLowerCase()}.`,
    `Based on the novel by ${personName(random, 0)}.`,
    `But ${random.pick(EVENTS)} and nothing will ever be the same.`,
  ];
  return sentences.slice(0, random.int(1, 4)).join(' ');
}

/** Text with no comma, quote or line break, for the halves of a corrupt row (written unquoted). */
export function plainSentence(random: Random): string {
  const text = `${personName(random, random.int(1, 2))} ${random.pick(ACTIONS)} the ${random.pick(ADJECTIVES).toLowerCase()} ${random.pick(NOUNS).toLowerCase()} in ${random.pick(PLACES)}.`;
  return text.replace(/[",\r\n]/g, '');
}

export function tagline(random: Random): string {
  return random.chance(0.5) ? random.pick(TAGLINES) : `${random.pick(ADJECTIVES)} ${random.pick(NOUNS).toLowerCase()}. ${random.pick(TAGLINES)}`;
}

/** A TMDB image path: `/` + 27 base-62 characters + `.jpg`. */
export function imagePath(random: Random): string {
  let path = '/';
  for (let i = 0; i < 27; i++) path += BASE62.charAt(random.int(0, 61));
  return `${path}.jpg`;
}

/** A TMDB credit id: 24 hex digits, MongoDB ObjectId-like (`52fe4284c3a36847f8024f95`). */
export function creditId(random: Random): string {
  let id = random.pick(['52fe', '5389', '5572', '58d3']);
  for (let i = 0; i < 20; i++) id += HEX.charAt(random.int(0, 15));
  return id;
}

export function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[^A-Za-z0-9]+/g, '')
    .toLowerCase()
    .slice(0, 24) || 'movie';
}
