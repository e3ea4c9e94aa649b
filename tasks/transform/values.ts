/**
 * Source text -> staged text, one function per staged type. Each returns the exact text the staged
 * CSV carries (or null for NULL) and rejects the record, naming the column, when the text is not a
 * value of that type. Numbers are converted as decimal strings, never through floating point, so
 * `8.2e-05` becomes exactly `0.000082`.
 */
import { reject, type RejectCode } from './rejection';

const INT32_MAX = 2_147_483_647n;
const INT64_MAX = 9_223_372_036_854_775_807n;
const INTEGRAL = /^([+-]?)0*(\d+?)(?:\.0*)?$/;
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Beyond this exponent no staged double or numeric could hold the value anyway. */
const MAX_EXPONENT = 400;

/** Free text: empty means unknown (NULL). A NUL character cannot be stored by PostgreSQL or Redshift. */
export function text(value: string, column: string): string | null {
  if (value === '') return null;
  return checkText(value, column);
}

/** Text that must be present: kept as is, even when empty (written as `""`). */
export function requiredText(value: string, column: string): string {
  return checkText(value, column);
}

function checkText(value: string, column: string): string {
  if (value.includes('\0')) reject('invalid_text', `${column}: contains a NUL character`);
  return value;
}

export type IntegerKind = 'integer' | 'bigint';

/**
 * An integer written as `123`, `+123` or `123.0` (some exports write integers as floats).
 * Empty is NULL; with `zeroIsNull`, so is 0 (budget and revenue: 0 means unknown).
 */
export function integer(
  value: string,
  column: string,
  options: { kind?: IntegerKind; zeroIsNull?: boolean; min?: bigint; code?: RejectCode } = {},
): string | null {
  if (value === '') return null;
  const match = INTEGRAL.exec(value);
  const kind = options.kind ?? 'integer';
  const code = options.code ?? 'invalid_number';
  if (!match) return reject(code, `${column}: expected an integer, got ${quote(value)}`);
  const digits = match[2] as string;
  const parsed = BigInt(`${match[1] === '-' ? '-' : ''}${digits}`);
  const max = kind === 'integer' ? INT32_MAX : INT64_MAX;
  const min = options.min ?? -max - 1n;
  if (parsed > max || parsed < min) {
    return reject(options.code ?? 'out_of_range', `${column}: ${quote(value)} is outside the ${kind} range ${min}..${max}`);
  }
  if (options.zeroIsNull && parsed === 0n) return null;
  return parsed.toString();
}

/** A positive integer identifier; anything else (e.g. a date from shifted columns) rejects the record. */
export function identifier(value: string, column: string): number {
  if (value === '') reject('invalid_id', `${column}: missing`);
  const staged = integer(value, column, { min: 1n, code: 'invalid_id' });
  return Number(staged);
}

/** A decimal in plain notation: `8.2e-05` -> `0.000082`, `.5` -> `0.5`, `81.0` stays `81.0`. */
export function decimal(value: string, column: string): string | null {
  if (value === '') return null;
  const plain = plainDecimal(value);
  if (plain === undefined) reject('invalid_number', `${column}: expected a number, got ${quote(value)}`);
  return plain;
}

export function plainDecimal(value: string): string | undefined {
  const match = DECIMAL.exec(value);
  if (!match) return undefined;
  const [, sign = '', whole = '', fraction = '', exponentText] = match;
  if (whole === '' && fraction === '') return undefined;
  const exponent = exponentText === undefined ? 0 : Number(exponentText);
  if (Math.abs(exponent) > MAX_EXPONENT) return undefined;
  const digits = whole + fraction;
  const point = whole.length + exponent;
  let integerPart: string;
  let fractionPart: string;
  if (point <= 0) {
    integerPart = '0';
    fractionPart = '0'.repeat(-point) + digits;
  } else if (point >= digits.length) {
    integerPart = digits + '0'.repeat(point - digits.length);
    fractionPart = '';
  } else {
    integerPart = digits.slice(0, point);
    fractionPart = digits.slice(point);
  }
  integerPart = integerPart.replace(/^0+(?=\d)/, '');
  if (exponentText !== undefined) fractionPart = fractionPart.replace(/0+$/, '');
  const body = fractionPart === '' ? integerPart : `${integerPart}.${fractionPart}`;
  return sign === '-' && /[1-9]/.test(body) ? `-${body}` : body;
}

