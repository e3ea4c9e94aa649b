/**
 * One movie of movies_metadata.csv, drawn from its own random stream (so it is the same whichever
 * file asks for it): the 24 fields as text, in the real column order and value formats.
 */
import { type Catalogue, type Quirk } from './catalogue';
import { clamp, logNormal, weightedIndex } from './distributions';
import { pyFloat, pyRepr, type PyDict } from './python-literal';
import { Random } from './random';
import { englishTitle, imagePath, nativeTitle, overview, personName, plainSentence, slug, tagline } from './text';
import {
  APOSTROPHE_COMPANIES,
  ASTRAL_TEXT,
  CO_PRODUCER_COUNTRIES,
  COMPANY_NAMES,
  COMPANY_WORDS,
  COUNTRIES,
  GENRES,
  LANGUAGES,
  LAST_NAMES,
  STATUS_WEIGHTS,
  STATUSES,
  type Language,
} from './vocabulary';

export const MOVIES_HEADER = [
  'adult', 'belongs_to_collection', 'budget', 'genres', 'homepage', 'id', 'imdb_id', 'original_language',
  'original_title', 'overview', 'popularity', 'poster_path', 'production_companies', 'production_countries',
  'release_date', 'revenue', 'runtime', 'spoken_languages', 'status', 'tagline', 'title', 'video',
  'vote_average', 'vote_count',
] as const;
export const OVERVIEW_COLUMN = MOVIES_HEADER.indexOf('overview');

export interface MovieRecord {
  fields: string[];
  /** For a corrupt movie: the overview's two halves, written unquoted on two lines. */
  splitOverview?: [head: string, tail: string];
  revenue: number;
  budget: number;
  releaseDate: string;
  genreIds: number[];
}

const MONTH_WEIGHTS = [7, 6, 8, 8, 8, 8, 7, 8, 11, 11, 9, 9];
/** Summer and the holidays earn more: a box-office-by-month answer worth reporting. */
const MONTH_REVENUE_FACTOR = [0.75, 0.7, 0.85, 0.9, 1.25, 1.45, 1.35, 0.95, 0.75, 0.85, 1.2, 1.35];
const GENRE_COUNT_WEIGHTS = [5, 30, 33, 20, 9, 3];

export function movieRecord(catalogue: Catalogue, movie: number, copy: 'original' | 'differing' = 'original'): MovieRecord {
  const link = catalogue.movieLink[movie] as number;
  const tmdbId = catalogue.tmdbId[link] as number;
  const random = Random.derive(catalogue.seed, 'movie', tmdbId);
  const quirk = catalogue.quirksOf.get(movie);
  const fame = catalogue.movieFame[movie] as number;
  const quality = catalogue.movieQuality[movie] as number;
  const corruptDate = catalogue.corruptMovies.get(movie);

  const language = quirk === 'nativeTitle' ? (LANGUAGES.find((l) => l.code === 'ja') as Language) : LANGUAGES[weightedIndex(random, LANGUAGES.map((l) => l.weight))] as Language;
  const title = englishTitle(random);
  const originalTitle = language.words.length > 0 ? nativeTitle(random, language) : title;
  const { date: releaseDate, month } = releaseDateOf(random, quirk, corruptDate);
  const genreIds = genresOf(random);
  // Like the real broken rows, the corrupt movies have no budget or revenue to lose.
  const money = moneyOf(random, fame, language, releaseDate, month, quirk === 'floatIntegers');
  const { budget, revenue } = corruptDate ? { budget: 0, revenue: 0 } : money;
  const popularity = popularityOf(random, fame, quirk);
  const votes = votesOf(random, fame, quality);
  const floatIntegers = quirk === 'floatIntegers' || random.chance(0.12);
  const integer = (value: number) => (floatIntegers ? `${value}.0` : String(value));
  const differing = copy === 'differing' ? Random.derive(catalogue.seed, 'movie-copy', tmdbId) : undefined;

  const fields = [
    quirk === 'adultTrue' || random.chance(0.0002) ? 'True' : 'False',
    collectionOf(random, title, quirk),
    integer(budget),
    pyRepr(genreIds.map((id) => ({ id, name: (GENRES.find((g) => g.id === id) as { name: string }).name }))),
    random.chance(0.17) ? `http://www.${slug(title)}${random.pick(['.com/', 'movie.com/', '.co.uk/', '.de/'])}` : '',
    String(tmdbId),
    `tt${String(catalogue.imdbNumber[link]).padStart(7, '0')}`,
    language.code,
    originalTitle,
    overviewOf(random, quirk),
    pyFloat(differing ? Math.round(popularity * (1.05 + differing.next() / 5) * 1e6) / 1e6 : popularity),
    random.chance(0.008) ? '' : imagePath(random),
    companiesOf(random, quirk),
    countriesOf(random, language),
    releaseDate,
    integer(revenue),
    runtimeOf(random, quirk, genreIds),
    spokenLanguagesOf(random, language),
    quirk === 'emptyStatus' || random.chance(0.002) ? '' : statusOf(random, releaseDate),
    taglineOf(random, quirk),
    title,
    quirk === 'videoTrue' || random.chance(0.002) ? 'True' : 'False',
    (differing ? clamp(votes.average + 0.1, 0, 10) : votes.average).toFixed(1),
    integer(differing ? votes.count + 1 + differing.int(0, 20) : votes.count),
  ];
  const splitOverview: [string, string] | undefined = corruptDate ? [plainSentence(random), ` ${plainSentence(random)}`] : undefined;
  if (splitOverview) fields[OVERVIEW_COLUMN] = `${splitOverview[0]}\n${splitOverview[1]}`;
  return { fields, ...(splitOverview ? { splitOverview } : {}), revenue, budget, releaseDate, genreIds };
}

