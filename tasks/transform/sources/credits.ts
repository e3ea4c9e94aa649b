/**
 * `credits.csv` -> people, cast_members, crew_members. `cast` and `crew` are Python-literal lists
 * of dicts (one field can exceed 30,000 characters). A person appears once per credit here; the
 * transform drops repeats only as far as a bounded memory allows, and the load keeps one row per key.
 */
import { RAW_SOURCE } from '../../core/lake/layout';
import { idAt, integerAt, listOfDicts, textAt } from '../literal-columns';
import { rowOf, type SourceMapping, type StagedRow } from '../mapping';
import type { LiteralDict } from '../python-literal';
import { identifier } from '../values';
import { fieldsOf } from './columns';

export const CREDITS_HEADER = ['cast', 'crew', 'id'] as const;

const field = fieldsOf(CREDITS_HEADER);
const row = { people: rowOf('people'), cast: rowOf('cast_members'), crew: rowOf('crew_members') };

/** The record's key: its movie id. */
const keyOf = (fields: readonly string[]): number => identifier(field(fields, 'id'), 'id');

export const creditsMapping: SourceMapping = {
  source: 'credits',
  raw: { source: RAW_SOURCE.movies, file: 'credits.csv' },
  expectedHeader: CREDITS_HEADER,
  datasets: ['people', 'cast_members', 'crew_members'],
  dimensions: ['people'],
  keyOf,
  map(fields) {
    const movieId = keyOf(fields);
    const movie_id = String(movieId);
    const rows: StagedRow[] = [];
    listOfDicts(field(fields, 'cast'), 'cast').forEach((credit, index) => {
      const path = `cast[${index}]`;
      const person_id = idAt(credit, 'id', path);
      rows.push(
        personRow(credit, person_id, path),
        row.cast({
          credit_id: textAt(credit, 'credit_id', path, true),
          movie_id,
          person_id,
          character: textAt(credit, 'character', path),
          cast_order: integerAt(credit, 'order', path),
          cast_id: integerAt(credit, 'cast_id', path),
        }),
      );
    });
    listOfDicts(field(fields, 'crew'), 'crew').forEach((credit, index) => {
      const path = `crew[${index}]`;
      const person_id = idAt(credit, 'id', path);
      rows.push(
        personRow(credit, person_id, path),
        row.crew({
          credit_id: textAt(credit, 'credit_id', path, true),
          movie_id,
          person_id,
          department: textAt(credit, 'department', path),
          job: textAt(credit, 'job', path),
        }),
      );
    });
    return { key: movieId, rows };
  },
};

/** The person of a credit whose id (`credit.id`) was read already, so it is checked once. */
function personRow(credit: LiteralDict, person_id: string, path: string): StagedRow {
  return row.people({
    person_id,
    name: textAt(credit, 'name', path, true),
    gender: integerAt(credit, 'gender', path),
    profile_path: textAt(credit, 'profile_path', path),
  });
}
