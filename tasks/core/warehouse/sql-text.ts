/**
 * Small lexical helpers over SQL text: splitting a script into statements and turning named
 * parameters (`:run_id`, the Redshift Data API's syntax) into PostgreSQL's positional `$1`.
 * Both skip string literals, quoted identifiers and comments, and `::` casts.
 */

interface Segment {
  /** Code outside literals and comments, or a literal/comment kept verbatim. */
  code: boolean;
  text: string;
}

/** Cuts SQL into code and non-code segments ('…', "…", -- …, /* … *\/). */
function segments(sql: string): Segment[] {
  const out: Segment[] = [];
  let start = 0;
  let index = 0;
  const pushCode = (end: number) => {
    if (end > start) out.push({ code: true, text: sql.slice(start, end) });
  };
  while (index < sql.length) {
    const char = sql[index];
    const next = sql[index + 1];
    let end = -1;
    if (char === "'" || char === '"') end = closingQuote(sql, index, char);
    else if (char === '-' && next === '-') end = lineEnd(sql, index);
    else if (char === '/' && next === '*') end = commentEnd(sql, index);
    if (end < 0) {
      index += 1;
      continue;
    }
    pushCode(index);
    out.push({ code: false, text: sql.slice(index, end) });
    start = index = end;
  }
  pushCode(sql.length);
  return out;
}

function closingQuote(sql: string, open: number, quote: string): number {
  let index = open + 1;
  while (index < sql.length) {
    if (sql[index] === quote) {
      if (sql[index + 1] === quote) index += 2;
      else return index + 1;
    } else index += 1;
  }
  throw new SyntaxError(`unterminated ${quote === "'" ? 'string literal' : 'quoted identifier'} in SQL`);
}

function lineEnd(sql: string, start: number): number {
  const end = sql.indexOf('\n', start);
  return end < 0 ? sql.length : end;
}

function commentEnd(sql: string, start: number): number {
  const end = sql.indexOf('*/', start + 2);
  if (end < 0) throw new SyntaxError('unterminated block comment in SQL');
  return end + 2;
}

/** The statements of a script, without comments-only pieces and without the trailing `;`. */
export function splitStatements(script: string): string[] {
  const statements: string[] = [];
  let current = '';
  let hasCode = false;
  for (const segment of segments(script)) {
    if (!segment.code) {
      // Comments between statements are dropped; literals and inline comments are kept.
      if (hasCode || segment.text.startsWith("'") || segment.text.startsWith('"')) current += segment.text;
      if (segment.text.startsWith("'") || segment.text.startsWith('"')) hasCode = true;
      continue;
    }
    const pieces = segment.text.split(';');
    pieces.forEach((piece, index) => {
      if (index > 0) {
        if (hasCode) statements.push(current.trim());
        current = '';
        hasCode = false;
      }
      current += piece;
      if (piece.trim() !== '') hasCode = true;
    });
  }
  if (hasCode && current.trim() !== '') statements.push(current.trim());
  return statements;
}

const NAMED_PARAMETER = /(?<![:\w]):([a-z_][a-z0-9_]*)/g;

/** The named parameters a statement uses, in order of first use. */
export function parameterNames(sql: string): string[] {
  const names: string[] = [];
  for (const segment of segments(sql)) {
    if (!segment.code) continue;
    for (const match of segment.text.matchAll(NAMED_PARAMETER)) {
      const name = match[1] as string;
      if (!names.includes(name)) names.push(name);
    }
  }
  return names;
}

/** The text with `replace` applied to its code only: literals and comments are kept as they are. */
export function replaceInCode(sql: string, replace: (code: string) => string): string {
  return segments(sql)
    .map((segment) => (segment.code ? replace(segment.text) : segment.text))
    .join('');
}

/**
 * A `::` cast outside literals and comments. The Redshift Data API reads `:name` as a parameter
 * and documents no escape for `::`: a statement with parameters writes `CAST(… AS …)` instead.
 */
export function usesDoubleColonCast(sql: string): boolean {
  return sqlCode(sql).includes('::');
}

/** The code of a script: each literal, quoted identifier and comment replaced by a space. */
export function sqlCode(sql: string): string {
  return segments(sql)
    .map((segment) => (segment.code ? segment.text : ' '))
    .join('');
}

/** `… WHERE run_id = :run_id` → `… WHERE run_id = $1` with the values in order. */
export function toPositional<V>(sql: string, params: Readonly<Record<string, V>>): { text: string; values: V[] } {
  const order: string[] = [];
  const text = segments(sql)
    .map((segment) =>
      segment.code
        ? segment.text.replace(NAMED_PARAMETER, (_match, name: string) => {
            if (!Object.prototype.hasOwnProperty.call(params, name)) {
              throw new TypeError(`SQL parameter :${name} has no value`);
            }
            if (!order.includes(name)) order.push(name);
            return `$${order.indexOf(name) + 1}`;
          })
        : segment.text,
    )
    .join('');
  return { text, values: order.map((name) => params[name] as V) };
}
