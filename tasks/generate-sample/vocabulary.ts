/**
 * Words the synthetic movies are made of. Genres, languages and countries are the real TMDB ones
 * (ids and names as the Kaggle files spell them), weighted roughly by their frequency there; the
 * rest is invented but keeps the real data's non-ASCII letters, apostrophes and quotes.
 */

/** The 20 TMDB genres of the dataset, with their real ids, weighted by how many movies carry them. */
export const GENRES: ReadonlyArray<{ id: number; name: string; weight: number }> = [
  { id: 18, name: 'Drama', weight: 20265 },
  { id: 35, name: 'Comedy', weight: 13182 },
  { id: 53, name: 'Thriller', weight: 7624 },
  { id: 10749, name: 'Romance', weight: 6735 },
  { id: 28, name: 'Action', weight: 6596 },
  { id: 27, name: 'Horror', weight: 4673 },
  { id: 80, name: 'Crime', weight: 4307 },
  { id: 99, name: 'Documentary', weight: 3932 },
  { id: 12, name: 'Adventure', weight: 3496 },
  { id: 878, name: 'Science Fiction', weight: 3049 },
  { id: 10751, name: 'Family', weight: 2770 },
  { id: 9648, name: 'Mystery', weight: 2467 },
  { id: 14, name: 'Fantasy', weight: 2313 },
  { id: 16, name: 'Animation', weight: 1935 },
  { id: 10769, name: 'Foreign', weight: 1622 },
  { id: 10402, name: 'Music', weight: 1598 },
  { id: 36, name: 'History', weight: 1398 },
  { id: 10752, name: 'War', weight: 1323 },
  { id: 37, name: 'Western', weight: 1042 },
  { id: 10770, name: 'TV Movie', weight: 767 },
];

export interface Language {
  code: string;
  /** The name TMDB gives it in spoken_languages (its own name, TMDB's spelling). */
  name: string;
  weight: number;
  country: string;
  /** Words for original titles in this language. */
  words: readonly string[];
}

export const LANGUAGES: readonly Language[] = [
  { code: 'en', name: 'English', weight: 320, country: 'US', words: [] },
  { code: 'fr', name: 'Français', weight: 24, country: 'FR', words: ['le', 'château', 'des', 'âmes', 'rêve', 'été', 'fenêtre', 'mémoire', 'cœur', 'forêt', 'garçon', "l'étranger", 'nuit', 'où', 'déjà', 'façade', 'noël'] },
  { code: 'it', name: 'Italiano', weight: 15, country: 'IT', words: ['la', 'città', 'perché', 'notte', 'dolce', 'più', 'così', 'caffè', "l'uomo", 'è', 'libertà', 'cuore'] },
  { code: 'ja', name: '日本語', weight: 13, country: 'JP', words: ['千と千尋', 'の', '神隠し', '東京', '物語', '夢', '七人', '侍', 'ゴジラ', '風', '谷', 'ナウシカ'] },
  { code: 'de', name: 'Deutsch', weight: 11, country: 'DE', words: ['die', 'Brücke', 'über', 'Straße', 'Mädchen', 'Glück', 'Müller', 'schön', 'Größe', 'für', 'Himmel', 'Weiß'] },
  { code: 'es', name: 'Español', weight: 10, country: 'ES', words: ['el', 'niño', 'año', 'corazón', 'señor', 'mañana', 'pequeña', 'canción', 'días', 'sueño', 'jamás', 'España'] },
  { code: 'ru', name: 'Pусский', weight: 8, country: 'RU', words: ['Возвращение', 'Брат', 'Сибирский', 'цирюльник', 'Иди', 'и', 'смотри', 'Солярис', 'Москва', 'слезам'] },
  { code: 'hi', name: 'हिन्दी', weight: 5, country: 'IN', words: ['दिलवाले', 'दुल्हनिया', 'ले', 'जायेंगे', 'शोले', 'लगान', 'प्यार'] },
  { code: 'ko', name: '한국어/조선말', weight: 4, country: 'KR', words: ['올드보이', '괴물', '살인의', '추억', '기생충', '봄', '여름'] },
  { code: 'zh', name: '普通话', weight: 4, country: 'CN', words: ['卧虎藏龙', '英雄', '霸王别姬', '活着', '红高粱', '大红灯笼', '高高挂'] },
  { code: 'sv', name: 'svenska', weight: 4, country: 'SE', words: ['det', 'sjunde', 'inseglet', 'smultronstället', 'fanny', 'och', 'älskade', 'på', 'höst'] },
  { code: 'pt', name: 'Português', weight: 3, country: 'BR', words: ['cidade', 'de', 'deus', 'ação', 'coração', 'irmão', 'São', 'paixão'] },
  { code: 'cn', name: '广州话 / 廣州話', weight: 3, country: 'HK', words: ['重慶森林', '花樣年華', '春光乍洩', '無間道', '英雄本色'] },
  { code: 'fi', name: 'suomi', weight: 3, country: 'FI', words: ['mies', 'vailla', 'menneisyyttä', 'kauas', 'pilvet', 'karkaavat', 'Äiti'] },
  { code: 'da', name: 'Dansk', weight: 2, country: 'DK', words: ['festen', 'jagten', 'søn', 'kærlighed', 'Ørnen', 'pigen', 'fra', 'øen'] },
  { code: 'pl', name: 'Polski', weight: 2, country: 'PL', words: ['nóż', 'w', 'wodzie', 'popiół', 'diament', 'dekalog', 'Łódź', 'życie'] },
  { code: 'tr', name: 'Türkçe', weight: 2, country: 'TR', words: ['kış', 'uykusu', 'bir', 'zamanlar', 'Anadolu', 'da', 'güneş', 'çiçek'] },
  { code: 'el', name: 'ελληνικά', weight: 1, country: 'GR', words: ['Ζορμπάς', 'ο', 'Έλληνας', 'θίασος', 'Κυνόδοντας'] },
  { code: 'fa', name: 'فارسی', weight: 1, country: 'IR', words: ['جدایی', 'نادر', 'از', 'سیمین', 'طعم', 'گیلاس'] },
  { code: 'cs', name: 'Český', weight: 1, country: 'CZ', words: ['ostře', 'sledované', 'vlaky', 'obchod', 'na', 'korze', 'Kolja', 'řeka'] },
  { code: 'xx', name: 'No Language', weight: 1, country: 'US', words: [] },
];

