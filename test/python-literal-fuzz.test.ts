/**
 * Properties of the Python-literal parser, on many generated inputs (seeded, so a failure replays):
 * - every value CPython's repr() printed (a committed corpus) parses back to that value;
 * - random values serialised in Python-literal style, with either quote style and random spacing,
 *   parse back to themselves;
 * - random garbage and mutated literals never throw: the result is a value or an error whose
 *   offset lies inside the text.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Random } from '../tasks/generate-sample/random';
import type { PyKey } from '../tasks/transform/python-literal';
import { parsePythonLiteral, type PyValue } from './support/python-literal-maps';

/** Seeded, so a failing case replays: the project's own generator (generate-sample's). */
function prng(seed: number): () => number {
  const stream = Random.derive(seed, 'python-literal-fuzz');
  return () => stream.next();
}

type Tagged = null | boolean | number | string | { list: Tagged[] } | { dict: Array<[Tagged, Tagged]> };

function untag(value: Tagged): PyValue {
  if (value !== null && typeof value === 'object') {
    if ('list' in value) return value.list.map(untag);
    return new Map(value.dict.map(([key, item]) => [untag(key) as PyKey, untag(item)]));
  }
  return value;
}

describe('python literal parser: properties', () => {
  it('reads back every value CPython repr() printed', () => {
    const corpus = readFileSync(path.join(__dirname, 'fixtures', 'python-literal-corpus.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { literal: string; value: Tagged });
    expect(corpus).toHaveLength(400);
    for (const { literal, value } of corpus) {
      const parsed = parsePythonLiteral(literal);
      expect(parsed).toEqual({ ok: true, value: untag(value) });
    }
  });

  it('round-trips random values written with both quote styles and random spacing', () => {
    const random = prng(1);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const chars = ['a', 'Z', '0', ' ', "'", '"', '\\', '\n', '\r', '\t', '\0', '\x7f', 'é', '中', '😀', '{', ']', ',', ':'];
    const space = () => pick(['', '', ' ', '  ', '\n', '\t ']);

    const randomString = () => Array.from({ length: Math.floor(random() * 10) }, () => pick(chars)).join('');
    const randomNumber = () =>
      pick([
        () => Math.floor(random() * 2_000_001) - 1_000_000,
        () => (random() - 0.5) * 10 ** Math.floor(random() * 40 - 20),
        () => 8.2e-5,
        () => -0.5,
      ])();
    const randomKey = (): PyKey => pick<() => PyKey>([randomString, () => Math.floor(random() * 100) - 50, () => null, () => true])();
    const randomValue = (depth: number): PyValue => {
      const kinds: Array<() => PyValue> = [() => null, () => random() < 0.5, randomNumber, randomString, randomString];
      if (depth < 4) {
        kinds.push(
          () => Array.from({ length: Math.floor(random() * 4) }, () => randomValue(depth + 1)),
          () => new Map(Array.from({ length: Math.floor(random() * 4) }, () => [randomKey(), randomValue(depth + 1)] as const)),
        );
      }
      return pick(kinds)();
    };

    const writeString = (value: string): string => {
      const quote = random() < 0.5 ? "'" : '"';
      const chars = Array.from(value);
      const escaped = chars.map((char, index) => {
        if (char === '\\') return '\\\\';
        if (char === quote) return `\\${quote}`;
        if (char === '\n') return '\\n';
        if (char === '\r') return '\\r';
        if (char === '\t') return pick(['\\t', '\t']);
        // `\0` before an octal digit would read as one longer octal escape, in Python too.
        if (char === '\0') return pick(/^[0-7]$/.test(chars[index + 1] ?? '') ? ['\\x00', '\\000', '\\u0000'] : ['\\x00', '\\0', '\\000', '\\u0000']);
        if (char === '\x7f') return '\\x7f';
        if (char === '😀') return pick(['😀', '\\U0001f600']);
        return char;
      }).join('');
      return `${quote}${escaped}${quote}`;
    };
    const write = (value: PyValue): string => {
      if (value === null) return 'None';
      if (value === true) return 'True';
      if (value === false) return 'False';
      if (typeof value === 'number') return Number.isInteger(value) && random() < 0.5 ? `${value}.0` : String(value);
      if (typeof value === 'string') return writeString(value);
      if (Array.isArray(value)) {
        const items = value.map((item) => `${space()}${write(item)}${space()}`);
        if (random() < 0.3) return `(${items.join(',')}${items.length === 1 ? ',' : ''})`;
        return `[${items.join(',')}${items.length > 0 && random() < 0.2 ? ',' : ''}]`;
      }
      const entries = [...value.entries()].map(([key, item]) => `${space()}${write(key)}${space()}:${space()}${write(item)}`);
      return `{${entries.join(',')}}`;
    };

    for (let i = 0; i < 3000; i++) {
      const value = randomValue(0);
      const literal = `${space()}${write(value)}${space()}`;
      const parsed = parsePythonLiteral(literal);
      if (!parsed.ok) throw new Error(`${JSON.stringify(literal)} failed: ${parsed.error.message} at ${parsed.error.offset}`);
      expect(parsed.value).toEqual(value);
    }
  });

  it('never throws on random garbage or mutated literals, and reports an offset inside the text', () => {
    const random = prng(2);
    const alphabet = `[](){}:,'"\\ \n.-+eE0123456789NoneTrueFalsexuU_abc中😀`;
    const seeds = readFileSync(path.join(__dirname, 'fixtures', 'python-literal-corpus.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { literal: string }).literal);
    let errors = 0;
    for (let i = 0; i < 5000; i++) {
      let text: string;
      if (i % 2 === 0) {
        text = Array.from({ length: Math.floor(random() * 30) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      } else {
        const seed = seeds[i % seeds.length] as string;
        const at = Math.floor(random() * (seed.length + 1));
        const mutation = Math.floor(random() * 3);
        const char = alphabet[Math.floor(random() * alphabet.length)] as string;
        text =
          mutation === 0 ? seed.slice(0, at) + seed.slice(at + 1) : mutation === 1 ? seed.slice(0, at) + char + seed.slice(at) : seed.slice(0, at);
      }
      const result = parsePythonLiteral(text);
      if (!result.ok) {
        errors++;
        expect(result.error.offset).toBeGreaterThanOrEqual(0);
        expect(result.error.offset).toBeLessThanOrEqual(text.length);
        expect(result.error.message.length).toBeGreaterThan(0);
      }
    }
    expect(errors).toBeGreaterThan(2500);
  });
});
