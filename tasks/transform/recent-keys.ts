/**
 * The keys of the dimension rows written lately (people, genres, …), all forgotten at once when
 * `limit` is reached so memory stays flat. It answers exactly as one Set of the key strings
 * would, but most keys are ids ("1549372"), and those live in an open-addressing table of numbers:
 * no string hashing, one memory access per lookup instead of several (a million people rows made
 * the Set a tenth of the credits transform). Other keys (codes, dates) go to a Set.
 */

/** Ids up to 9 digits: below 2^31 - 1, so id + 1 fits a slot of the Int32Array. */
const MAX_ID_DIGITS = 9;

export class RecentKeys {
  /** 0 is an empty slot; an id is stored as id + 1. At most half full, so probes stay short. */
  private readonly ids: Int32Array;
  private readonly shift: number;
  private readonly others = new Set<string>();
  private size = 0;

  constructor(private readonly limit: number) {
    const bits = Math.max(4, Math.ceil(Math.log2(limit * 2)));
    this.ids = new Int32Array(2 ** bits);
    this.shift = 32 - bits;
  }

  /** True when `key` was added since the memory was last cleared; otherwise adds it. */
  seen(key: string): boolean {
    const id = plainId(key);
    if (id < 0) {
      if (this.others.has(key)) return true;
      this.makeRoom();
      this.others.add(key);
      this.size++;
      return false;
    }
    const ids = this.ids;
    const mask = ids.length - 1;
    let slot = Math.imul(id, 0x9e3779b1) >>> this.shift;
    for (let stored = ids[slot] as number; stored !== 0; stored = ids[slot] as number) {
      if (stored === id + 1) return true;
      slot = (slot + 1) & mask;
    }
    if (this.makeRoom()) slot = Math.imul(id, 0x9e3779b1) >>> this.shift;
    ids[slot] = id + 1;
    this.size++;
    return false;
  }

  /** Clears the memory when it holds `limit` keys (as Set#clear before the add); true if it did. */
  private makeRoom(): boolean {
    if (this.size < this.limit) return false;
    this.ids.fill(0);
    this.others.clear();
    this.size = 0;
    return true;
  }
}

/** The number a key like "1549372" stands for (digits only, no leading zero, at most 9), or -1. */
function plainId(key: string): number {
  const length = key.length;
  if (length === 0 || length > MAX_ID_DIGITS || (length > 1 && key.charCodeAt(0) === 0x30)) return -1;
  let id = 0;
  for (let i = 0; i < length; i++) {
    const digit = key.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    id = id * 10 + digit;
  }
  return id;
}
