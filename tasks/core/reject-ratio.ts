/**
 * The `--max-reject-ratio` rule, one for every step that rejects input records (the transforms
 * and the ratings load): more than `maxRatio` of them rejected fails the step with exit 65. The
 * rejects are written before the rule is applied, so the error can point at them.
 *
 * Where records can be of any size, the rule also holds for bytes: a single rejected record that
 * holds much of the file (an unbalanced quote swallowing the records after it) is damage to the
 * file, though it is one record in thousands.
 */
import { DataError, type ErrorContext } from './errors';

export interface RejectTally {
  /** The rejects that count against the ratio. */
  rejected: number;
  /** Every record read. */
  total: number;
  /** Bytes of the rejects that count, and of the whole source, when records vary in size. */
  bytes?: { rejected: number; total: number };
  /** What the records are, for the message: `records`, `ratings`. */
  noun: string;
  /** Said inside the parentheses, e.g. which rejects do not count. */
  note?: string;
  /** Said after the rule, e.g. what the step left as it was. */
  outcome?: string;
}

/** The DataError for a tally over the ratio, or undefined when it is within. */
export function rejectRatioError(tally: RejectTally, maxRatio: number, context: ErrorContext): DataError | undefined {
  const note = tally.note ? `, ${tally.note}` : '';
  const outcome = tally.outcome ? `; ${tally.outcome}` : '';
  const over = (rejected: number, total: number, noun: string, said: string): DataError | undefined => {
    const ratio = total === 0 ? 0 : rejected / total;
    if (ratio <= maxRatio) return undefined;
    return new DataError(`${rejected} of ${total} ${noun} rejected (ratio ${ratio.toFixed(6)}${said}), above --max-reject-ratio ${maxRatio}${outcome}`, {
      expected: `a reject ratio of at most ${maxRatio}`,
      ...context,
    });
  };
  const byRecords = over(tally.rejected, tally.total, tally.noun, note);
  if (byRecords || !tally.bytes) return byRecords;
  return over(tally.bytes.rejected, tally.bytes.total, 'bytes', `, in ${tally.rejected} ${tally.noun}${note}`);
}
