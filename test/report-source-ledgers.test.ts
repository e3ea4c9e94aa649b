/** A source's ledger as the report reads it from a transform manifest, checked against the movies loaded. */
import type { TransformManifest } from '../tasks/core/staged';
import { sourceLedger } from '../tasks/report/source-ledgers';

const manifest = (ledger: boolean): TransformManifest => ({
  task: 'transform-movies',
  run_id: 'r1',
  source: { object: 'raw/movies/r1/movies_metadata.csv', bytes: 100 },
  input_rows: 10,
  accepted: 6,
  rejected: 4,
  rejected_by_reason: { invalid_id: 1, wrong_field_count: 1, duplicate_id: 2 },
  rejected_bytes_by_reason: {},
  rejects_object: 'rejects/movies/r1/rejects.csv.gz',
  outputs: {},
  ...(ledger ? { ledger: { rows_read: 10, staged: 6, rejected_by_reason: { invalid_id: 1, wrong_field_count: 1 }, duplicate_ids: 2 } } : {}),
});

it.each([
  ['with its ledger', true],
  ['written before manifests had one', false],
])('a manifest %s: read = loaded + rejected + repeated ids', (_name, withLedger) => {
  expect(sourceLedger(manifest(withLedger), 6)).toEqual({
    source: 'movies',
    run_id: 'r1',
    source_object: 'raw/movies/r1/movies_metadata.csv',
    rows_read: 10,
    staged: 6,
    rejected_by_reason: { invalid_id: 1, wrong_field_count: 1 },
    duplicate_ids: 2,
    loaded: 6,
    rejects_object: 'rejects/movies/r1/rejects.csv.gz',
    rejects_objects: ['rejects/movies/r1/rejects.csv.gz'],
    balanced: true,
  });
});

it('does not balance when the warehouse holds fewer movies than the transform kept', () => {
  expect(sourceLedger(manifest(true), 5)).toMatchObject({ loaded: 5, balanced: false });
});

it('another source is kept as staged and has no movies loaded', () => {
  expect(sourceLedger({ ...manifest(true), task: 'transform-keywords' }, 5)).toMatchObject({ source: 'keywords', loaded: null, balanced: true });
});
