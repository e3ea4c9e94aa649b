/**
 * A transform's manifest for one run (`manifests/transform-<source>/<run_id>.json`), written last,
 * when the transform finished: the load takes its parts and row counts from it, the quality check
 * its row counts. One load reads it for each of its source's datasets (eleven for movies), so a
 * run's manifests are read once each.
 */
import type { Lake } from './lake/lake';
import { getJson } from './lake/lake';
import { layout } from './lake/layout';
import type { SourceLedgerCounts, TransformManifest, TransformSource } from './staged';

export interface FoundManifest {
  key: string;
  /** Undefined when the transform has not finished for this run. */
  manifest: TransformManifest | undefined;
}

export async function readTransformManifest(lake: Lake, source: TransformSource, runId: string): Promise<FoundManifest> {
  const key = layout.manifest(`transform-${source}`, runId);
  return { key, manifest: (await lake.head(key)) ? await getJson<TransformManifest>(lake, key) : undefined };
}

/** The run's transform manifests, each read from the lake at most once. */
export function transformManifests(lake: Lake, runId: string): (source: TransformSource) => Promise<FoundManifest> {
  const read = new Map<TransformSource, Promise<FoundManifest>>();
  return (source) => {
    let found = read.get(source);
    if (!found) {
      found = readTransformManifest(lake, source, runId);
      read.set(source, found);
    }
    return found;
  };
}

/** The sum of counts by reason (rejected records, rejected bytes). */
export function totalOf(countsByReason: Readonly<Record<string, number>>): number {
  return Object.values(countsByReason).reduce((sum, count) => sum + count, 0);
}

/** Rows read = staged + rejected as bad data (by reason) + repeated ids; they balance by construction. */
export function ledgerOf(rowsRead: number, rejectedByReason: Record<string, number>): SourceLedgerCounts {
  const { duplicate_id: duplicateIds = 0, ...badData } = rejectedByReason;
  return { rows_read: rowsRead, staged: rowsRead - totalOf(rejectedByReason), rejected_by_reason: badData, duplicate_ids: duplicateIds };
}