export const COUNTRIES: Readonly<Record<string, string>> = {
  US: 'United States of America',
  GB: 'United Kingdom',
  FR: 'France',
  IT: 'Italy',
  JP: 'Japan',
  DE: 'Germany',
  ES: 'Spain',
  RU: 'Russia',
  IN: 'India',
  KR: 'South Korea',
  CN: 'China',
  SE: 'Sweden',
  BR: 'Brazil',
  HK: 'Hong Kong',
  FI: 'Finland',
  DK: 'Denmark',
  PL: 'Poland',
  TR: 'Turkey',
  GR: 'Greece',
  IR: 'Iran',
  CZ: 'Czech Republic',
  CA: 'Canada',
  AU: 'Australia',
  BE: 'Belgium',
  LU: 'Luxembourg',
  CI: "Cote D'Ivoire",
  MX: 'Mexico',
  IE: 'Ireland',
};
export const CO_PRODUCER_COUNTRIES = ['GB', 'CA', 'FR', 'DE', 'AU', 'BE', 'LU', 'CI', 'MX', 'IE', 'US', 'ES'] as const;

export const FIRST_NAMES = {
  female: ['Anna', 'Maggie', 'Zoë', 'Chloé', 'Björk', 'Ingrid', 'Renée', 'Penélope', 'Małgorzata', 'Sinéad', 'Mia', 'Jane', 'Olga', 'Ayşe', 'Yūko', 'Mei', 'Hana', 'Grace', 'Juliette', 'Paz', 'Eva', 'Dörte', 'Ólöf', 'Susan'],
  male: ['Tom', 'Jean-Pierre', 'José', 'François', 'Jürgen', 'Søren', 'Bjørn', 'Rune', 'Tomáš', 'Ólafur', 'Michel', 'Robert', 'Chow', 'Kenji', 'Hiroshi', 'Andrzej', 'Mehmet', 'Ángel', 'Daniel', 'Peter', 'Jack', 'Max', 'Niall', 'Joël'],
} as const;
export const LAST_NAMES = [
  'Hanks', 'Ørnås', 'Lindström', 'Müller', 'Gómez', 'Dubois', 'Šťastný', 'Kowalczyk', "O'Neil", "D'Astier", "O'Haco", 'Núñez', 'Søndergaard',
  'Yamada', 'Takahashi', 'Chen', 'Kim', 'Ivanov', 'Petrović', 'Ferrari', 'Rossi', 'Smith', 'Jones', 'Barrett', 'Meek', 'Lasseter', 'Björnsson',
  'Eriksen', 'Çelik', 'Łukasiewicz', 'Dvořák', 'Négroponte', 'Allen', 'Moreau', 'Schäfer', 'van der Berg', 'de la Fuente', 'Rickles',
];
/** A few people credited under their native-script name, as TMDB lists them. */
export const NATIVE_NAMES = ['黒澤明', '三船敏郎', '周润发', '김기덕', 'Сергей Бондарчук', 'Αγγελόπουλος', 'عباس کیارستمی'];

