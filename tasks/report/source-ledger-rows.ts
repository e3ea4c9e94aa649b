/**
 * The transformed sources' part of the ledger table: for each, the records read, those rejected
 * (by reason, and where they are kept), the repeats of an id already kept, and those kept (the
 * movies loaded; for the other sources, the records staged for the load).
 */
import { totalOf } from '../core/transform-manifests';
import { integer } from './format';
import type { SourceLedger } from './report';

const NAMES: Record<string, string> = { movies: 'Movies', credits: 'Credits', keywords: 'Keywords', links: 'Links', cpi: 'CPI months' };
const nameOf = (ledger: SourceLedger) => NAMES[ledger.source] ?? ledger.source;
const fileOf = (ledger: SourceLedger) => ledger.source_object.split('/').at(-1) ?? ledger.source_object;

/** Where the source's rejects are: its rejects file, or each shard's. */
function rejectsIn(ledger: SourceLedger): string {
  const files = ledger.rejects_objects;
  if (files.length > 1) return `${files.length} files, one per shard that rejected records: ${files.join(', ')}`;
  return files[0] ?? '(no rejects file)';
}

function rejectedWhy(ledger: SourceLedger): string {
  const reasons = Object.entries(ledger.rejected_by_reason)
    .filter(([, count]) => count > 0)
    .map(([reason, count]) => `${reason} ${integer(count)}`);
  if (reasons.length === 0) return 'no record failed validation';
  return `fails validation (${reasons.join(', ')}); the records and reasons are in ${rejectsIn(ledger)}`;
}

function repeatedWhy(ledger: SourceLedger): string {
  if (ledger.duplicate_ids === 0) return 'no id repeats';
  return `its id was already kept from an earlier record (the first is kept); the repeats are listed in ${rejectsIn(ledger)}`;
}

/** The rows read, rejected and repeated of one source; the caller places its kept row (movies loaded). */
export function sourceLedgerRows(ledger: SourceLedger): string[][] {
  const name = nameOf(ledger);
  const rows = [
    [`${name} read`, integer(ledger.rows_read), `the records of ${fileOf(ledger)} after its header (transform of run ${ledger.run_id})`],
    [`${name} rejected`, integer(totalOf(ledger.rejected_by_reason)), rejectedWhy(ledger)],
    [`${name} with a repeated id`, integer(ledger.duplicate_ids), repeatedWhy(ledger)],
  ];
  return ledger.loaded === null ? [...rows, [`${name} staged`, integer(ledger.staged), 'staged for the load']] : rows;
}

/** Whether every source's records sum to the records read, in one sentence for the table's note. */
export function sourceLedgerNote(ledgers: SourceLedger[]): string {
  if (ledgers.length === 0) return '';
  const unbalanced = ledgers.filter((ledger) => !ledger.balanced);
  if (unbalanced.length === 0) return ` For ${ledgers.map(nameOf).join(', ')}: kept, rejected and repeated ids sum to the records read.`;
  return (
    ` ${unbalanced
      .map((l) => `${nameOf(l)}: ${integer((l.loaded ?? l.staged) + totalOf(l.rejected_by_reason) + l.duplicate_ids)} accounted for, not the ${integer(l.rows_read)} records read`)
      .join('; ')}` + ' (the warehouse does not hold what the transform of the run kept: reload the run, then run quality-check).'
  );
}
