/**
 * Redshift's SERIALIZABLE isolation, judged for transactions the local Data API endpoint runs one
 * at a time on PGlite (one connection) but that Redshift would have run at once.
 *
 * Two transactions are concurrent when one was submitted before the other committed: Redshift
 * would have started it right away, not queued it behind the other. A transaction's snapshot is
 * taken at its first statement that is not a LOCK (developer guide, "Serializable isolation"):
 * LOCKs first make it wait for every concurrent transaction holding one of those tables, so its
 * snapshot follows their commits. A transaction that then writes a table that a concurrent
 * transaction committed a write to after its snapshot fails with error 1023, as Redshift's
 * "Serializable isolation violation on table" does (developer guide, "Fixing serializable
 * isolation errors", whose remedy is to LOCK every table the transaction touches, first).
 *
 * Only write-write overlaps are judged: a cycle made of reads alone (T1 reads A, writes B; T2
 * reads B, writes A) also fails on Redshift and is not detected here.
 */

export interface TransactionTables {
  /** Tables locked before the first other statement, normalised (see tableKey). */
  leadingLocks: Set<string>;
}

interface Committed {
  id: number;
  submittedAt: number;
  committedAt: number;
  written: Set<string>;
  locked: Set<string>;
}

const NAME = String.raw`(?:"[^"]+"|[A-Za-z_][\w$]*)`;
const QUALIFIED = String.raw`${NAME}(?:\s*\.\s*${NAME})?`;
const WRITE = new RegExp(String.raw`^(?:INSERT\s+INTO|DELETE\s+FROM|DELETE|UPDATE|TRUNCATE(?:\s+TABLE)?|COPY|MERGE\s+INTO)\s+(${QUALIFIED})`, 'i');
const LOCK = new RegExp(String.raw`^LOCK(?:\s+TABLE)?\s+(${QUALIFIED}(?:\s*,\s*${QUALIFIED})*)\s*;?\s*$`, 'i');

/** `"Schema"."t"`, `schema.t` and `"schema".t` name one table: compared without quotes. */
export function tableKey(name: string): string {
  return name.replace(/\s+/g, '').replace(/"/g, '').toLowerCase();
}

/** The table a DML statement writes (INSERT, DELETE, UPDATE, TRUNCATE, COPY, MERGE), if any. */
export function writtenTable(sql: string): string | undefined {
  const match = WRITE.exec(sql.trim());
  return match ? tableKey(match[1] as string) : undefined;
}

/** The tables a `LOCK [TABLE] a, b` statement locks; undefined for any other statement. */
export function lockedTables(sql: string): string[] | undefined {
  const match = LOCK.exec(sql.trim());
  return match ? (match[1] as string).split(',').map(tableKey) : undefined;
}

export class SerializableJudge {
  private clock = 0;
  private nextId = 1;
  private readonly committed: Committed[] = [];

  /** A logical time for a submission: transactions are ordered by it. */
  submitted(): number {
    return ++this.clock;
  }

  /** A transaction about to run: what it would conflict with, decided statement by statement. */
  begin(submittedAt: number, statements: readonly string[]): Transaction {
    const leadingLocks = new Set<string>();
    for (const sql of statements) {
      const locked = lockedTables(sql);
      if (!locked) break;
      for (const table of locked) leadingLocks.add(table);
    }
    // The leading LOCKs wait for every concurrent holder of those tables; the snapshot follows.
    let snapshot = submittedAt;
    for (const other of this.committed) {
      if (other.committedAt <= submittedAt) continue;
      const holds = [...leadingLocks].some((table) => other.written.has(table) || other.locked.has(table));
      if (holds) snapshot = Math.max(snapshot, other.committedAt);
    }
    return new Transaction(this, this.nextId++, submittedAt, snapshot);
  }

  /** A write to `table` by a transaction whose snapshot is `snapshot`: the concurrent writer, if any. */
  conflictingWriter(table: string, snapshot: number): number | undefined {
    return this.committed.find((other) => other.committedAt > snapshot && other.written.has(table))?.id;
  }

  commit(transaction: Transaction): void {
    this.committed.push({
      id: transaction.id,
      submittedAt: transaction.submittedAt,
      committedAt: ++this.clock,
      written: transaction.written,
      locked: transaction.locked,
    });
  }
}

export class SerializationConflict extends Error {}

export class Transaction {
  readonly written = new Set<string>();
  readonly locked = new Set<string>();

  constructor(
    private readonly judge: SerializableJudge,
    readonly id: number,
    readonly submittedAt: number,
    private readonly snapshot: number,
  ) {}

  /** Called before each statement runs: throws error 1023 when Redshift would have. */
  statement(sql: string): void {
    const locked = lockedTables(sql);
    if (locked) {
      for (const table of locked) this.locked.add(table);
      return;
    }
    const table = writtenTable(sql);
    if (table === undefined) return;
    const other = this.judge.conflictingWriter(table, this.snapshot);
    if (other !== undefined) {
      throw new SerializationConflict(
        `1023 DETAIL: Serializable isolation violation on table - ${tableId(table)}, transactions forming the cycle are: ${100000 + other}, ${100000 + this.id} (pid:1073)`,
      );
    }
    this.written.add(table);
  }

  commit(): void {
    this.judge.commit(this);
  }
}

/** A stable number for a table, as Redshift names it by its id in error 1023. */
function tableId(table: string): number {
  let hash = 0;
  for (const char of table) hash = (hash * 31 + char.charCodeAt(0)) % 900000;
  return 100000 + hash;
}
