/**
 * The fast lane of the Python-literal reader against the general parser, on many generated texts
 * (seeded, so a failure replays): lists of dicts in the plain shape repr() writes, the same with
 * what the lane must refuse (escapes, other spacing, floats, signs, leading zeros, long numbers,
 * nesting, trailing commas), and random mutations of both. Whenever the lane gives a value, the
 * general parser gives the same one; on plain texts the lane must answer (or it is never used).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readPlainDictList, LiteralDict } from '../tasks/transform/python-literal-plain';
import { readPythonLiteral, readPythonLiteralInFull, type LiteralValue } from '../tasks/transform/python-literal';
import { Random } from '../tasks/generate-sample/random';

/** A value with dicts as [key, value] pairs, comparable with toEqual (and -0 told from 0). */
function plainOf(value: LiteralValue): unknown {
  if (value instanceof LiteralDict) return { dict: value.keys.map((key, i) => [key, plainOf(value.values[i] as LiteralValue)]) };
  if (Array.isArray(value)) return value.map(plainOf);
  return Object.is(value, -0) ? '-0' : value;
}

/** Seeded, so a failure replays: the project's own generator (generate-sample's). */
const stream = Random.derive(42, 'python-literal-plain');
const random = () => stream.next();
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

const KEYS = ['id', 'name', 'cast_id', 'character', 'credit_id', 'gender', 'order', 'profile_path', 'iso_3166_1', ''];
const STRINGS = ["'Animation'", '"based on children\'s book"', "'Penélope Schäfer'", "''", '""', "'中文 😀'", "'a\"b'", "'line\nbreak'"];
const SCALARS = ['0', '16', '-7', '-0', '123456789012345', 'None', 'True', 'False'];
/** What the lane must leave to the general parser, or what is not a literal at all. */
const OUTSIDE = [
  '1234567890123456',
  '007',
  '+5',
  '1.0',
  '8.2e-05',
  '.5',
  'Nonee',
  'none',
  "u'x'",
  "r'x'",
  "'it\\'s'",
  "'\\x41'",
  '[1]',
  "{'a': 1}",
  '(1,)',
  "'unterminated",
  '12abc',
];

function plainDict(outside: boolean): string {
  const count = Math.floor(random() * 9);
  const entries = Array.from({ length: count }, () => {
    const value = outside && random() < 0.2 ? pick(OUTSIDE) : random() < 0.5 ? pick(STRINGS) : pick(SCALARS);
    return `'${pick(KEYS)}': ${value}`;
  });
  return `{${entries.join(', ')}}`;
}

function plainList(outside: boolean): string {
  const dicts = Array.from({ length: Math.floor(random() * 6) }, () => plainDict(outside));
  return `[${dicts.join(', ')}]`;
}

function mutate(text: string): string {
  const at = Math.floor(random() * (text.length + 1));
  const piece = pick([' ', ',', ', ', ':', ': ', "'", '"', '[', ']', '{', '}', '\\', '\n', '0', '-', '.', 'e', 'N', '']);
  return random() < 0.5 ? text.slice(0, at) + piece + text.slice(at) : text.slice(0, at) + piece + text.slice(at + 1);
}

function expectLaneAgrees(text: string): boolean {
  const lane = readPlainDictList(text);
  if (lane === undefined) return false;
  const full = readPythonLiteralInFull(text);
  if (!full.ok) throw new Error(`the lane read ${JSON.stringify(text)}, the general parser refused it: ${full.error.message}`);
  expect(plainOf(lane)).toEqual(plainOf(full.value));
  return true;
}

describe('python literal reader: the fast lane agrees with the general parser', () => {
  it('reads every plain list of dicts, to the same value', () => {
    for (let i = 0; i < 3000; i++) {
      const text = plainList(false);
      expect(expectLaneAgrees(text)).toBe(true);
    }
  });

  it('leaves what is outside the plain shape to the general parser, and never disagrees with it', () => {
    let taken = 0;
    let left = 0;
    for (let i = 0; i < 6000; i++) {
      const base = plainList(i % 2 === 0);
      const text = i % 3 === 0 ? base : mutate(mutate(base));
      if (expectLaneAgrees(text)) taken++;
      else left++;
      // Whatever lane answered, the reader as a whole answers as the general parser does.
      expect(plainOf(unwrap(readPythonLiteral(text)))).toEqual(plainOf(unwrap(readPythonLiteralInFull(text))));
    }
    expect(taken).toBeGreaterThan(1000);
    expect(left).toBeGreaterThan(1000);
    for (const text of [' []', '[] ', '[ ]', '[{}, ]', "[{'id': 1,}]", "[{'id' : 1}]", "[{'id':1}]", "[{'id': 1},{'id': 2}]", '[None]']) {
      expect(readPlainDictList(text)).toBeUndefined();
    }
  });

  it('reads a real credits cast column through the lane', () => {
    const credits = readFileSync(path.join(__dirname, 'fixtures', 'real', 'credits.head.csv'), 'utf8');
    const cast = /^"(\[\{'cast_id'.*?\}\])"/m.exec(credits)?.[1]?.replace(/""/g, '"') as string;
    expect(cast.length).toBeGreaterThan(1000);
    expect(expectLaneAgrees(cast)).toBe(true);
  });
});

function unwrap(result: ReturnType<typeof readPythonLiteral>): LiteralValue | string {
  return result.ok ? result.value : `error at ${result.error.offset}: ${result.error.message}`;
}
