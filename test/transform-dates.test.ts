/**
 * Release dates and CPI months read by arithmetic (dateParts) give what JavaScript dates give:
 * valid calendar dates, their weekday, and the same refusals (February 30, month 13, day 0, and
 * February 29 of year 0, which the Date-based check refused), over whole centuries.
 */
import { dateParts, type DateParts } from '../tasks/transform/values';

/** The Date-based reading dateParts replaced, kept as the reference. */
function byDate(value: string): DateParts | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  date.setUTCFullYear(year);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return { year, month, day, dayOfWeek: date.getUTCDay() === 0 ? 7 : date.getUTCDay() };
}

const pad = (value: number, width: number) => String(value).padStart(width, '0');

describe('dateParts', () => {
  it('agrees with JavaScript dates on every month 00-13 and day 00-32 of years around every calendar edge', () => {
    const years = [0, 1, 2, 3, 4, 99, 100, 101, 399, 400, 401, 1582, 1600, 1700, 1870, 1899, 1900, 1901, 1970, 1999, 2000, 2024, 2100, 2400, 9999];
    for (let year = 1870; year <= 2100; year += 7) years.push(year);
    let checked = 0;
    for (const year of years) {
      for (let month = 0; month <= 13; month++) {
        for (let day = 0; day <= 32; day++) {
          const value = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
          expect(dateParts(value)).toEqual(byDate(value));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(25_000);
    expect(dateParts('0000-02-29')).toBeUndefined();
    expect(dateParts('2000-02-29')).toEqual({ year: 2000, month: 2, day: 29, dayOfWeek: 2 });
    expect(dateParts('1900-02-29')).toBeUndefined();
  });

  it('refuses what is not an ISO date', () => {
    for (const value of ['', '2012-9-29', '2012-09-29 ', '20120929', '2012/09/29', '+2012-09-29', '12012-09-29']) {
      expect(dateParts(value)).toBeUndefined();
    }
  });
});
