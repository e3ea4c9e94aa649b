/**
 * The next occurrence of one character in a text, remembered: fields that hold no such character
 * do not each search to the end of the text again (the CSV reader's line breaks, the Python-literal
 * parser's backslashes). A search from an earlier position (a parser backtracking) searches anew.
 */
export class NextOccurrence {
  private text = '';
  private at = -1;
  private searchedFrom = Number.POSITIVE_INFINITY;

  constructor(private readonly char: string) {}

  reset(text: string): void {
    this.text = text;
    this.searchedFrom = Number.POSITIVE_INFINITY;
  }

  /** The first offset at or after `pos` holding the character, or -1. */
  from(pos: number): number {
    if (pos < this.searchedFrom || (this.at !== -1 && this.at < pos)) {
      this.at = this.text.indexOf(this.char, pos);
      this.searchedFrom = pos;
    }
    return this.at;
  }
}