/** An ISO calendar date `YYYY-MM-DD` and its parts, optionally within [from, to] (ISO dates too); empty is NULL. */
export function isoDate(value: string, column: string, range?: { from: string; to: string }): { text: string; parts: DateParts } | null {
  if (value === '') return null;
  const parts = dateParts(value);
  if (!parts) return reject('invalid_date', `${column}: expected a date YYYY-MM-DD, got ${quote(value)}`);
  if (range && (value < range.from || value > range.to)) {
    reject('invalid_date', `${column}: ${quote(value)} is outside ${range.from}..${range.to}`);
  }
  return { text: value, parts };
}

/** A decimal (as `decimal`) within [min, max]; outside it the record is rejected as out_of_range. */
export function decimalWithin(value: string, column: string, min: number, max: number): string | null {
  const plain = decimal(value, column);
  if (plain !== null && !(Number(plain) >= min && Number(plain) <= max)) {
    reject('out_of_range', `${column}: ${quote(value)} is outside ${min}..${max}`);
  }
  return plain;
}

/**
 * Whether a plain decimal fits NUMERIC(precision, scale) once rounded to `scale` digits, as
 * PostgreSQL and Redshift round it (half away from zero): 99.995 does not fit NUMERIC(4, 2).
 */
export function fitsNumeric(plain: string, precision: number, scale: number): boolean {
  const match = /^-?(\d*)(?:\.(\d*))?$/.exec(plain);
  if (!match) return false;
  const whole = (match[1] ?? '').replace(/^0+/, '');
  if (whole.length > precision - scale) return false;
  const fraction = (match[2] ?? '').padEnd(scale + 1, '0');
  const scaled = BigInt(`${whole}${fraction.slice(0, scale + 1)}` || '0');
  const rounded = (scaled + 5n) / 10n;
  return rounded < 10n ** BigInt(precision);
}

export interface DateParts {
  year: number;
  month: number;
  day: number;
  /** ISO: Monday 1 … Sunday 7. */
  dayOfWeek: number;
}

export function dateParts(value: string): DateParts | undefined {
  const match = ISO_DATE.exec(value);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day, dayOfWeek: isoDayOfWeek(year, month, day) };
}

/** Sakamoto's month table: the weekday shift of each month's first day (for the day of the week). */
const MONTH_OFFSETS = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];

/**
 * The proleptic Gregorian calendar, as JavaScript dates count it, but by arithmetic: a Date per
 * value was most of the movies transform's date handling. One quirk is kept on purpose: year 0
 * has no February 29 here, as the Date-based check this replaces had none (it validated years
 * 0-99 as 1900-1999); a test compares the two over whole centuries.
 */
function daysInMonth(year: number, month: number): number {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  const leap = year !== 0 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return leap ? 29 : 28;
}

/** ISO day of the week (Monday 1 … Sunday 7), Sakamoto's method. */
function isoDayOfWeek(year: number, month: number, day: number): number {
  const y = month < 3 ? year - 1 : year;
  const sunday0 = (((y + Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400) + (MONTH_OFFSETS[month - 1] as number) + day) % 7) + 7) % 7;
  return sunday0 === 0 ? 7 : sunday0;
}

/** Python's `True`/`False` (also lower case); empty is NULL. */
export function boolean(value: string, column: string): string | null {
  if (value === '') return null;
  if (value === 'True' || value === 'true') return 'true';
  if (value === 'False' || value === 'false') return 'false';
  return reject('invalid_boolean', `${column}: expected True or False, got ${quote(value)}`);
}

/** A value quoted for a message, shortened so one bad field cannot flood a reason. */
export function quote(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
}
