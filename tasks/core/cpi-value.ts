/**
 * The domain rule of a CPI value (FRED CUSR0000SS62031, an index with 1982-84 = 100): it is above
 * 0, and it is kept as published. The model's NUMERIC scale holds more decimals than FRED
 * publishes (3), and a value with more than the model keeps is refused rather than rounded: 0.0001
 * rounded to 0.000 would be a zero the report's inflation adjustment divides by.
 */
export const CPI_VALUE_NUMERIC = { precision: 16, scale: 6 } as const;

/** Why a CPI value (a plain decimal, e.g. `336.492`) breaks the rule; undefined when it keeps it. */
export function cpiValueProblem(plain: string): string | undefined {
  if (!(Number(plain) > 0)) return `${plain} is not above 0 (a price index is positive)`;
  const decimals = (plain.split('.')[1] ?? '').replace(/0+$/, '').length;
  if (decimals > CPI_VALUE_NUMERIC.scale) return `${plain} has ${decimals} decimals, more than the ${CPI_VALUE_NUMERIC.scale} the model keeps`;
  return undefined;
}