/** 1900–2017, most after 1980; a few movies without a date. */
function releaseDateOf(random: Random, quirk: Quirk | undefined, corruptDate: string | undefined) {
  const year = 2017 - Math.floor(117 * random.next() ** 4);
  const month = weightedIndex(random, MONTH_WEIGHTS) + 1;
  const day = random.int(1, month === 2 ? 28 : [4, 6, 9, 11].includes(month) ? 30 : 31);
  if (corruptDate) return { date: corruptDate, month: Number(corruptDate.slice(5, 7)) };
  if (quirk === 'emptyReleaseDate' || random.chance(0.002)) return { date: '', month };
  return { date: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`, month };
}

function genresOf(random: Random): number[] {
  const count = weightedIndex(random, GENRE_COUNT_WEIGHTS);
  const ids: number[] = [];
  while (ids.length < count) {
    const genre = GENRES[weightedIndex(random, GENRES.map((g) => g.weight))] as { id: number };
    if (!ids.includes(genre.id)) ids.push(genre.id);
  }
  return ids;
}

/**
 * Revenue is known for ~17% of movies and budget for ~20%, mostly the famous, English-language,
 * post-1970 ones; revenue follows budget, the release month and inflation.
 */
function moneyOf(random: Random, fame: number, language: Language, releaseDate: string, month: number, known: boolean) {
  const year = releaseDate ? Number(releaseDate.slice(0, 4)) : 2000;
  const odds = -2.6 + 1.3 * fame + (language.code === 'en' ? 0.7 : -0.6) + (year >= 1970 ? 0.5 : -1.2);
  const revenueKnown = known || (releaseDate !== '' && random.next() < 1 / (1 + Math.exp(-odds)));
  const budgetKnown = known || (revenueKnown ? random.chance(0.8) : random.chance(0.05));
  const era = Math.max(0.05, (year - 1895) / 122) ** 2;
  const scale = logNormal(random, Math.log(9e6), 1.1) * era * Math.exp(0.4 * fame);
  const budget = budgetKnown ? roundBudget(random, scale) : 0;
  const earned = scale * logNormal(random, Math.log(2.2), 1.0) * (MONTH_REVENUE_FACTOR[month - 1] ?? 1);
  // Saturates smoothly below ~3 billion, the real maximum (Avatar, 2.79 billion).
  const revenue = revenueKnown ? Math.max(1, Math.round(earned / (1 + earned / 3e9))) : 0;
  return { budget, revenue };
}

function roundBudget(random: Random, value: number): number {
  if (random.chance(0.01)) return random.int(1, 99); // the real data's "budget of 7": millions, surely
  const unit = value >= 1e6 ? 1e6 / (random.chance(0.5) ? 1 : 10) : 1e3;
  return Math.max(unit, Math.round(value / unit) * unit);
}

/** TMDB popularity with 6 decimals; a few tiny values print in scientific notation (`8.2e-05`). */
function popularityOf(random: Random, fame: number, quirk: Quirk | undefined): number {
  if (quirk === 'sciNotationPopularity' || random.chance(0.004)) return random.int(1, 99) / 1e6;
  return Math.max(1e-4, Math.round(Math.exp(0.1 + 1.2 * fame + 0.8 * random.normal()) * 1e6) / 1e6);
}

function votesOf(random: Random, fame: number, quality: number) {
  const count = random.chance(0.06) ? 0 : Math.round(Math.exp(2.2 + 1.5 * fame + 0.9 * random.normal()));
  const average = count === 0 ? 0 : clamp(Math.round((6.1 + 1.6 * quality + random.normal() * (2 / Math.sqrt(count + 1))) * 10) / 10, 0, 10);
  return { count, average };
}

function collectionOf(random: Random, title: string, quirk: Quirk | undefined): string {
  if (quirk !== 'noneInLiteral' && !random.chance(0.1)) return '';
  const base = title.split(/[:0-9]/)[0]?.trim() || title;
  const collection: PyDict = {
    id: random.int(10, 480000),
    name: `${base} Collection`,
    poster_path: quirk === 'noneInLiteral' || random.chance(0.15) ? null : imagePath(random),
    backdrop_path: quirk === 'noneInLiteral' || random.chance(0.25) ? null : imagePath(random),
  };
  return pyRepr(collection);
}

function overviewOf(random: Random, quirk: Quirk | undefined): string {
  if (quirk !== 'multilineOverview' && quirk !== 'quotedOverview') {
    if (random.chance(0.02)) return '';
    if (random.chance(0.01)) return 'No overview found.';
  }
  const text = overview(random, quirk === 'quotedOverview');
  return quirk === 'multilineOverview' || random.chance(0.01) ? `${text}\n - Written by ${personName(random, 0)}` : text;
}

function companiesOf(random: Random, quirk: Quirk | undefined): string {
  const count = weightedIndex(random, [26, 35, 20, 10, 6, 3]);
  const names = Array.from({ length: count }, () =>
    random.chance(0.3) ? random.pick(COMPANY_NAMES) : `${random.pick(LAST_NAMES)} ${random.pick(COMPANY_WORDS)}`,
  );
  if (quirk === 'apostropheInLiteral' || random.chance(0.01)) names.push(random.pick(APOSTROPHE_COMPANIES));
  if (quirk === 'mixedQuotesInLiteral') names.push(`The "Big" Boy's Films`);
  return pyRepr(names.map((name) => ({ name, id: Random.derive(0, 'company', name).int(1, 95000) })));
}

function countriesOf(random: Random, language: Language): string {
  if (random.chance(0.13)) return '[]';
  const codes = [language.country];
  for (let extra = weightedIndex(random, [80, 15, 5]); extra > 0; extra--) {
    const code = random.pick(CO_PRODUCER_COUNTRIES);
    if (!codes.includes(code)) codes.push(code);
  }
  return pyRepr(codes.map((code) => ({ iso_3166_1: code, name: COUNTRIES[code] ?? code })));
}

function spokenLanguagesOf(random: Random, language: Language): string {
  if (random.chance(0.08)) return '[]';
  const spoken = [language];
  if (random.chance(0.2)) {
    const other = LANGUAGES[weightedIndex(random, LANGUAGES.map((l) => l.weight))] as Language;
    if (other !== language) spoken.push(other);
  }
  return pyRepr(spoken.map((l) => ({ iso_639_1: l.code, name: l.name })));
}

function runtimeOf(random: Random, quirk: Quirk | undefined, genreIds: number[]): string {
  if (quirk === 'emptyRuntime' || random.chance(0.006)) return '';
  if (random.chance(0.03)) return '0.0';
  const short = genreIds.includes(16) || genreIds.includes(99);
  return pyFloat(Math.round(clamp((short ? 75 : 100) + 20 * random.normal(), 3, 300)));
}

function statusOf(random: Random, releaseDate: string): string {
  if (releaseDate >= '2017-06') return random.pick(['Released', 'Post Production', 'In Production']);
  return STATUSES[weightedIndex(random, STATUS_WEIGHTS)] as string;
}

function taglineOf(random: Random, quirk: Quirk | undefined): string {
  if (quirk === 'astralTagline') return `${tagline(random)} ${random.pick(ASTRAL_TEXT)}`;
  return random.chance(0.55) ? '' : tagline(random);
}
