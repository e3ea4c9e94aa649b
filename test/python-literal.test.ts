/**
 * The Python-literal parser on examples: every construct repr() writes, the real columns of the
 * Kaggle files, and malformed input reported with an offset and a reason.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MAX_DEPTH } from '../tasks/transform/python-literal';
import { parsePythonLiteral, type PyValue } from './support/python-literal-maps';

function parse(text: string): PyValue {
  const result = parsePythonLiteral(text);
  if (!result.ok) throw new Error(`expected ${text} to parse, got offset ${result.error.offset}: ${result.error.message}`);
  return result.value;
}

function failure(text: string): { offset: number; message: string } {
  const result = parsePythonLiteral(text);
  if (result.ok) throw new Error(`expected ${text} to fail, got ${String(result.value)}`);
  return result.error;
}

describe('python literal parser: values', () => {
  it('reads None, True, False', () => {
    expect(parse('None')).toBeNull();
    expect(parse('True')).toBe(true);
    expect(parse(' False ')).toBe(false);
  });

  it('reads ints and floats: signs, leading dot, trailing dot, scientific notation', () => {
    expect(parse('0')).toBe(0);
    expect(parse('-42')).toBe(-42);
    expect(parse('+7')).toBe(7);
    expect(parse('123.0')).toBe(123);
    expect(parse('.5')).toBe(0.5);
    expect(parse('5.')).toBe(5);
    expect(parse('8.2e-05')).toBe(8.2e-5);
    expect(parse('-1.5E+3')).toBe(-1500);
    expect(parse('1e16')).toBe(1e16);
    expect(parse('007.5')).toBe(7.5);
    expect(parse('00')).toBe(0);
  });

  it('reads strings in both quote styles with every escape', () => {
    expect(parse(`'it\\'s'`)).toBe("it's");
    expect(parse(`"based on children's book"`)).toBe("based on children's book");
    expect(parse(`"say \\"hi\\""`)).toBe('say "hi"');
    expect(parse(`'a\\nb\\tc\\rd\\\\e'`)).toBe('a\nb\tc\rd\\e');
    expect(parse(`'\\a\\b\\f\\v\\0\\101\\x41\\u00e9\\U0001F600'`)).toBe('\x07\b\f\v\0AA\u00e9\u{1F600}');
    expect(parse(`'\\xa0Ørnås 中文'`)).toBe('\u00a0Ørnås 中文');
    expect(parse(`'unknown \\d escape'`)).toBe('unknown \\d escape');
    expect(parse(`'line \\\ncontinued'`)).toBe('line continued');
    expect(parse(`''`)).toBe('');
    expect(parse(`u'prefixed'`)).toBe('prefixed');
    expect(parse(`r'raw \\n \\' kept'`)).toBe("raw \\n \\' kept");
  });

  it('reads lists, tuples, dicts, nesting and trailing commas', () => {
    expect(parse('[]')).toEqual([]);
    expect(parse('[1, 2,]')).toEqual([1, 2]);
    expect(parse('()')).toEqual([]);
    expect(parse('(1,)')).toEqual([1]);
    expect(parse('(1)')).toBe(1);
    expect(parse('(1, (2, 3), [4])')).toEqual([1, [2, 3], [4]]);
    expect(parse("{'a': 1, 2: None, True: [], None: {}, 1.5: 'x',}")).toEqual(
      new Map<string | number | boolean | null, PyValue>([
        ['a', 1],
        [2, null],
        [true, []],
        [null, new Map()],
        [1.5, 'x'],
      ]),
    );
    expect(parse("{'a': 1, 'a': 2}")).toEqual(new Map([['a', 2]]));
    expect(parse(' [ {\n\'id\' :\t1 } ] ')).toEqual([new Map([['id', 1]])]);
  });

  it('reads the real columns of the Kaggle files', () => {
    const movies = readFileSync(path.join(__dirname, 'fixtures', 'real', 'movies_metadata.head.csv'), 'utf8');
    expect(movies).toContain("[{'id': 16, 'name': 'Animation'}, {'id': 35, 'name': 'Comedy'}, {'id': 10751, 'name': 'Family'}]");
    expect(parse("[{'id': 16, 'name': 'Animation'}, {'id': 35, 'name': 'Comedy'}, {'id': 10751, 'name': 'Family'}]")).toEqual([
      new Map<string, PyValue>([
        ['id', 16],
        ['name', 'Animation'],
      ]),
      new Map<string, PyValue>([
        ['id', 35],
        ['name', 'Comedy'],
      ]),
      new Map<string, PyValue>([
        ['id', 10751],
        ['name', 'Family'],
      ]),
    ]);
    const keyword = parse(`[{'id': 15101, 'name': "based on children's book"}]`) as Array<Map<string, PyValue>>;
    expect(keyword[0]?.get('name')).toBe("based on children's book");
    const credit = parse(
      "{'cast_id': 14, 'character': 'Woody (voice)', 'credit_id': '52fe4284c3a36847f8024f95', 'gender': 2, 'id': 31, 'name': 'Tom Hanks', 'order': 0, 'profile_path': None}",
    ) as Map<string, PyValue>;
    expect(credit.get('profile_path')).toBeNull();
    expect(credit.get('credit_id')).toBe('52fe4284c3a36847f8024f95');
  });
});

describe('python literal parser: errors say where and why', () => {
  it.each([
    ["[{'id': 16, 'name': 'Animation'}", 32, /expected ',' or ']' but found end of text/],
    ["[{'id': 16 'name': 'x'}]", 11, /expected ',' or '}'/],
    ["{'id' 16}", 6, /expected ':' after a dict key/],
    ["'unterminated", 0, /unterminated string/],
    ["'ends in backslash\\", 0, /unterminated string/],
    ['nan', 0, /unknown name 'nan'/],
    ['[1, 2] 3', 7, /unexpected character "3" after the value/],
    ['', 0, /expected a value but found end of text/],
    ['[1, , 2]', 4, /expected a value/],
    ['0123', 0, /leading zero/],
    ['1.2.3', 0, /malformed number/],
    ['1e', 0, /malformed number/],
    ["'\\x4'", 1, /bad \\x escape/],
    ["'\\U00110000'", 1, /beyond U\+10FFFF/],
    ["'\\N{DASH}'", 1, /not supported/],
    ['{[1]: 2}', 1, /unhashable/],
    ['1e999', 0, /out of range/],
    ['eval("1")', 0, /unknown name 'eval'/],
  ])('%j fails at offset %i', (text, offset, message) => {
    const error = failure(text);
    expect(error.offset).toBe(offset);
    expect(error.message).toMatch(message);
  });

  it('refuses nesting deeper than the limit instead of overflowing the stack', () => {
    const deep = '['.repeat(MAX_DEPTH + 5) + ']'.repeat(MAX_DEPTH + 5);
    expect(failure(deep).message).toMatch(/nesting deeper than/);
    const hostile = '['.repeat(200_000);
    expect(failure(hostile).message).toMatch(/nesting deeper than/);
    const fine = '['.repeat(MAX_DEPTH) + ']'.repeat(MAX_DEPTH);
    expect(parsePythonLiteral(fine).ok).toBe(true);
  });
});
