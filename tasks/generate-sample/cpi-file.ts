/**
 * CUSR0000SS62031.csv as FRED serves it: `DATE,CUSR0000SS62031` (or `observation_date,…` in
 * downloads since late 2024), one row per month from 1980-01-01 to 2017-07-01, values with three
 * decimals, FRED's `.` for a missing value (full scale only). LF line endings, final newline.
 * Movies released before 1980 therefore have no CPI value, as with the real series' coverage.
 */
import { emit, RecordChunks, type SampleFile } from './csv-output';
import { Random } from './random';

export const CPI_SERIES_ID = 'CUSR0000SS62031';
export const CPI_DATE_HEADERS = ['DATE', 'observation_date'] as const;
export type CpiDateHeader = (typeof CPI_DATE_HEADERS)[number];

const FIRST_YEAR = 1980;
const LAST_MONTH = { year: 2017, month: 7 };

export const CPI_FILE: SampleFile = { name: `${CPI_SERIES_ID}.csv`, lineEnding: '\n', finalNewline: true };

export interface CpiCounts {
  records: number;
  missingValues: number;
  firstMonth: string;
  lastMonth: string;
}

export function* cpiChunks(seed: number, missingValues: number, header: CpiDateHeader, counts: CpiCounts): Generator<Buffer> {
  const random = Random.derive(seed, 'cpi');
  const months = (LAST_MONTH.year - FIRST_YEAR) * 12 + LAST_MONTH.month;
  // Never the first or last month: readers find the range from them.
  const missing = new Set(random.distinct(months - 2, missingValues).map((index) => index + 1));
  const out = new RecordChunks(CPI_FILE);
  yield* emit(out, `${header},${CPI_SERIES_ID}`);
  let value = 57 + 2 * random.next();
  for (let index = 0; index < months; index++) {
    const date = `${FIRST_YEAR + Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;
    // Admission prices rise ~3.5% a year, with small monthly wobbles and the odd dip.
    value *= 1 + 0.0029 + 0.004 * random.normal();
    if (index === 0) counts.firstMonth = date;
    counts.lastMonth = date;
    if (missing.has(index)) counts.missingValues++;
    yield* emit(out, `${date},${missing.has(index) ? '.' : value.toFixed(3)}`);
  }
  counts.records = out.count - 1;
  yield out.end();
}

export function emptyCpiCounts(): CpiCounts {
  return { records: 0, missingValues: 0, firstMonth: '', lastMonth: '' };
}
