/**
 * The FRED CSV of CUSR0000SS62031 -> cpi (month, value). The date column is `DATE` in older
 * downloads and `observation_date` since late 2024, in any case (core/cpi-columns.ts); a different
 * series id in the header means the wrong file (DataError). Months are first-of-month dates.
 *
 * A value of `.` (FRED: no observation, e.g. a month the survey was not run) is staged as NULL,
 * not skipped and not rejected: the month stays visible as a known gap, input = accepted + rejected
 * keeps holding, and one missing month cannot trip the reject threshold. Consumers pick CPI
 * months with `value IS NOT NULL`. A value is above 0 and keeps every decimal it is published
 * with (tasks/core/cpi-value.ts): anything else is `out_of_range`.
 */
import { CPI_DATE_COLUMNS, isCpiDateColumn } from '../../core/cpi-columns';
import { cpiValueProblem } from '../../core/cpi-value';
import { DataError } from '../../core/errors';
import { RAW_SOURCE } from '../../core/lake/layout';
import { rowOf, type SourceMapping } from '../mapping';
import { reject } from '../rejection';
import { dateParts, decimal, quote } from '../values';

export const CPI_SERIES_ID = 'CUSR0000SS62031';
const MISSING = '.';

const row = rowOf('cpi');

export const cpiMapping: SourceMapping = {
  source: 'cpi',
  raw: { source: RAW_SOURCE.cpi, file: `${CPI_SERIES_ID}.csv` },
  expectedHeader: [`${CPI_DATE_COLUMNS.join('|')}`, CPI_SERIES_ID],
  checkHeader(header, object) {
    const [dateColumn = '', series = ''] = header;
    const expected = `expected header "DATE,${CPI_SERIES_ID}" or "observation_date,${CPI_SERIES_ID}"`;
    if (header.length === 2 && isCpiDateColumn(dateColumn) && series !== CPI_SERIES_ID) {
      throw new DataError(`wrong FRED series: the file holds ${quote(series)}, ${expected}`, { object, line: 1 });
    }
    if (header.length !== 2 || !isCpiDateColumn(dateColumn)) {
      throw new DataError(`wrong header ${quote(header.join(','))}: ${expected}`, { object, line: 1 });
    }
  },
  datasets: ['cpi'],
  dimensions: [],
  map(fields) {
    const [date = '', value = ''] = fields;
    const parts = dateParts(date);
    if (!parts || parts.day !== 1) reject('invalid_date', `date: expected the first of a month YYYY-MM-01, got ${quote(date)}`);
    const staged = value === MISSING ? null : decimal(value, CPI_SERIES_ID);
    const problem = staged === null ? undefined : cpiValueProblem(staged);
    if (problem) reject('out_of_range', `${CPI_SERIES_ID}: ${problem}`);
    return { key: date, rows: [row({ month: date, value: staged })] };
  },
};
