/** How the report writes numbers, one place for its tables, findings and charts. */

export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export const MONTH_NAMES = [
  'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December',
];

const integerFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export const integer = (value: number): string => integerFormat.format(value);
export const rating = (value: number): string => value.toFixed(3);
export const dollars = (value: number): string => `$${integerFormat.format(Math.round(value))}`;
export const percent = (fraction: number): string => `${Math.round(fraction * 100)}%`;

/** Units an English reader names: a billion is B (SI would write G), a trillion T. */
const SCALES: Array<[number, string]> = [[1e12, 'T'], [1e9, 'B'], [1e6, 'M'], [1e3, 'k']];

/** `$45.3B`, `$154M`, `$812`: three significant digits, trailing zeros dropped. */
export function compactDollars(value: number): string {
  const sign = value < 0 ? '-' : '';
  const size = Math.abs(value);
  // The largest unit the value rounds to at least 1 of (999,999,999 is $1B, not $1000M).
  const scaled = SCALES.map(([unit, name]) => [Number((size / unit).toPrecision(3)), name] as const).find(([amount]) => amount >= 1);
  return scaled ? `${sign}$${String(scaled[0])}${scaled[1]}` : `${sign}$${Math.round(size)}`;
}