export const ADJECTIVES = ['Silent', 'Last', 'Lost', 'Dark', 'Broken', 'Golden', 'Secret', 'Wild', 'Final', 'Hidden', 'Crimson', 'Little', 'Midnight', 'Forgotten', 'Electric', 'Savage', 'Sweet', 'Cold', 'Burning', 'Distant'];
export const NOUNS = ['River', 'City', 'Heart', 'Night', 'Summer', 'Stranger', 'Kingdom', 'Road', 'Game', 'Dream', 'Shadow', 'Garden', 'Storm', 'Promise', 'Island', 'Mirror', 'Harvest', 'Frontier', 'Symphony', 'Orchard', 'Café', 'Fiancée', 'Déjà Vu'];
export const OCCUPATIONS = ['documentary filmmaker', 'retired detective', 'struggling musician', 'small-town sheriff', 'young widow', 'con artist', 'schoolteacher', 'astronaut', 'chef', 'journalist', 'boxer', 'nurse', 'hitman', 'farmer', 'ballet dancer'];
export const PLACES = ['Central Park', 'a remote village', 'Paris', 'the Yukon', 'a Moscow suburb', 'São Paulo', 'Reykjavík', 'a border town', 'Kyoto', 'the Côte d’Azur', 'a prison in Texas', 'Berlin'];
export const ACTIONS = [
  'falls in love with',
  'is hunted by',
  'must protect',
  'teams up with',
  'uncovers a conspiracy involving',
  "can't escape",
  'is haunted by the memory of',
  'tries to reconcile with',
  'plots against',
  'becomes obsessed with',
];
export const EVENTS = [
  'a mysterious package arrives',
  'the war breaks out',
  'an old friend returns',
  'a storm cuts the town off',
  "the family's secret comes out",
  'a body is found in the lake',
  'the money disappears',
  'the last train leaves',
];
export const TAGLINES = [
  'Roll the dice and unleash the excitement!',
  'Still Yelling. Still Fighting. Still Ready for Love.',
  "Some secrets can't stay buried.",
  'The truth is out there.',
  'Nobody gets out alive.',
  'One night. One chance.',
  'Beware Of Frost Bites',
  'A love story for the ages',
  "He's back, and this time it's personal.",
  'Où est la vérité ?',
  'The adventure of a lifetime.',
];
/** Characters outside the Basic Multilingual Plane: four bytes in UTF-8, two UTF-16 units in JS. */
export const ASTRAL_TEXT = ['🎬', '🍿', '𝄞', '🌊'];

export const COMPANY_WORDS = ['Pictures', 'Films', 'Studios', 'Entertainment', 'Productions', 'Filmproduktion', 'Cinéma', 'Producciones', 'Media', 'Film Group'];
export const COMPANY_NAMES = [
  'Warner Bros.', 'Paramount Pictures', 'Universal Pictures', 'Columbia Pictures', 'Pixar Animation Studios', 'TriStar Pictures',
  'Canal+', 'France 3 Cinéma', 'Canal+ España', 'Televisión Española (TVE)', 'Tele München Fernseh Produktionsgesellschaft (TMG)',
  'Centre National de la Cinématographie (CNC)', 'Studio Ghibli', 'Toho Company', 'Mosfilm', 'Det Danske Filminstitut', 'Svensk Filmindustri (SF)',
];
/** Company names with an apostrophe: Python writes them in double quotes. */
export const APOSTROPHE_COMPANIES = ["Workin' Man Films", "Club d'Investissement Média", "D'Pelicula", "Children's Television Workshop", "Ocean's Pictures"];

export const STATUSES = ['Released', 'Rumored', 'Post Production', 'In Production', 'Planned', 'Canceled'] as const;
export const STATUS_WEIGHTS = [45014, 230, 98, 20, 15, 2];

export const CREW_JOBS: ReadonlyArray<[department: string, job: string]> = [
  ['Directing', 'Director'],
  ['Writing', 'Screenplay'],
  ['Writing', 'Writer'],
  ['Writing', 'Novel'],
  ['Production', 'Producer'],
  ['Production', 'Executive Producer'],
  ['Production', 'Casting'],
  ['Editing', 'Editor'],
  ['Camera', 'Director of Photography'],
  ['Sound', 'Original Music Composer'],
  ['Sound', 'Sound Re-Recording Mixer'],
  ['Art', 'Production Design'],
  ['Art', 'Art Direction'],
  ['Costume & Make-Up', 'Costume Design'],
  ['Costume & Make-Up', 'Makeup Artist'],
  ['Visual Effects', 'Visual Effects Supervisor'],
  ['Crew', 'Stunts'],
  ['Lighting', 'Gaffer'],
];

export const CHARACTER_ROLES = ['Himself', 'Herself', 'Narrator', 'Doctor', 'Bartender', 'Police Officer', 'Nurse', 'Reporter', 'Waitress', 'Soldier'];

export const KEYWORDS = [
  'jealousy', 'toy', 'boy', 'friendship', 'friends', 'rivalry', 'board game', 'disappearance', "based on children's book", 'new home',
  'recluse', 'giant insect', 'fishing', 'best friend', 'duringcreditsstinger', 'old men', 'based on novel', 'paris', 'france', 'new york',
  'love', 'murder', 'revenge', 'independent film', 'woman director', 'biography', 'sport', 'world war ii', 'musical', 'sequel',
  'ménage à trois', 'mafia', 'dystopia', 'time travel', 'high school', 'christmas', 'vampire', 'heist', 'road trip', 'small town',
  'alien', 'serial killer', 'kung fu', 'samurai', 'corruption', 'father son relationship', "mother's love", 'coming of age', 'island',
  'prison', 'escape', 'journalism', 'zombie', 'ghost', 'wedding', 'divorce', 'cat', 'dog', 'horse', 'train', 'München', 'São Paulo',
];
