/**
 * A set of ids as one bit per id, growing to the largest id seen. The ratings reader remembers
 * every user it has finished, to notice a file that is not grouped by user; a transform remembers
 * every person, genre or company it has written, to write each once. A `Set` of numbers costs tens
 * of bytes per id and stops at 2^24 entries, which 100× the MovieLens users (27M) would pass; bits
 * cost an eighth of a byte per id up to the largest (34 KB for the 270,896 users of the full file,
 * 125 MB at most for 9-digit ids).
 */
export class IdBitset {
  private words = new Uint32Array(1024);

  has(id: number): boolean {
    const word = id >>> 5;
    return word < this.words.length && ((this.words[word] as number) & (1 << (id & 31))) !== 0;
  }

  add(id: number): void {
    if (!Number.isInteger(id) || id < 0 || id > 0xffffffff) throw new RangeError(`${id} is not an id from 0 to 2^32 - 1`);
    const word = id >>> 5;
    if (word >= this.words.length) this.grow(word);
    this.words[word] = (this.words[word] as number) | (1 << (id & 31));
  }

  private grow(word: number): void {
    let length = this.words.length;
    while (length <= word) length *= 2;
    const grown = new Uint32Array(length);
    grown.set(this.words);
    this.words = grown;
  }
}
