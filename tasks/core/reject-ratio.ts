/**
 * The `--max-reject-ratio` rule, one for every step that rejects input records (the transforms
 * and the ratings load): more than `maxRatio` of them rejected fails the step with exit 65. The
 * rejects are written before the rule is applied, so the error can point at them.
 */
import { DataError, type ErrorContext } from './errors';

export interface RejectTally {
  /** The rejects that count against the ratio. */
  rejected: number;
  /** Every record read. */
  total: number;
  /** What the records are, for the message: `records`, `ratings`. */
  noun: string;
  /** Said inside the parentheses, e.g. which rejects do not count. */
  note?: string;
  /** Said after the rule, e.g. what the step left as it was. */
  outcome?: string;
}

/** The DataError for a tally over the ratio, or undefined when it is within. */
export function rejectRatioError(tally: RejectTally, maxRatio: number, context: ErrorContext): DataError | undefined {
  const ratio = tally.total === 0 ? 0 : tally.rejected / tally.total;
  if (ratio <= maxRatio) return undefined;
  const note = tally.note ? `, ${tally.note}` : '';
  const outcome = tally.outcome ? `; ${tally.outcome}` : '';
  return new DataError(`${tally.rejected} of ${tally.total} ${tally.noun} rejected (ratio ${ratio.toFixed(6)}${note}), above --max-reject-ratio ${maxRatio}${outcome}`, {
    expected: `a reject ratio of at most ${maxRatio}`,
    ...context,
  });
}
