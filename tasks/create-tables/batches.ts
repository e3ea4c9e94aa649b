/**
 * A migration cut into transactions a warehouse accepts. Redshift's Data API takes at most 40
 * statements per BatchExecuteStatement; migration 0001 alone holds 120.
 *
 * Within the limit, a migration stays ONE transaction: claim (lock schema_migrations, refuse a
 * version recorded meanwhile), its statements, its record. Beyond it, what one transaction gave
 * is kept this way:
 * - every batch starts with the claim, so a batch refuses a version a concurrent run recorded
 *   while this one worked, and concurrent runs take turns batch by batch;
 * - the record goes in the LAST batch, so a version is recorded only when all of it is applied;
 * - a run stopped between batches leaves some statements applied and the version unrecorded:
 *   the next run applies the migration again from its first batch, so a migration that needs
 *   several batches must be made of statements that can run twice (checked before any runs).
 */

export interface MigrationBatchInput {
  /** The migration's identification, for errors. */
  migration: string;
  /** Statements that open every batch (the lock, then the refusal). */
  claim: readonly string[];
  statements: readonly string[];
  /** The schema_migrations row, last. */
  record: string;
  /** The most statements one transaction may hold; undefined: no limit. */
  maxStatements: number | undefined;
}

/** Statements that leave the same warehouse whether they run once or twice. */
const RERUNNABLE = [
  /^CREATE\s+(TABLE|SCHEMA|VIEW)\s+IF\s+NOT\s+EXISTS\b/i,
  /^CREATE\s+OR\s+REPLACE\s+VIEW\b/i,
  /^COMMENT\s+ON\b/i,
  /^DROP\s+(TABLE|VIEW|SCHEMA)\s+IF\s+EXISTS\b/i,
];

export function migrationBatches(input: MigrationBatchInput): string[][] {
  const { claim, statements, record, maxStatements } = input;
  const whole = [...claim, ...statements, record];
  if (maxStatements === undefined || whole.length <= maxStatements) return [whole];
  const room = maxStatements - claim.length - 1;
  if (room < 1) throw new Error(`a batch of ${maxStatements} statements cannot hold the claim and the record of migration ${input.migration}`);
  const once = statements.find((statement) => !RERUNNABLE.some((pattern) => pattern.test(statement.trim())));
  if (once !== undefined) {
    throw new Error(
      `migration ${input.migration} needs several transactions of at most ${maxStatements} statements, and "${once.slice(0, 60)}…" is not safe to run twice: split it into migrations of at most ${room} statements`,
    );
  }
  const batches: string[][] = [];
  for (let start = 0; start < statements.length; start += room) batches.push([...claim, ...statements.slice(start, start + room)]);
  batches[batches.length - 1]?.push(record);
  return batches;
}
