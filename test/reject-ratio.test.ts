/** The --max-reject-ratio rule shared by the transforms and the ratings load (tasks/core/reject-ratio.ts). */
import { ExitCode } from '../tasks/core/errors';
import { rejectRatioError } from '../tasks/core/reject-ratio';

test('a ratio at the limit passes, one reject more fails with exit 65, its context and what was expected', () => {
  expect(rejectRatioError({ rejected: 1, total: 1000, noun: 'records' }, 0.001, {})).toBeUndefined();
  expect(rejectRatioError({ rejected: 0, total: 0, noun: 'records' }, 0, {})).toBeUndefined();
  const error = rejectRatioError({ rejected: 2, total: 1000, noun: 'ratings', note: 'duplicates not counted', outcome: 'the warehouse is unchanged' }, 0.001, { object: 'file:///lake/raw/ratings.csv' });
  expect(error?.exitCode).toBe(ExitCode.badData);
  expect(error?.message).toBe('2 of 1000 ratings rejected (ratio 0.002000, duplicates not counted), above --max-reject-ratio 0.001; the warehouse is unchanged');
  expect(error?.context).toEqual({ object: 'file:///lake/raw/ratings.csv', expected: 'a reject ratio of at most 0.001' });
});

test('with bytes given, one record holding most of the bytes fails though the records are within the ratio', () => {
  const tally = { rejected: 1, total: 1000, noun: 'records', note: 'duplicate ids not counted' };
  expect(rejectRatioError({ ...tally, bytes: { rejected: 100, total: 100_000 } }, 0.001, {})).toBeUndefined();
  const error = rejectRatioError({ ...tally, bytes: { rejected: 50_000, total: 100_000 } }, 0.001, { object: 'file:///lake/raw/movies.csv' });
  expect(error?.exitCode).toBe(ExitCode.badData);
  expect(error?.message).toBe('50000 of 100000 bytes rejected (ratio 0.500000, in 1 records, duplicate ids not counted), above --max-reject-ratio 0.001');
  expect(error?.context).toEqual({ object: 'file:///lake/raw/movies.csv', expected: 'a reject ratio of at most 0.001' });
});
