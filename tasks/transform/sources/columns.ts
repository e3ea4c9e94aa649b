/** Access to a source record's fields by header name, with the index resolved once per source. */
export type FieldGetter<Name extends string> = (fields: readonly string[], name: Name) => string;

export function fieldsOf<Name extends string>(header: readonly Name[]): FieldGetter<Name> {
  const index = new Map<string, number>(header.map((name, position) => [name, position]));
  return (fields, name) => fields[index.get(name) ?? -1] ?? '';
}

/** Keeps the first of repeated items, e.g. a genre listed twice for one movie. */
export function uniqueBy<T>(items: readonly T[], keyOf: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = keyOf(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
