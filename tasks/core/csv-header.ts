/**
 * A CSV header line read as CSV: the names between commas outside quotes, each without the spaces
 * around it and without its quotes (a doubled quote inside is one quote), a UTF-8 BOM and a CR
 * line end dropped. Files re-exported by spreadsheets, pandas or a data portal write headers such
 * as `"Date","CUSR0000SS62031"` or `userId, movieId`: the same columns as the plain spelling.
 */
const BOM = '\uFEFF';

export function headerNames(line: string): string[] {
  const text = line.replace(/^\uFEFF/, '').replace(/\r$/, '');
  const names: string[] = [];
  let name = '';
  let quoted = false;
  for (let at = 0; at < text.length; at++) {
    const char = text[at] as string;
    if (quoted) {
      if (char !== '"') name += char;
      else if (text[at + 1] === '"') name += text[++at] as string;
      else quoted = false;
    } else if (char === ',') {
      names.push(name);
      name = '';
    } else if (char === '"' && name.trim() === '') {
      // A quote opens a quoted name only at its start (after spaces); elsewhere it is a character.
      name = '';
      quoted = true;
    } else {
      name += char;
    }
  }
  names.push(name);
  return names.map(headerName);
}

/**
 * One name of a header already split into fields by a CSV reader: without the BOM and spaces
 * around it, and without the quotes a reader leaves on a field that a space precedes (` "Date"`).
 */
export function headerName(field: string): string {
  const name = (field.startsWith(BOM) ? field.slice(BOM.length) : field).trim();
  const quoted = /^"(.*)"$/s.exec(name);
  return quoted ? (quoted[1] as string).replaceAll('""', '"').trim() : name;
}
