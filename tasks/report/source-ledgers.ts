/**
 * Every transformed source's ledger for the report, read from the run's transform manifests in the
 * lake (they hold the counts already, so nothing new is recorded in the warehouse). The movies'
 * ledger is checked against the warehouse: the movies it holds must be the records kept.
 */
import type { Lake } from '../core/lake/lake';
import { TRANSFORM_SOURCES, type TransformManifest } from '../core/staged';
import { ledgerOf, totalOf, transformManifests } from '../core/transform-manifests';
import type { SourceLedger } from './report';

export function sourceLedger(manifest: TransformManifest, moviesLoaded: number): SourceLedger {
  const source = manifest.task.replace(/^transform-/, '');
  const counts = manifest.ledger ?? ledgerOf(manifest.input_rows, manifest.rejected_by_reason);
  const loaded = source === 'movies' ? moviesLoaded : null;
  const kept = loaded ?? counts.staged;
  return {
    source,
    run_id: manifest.run_id,
    source_object: manifest.source.object,
    ...counts,
    loaded,
    rejects_object: manifest.rejects_object,
    rejects_objects: manifest.rejects_objects ?? (manifest.rejects_object === null ? [] : [manifest.rejects_object]),
    balanced: counts.rows_read === kept + totalOf(counts.rejected_by_reason) + counts.duplicate_ids,
  };
}

/** The ledgers of the sources whose transform manifest of `runId` is in the lake, in the sources' order. */
export async function readSourceLedgers(lake: Lake, runId: string, moviesLoaded: number): Promise<SourceLedger[]> {
  const manifestOf = transformManifests(lake, runId);
  const found = await Promise.all(TRANSFORM_SOURCES.map(async (source) => (await manifestOf(source)).manifest));
  return found.filter((manifest) => manifest !== undefined).map((manifest) => sourceLedger(manifest, moviesLoaded));
}
