/**
 * Python's `repr()` of the TMDB lists and dicts, as the Kaggle columns hold them: single-quoted
 * strings, double quotes when the string holds an apostrophe and no double quote, `\'` when it
 * holds both, `None`, `True`/`False`, dict keys in insertion order.
 */
export type PyValue = string | number | boolean | null | PyValue[] | PyDict;
export interface PyDict {
  [key: string]: PyValue;
}

export function pyRepr(value: PyValue): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : pyFloat(value);
  if (typeof value === 'string') return pyString(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  return `{${Object.entries(value)
    .map(([key, item]) => `${pyString(key)}: ${pyRepr(item)}`)
    .join(', ')}}`;
}

export function pyString(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let body = '';
  for (const char of text) {
    if (char === '\\') body += '\\\\';
    else if (char === quote) body += `\\${quote}`;
    else if (char === '\n') body += '\\n';
    else if (char === '\r') body += '\\r';
    else if (char === '\t') body += '\\t';
    else body += char;
  }
  return `${quote}${body}${quote}`;
}

/**
 * Python's repr of a float: `81.0` for integral values, shortest round-trip digits otherwise, and
 * scientific notation with a two-digit exponent below 1e-4 (`8.2e-05`, where JavaScript would
 * still write `0.000082`).
 */
export function pyFloat(value: number): string {
  if (Number.isInteger(value)) return `${value}.0`;
  if (Math.abs(value) < 1e-4) {
    const [mantissa, exponent] = value.toExponential().split('e') as [string, string];
    const sign = exponent.startsWith('-') ? '-' : '+';
    return `${mantissa}e${sign}${exponent.replace(/^[+-]/, '').padStart(2, '0')}`;
  }
  return String(value);
}
