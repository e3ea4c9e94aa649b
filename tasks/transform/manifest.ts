/**
 * The manifest of one transform run (TransformManifest in staged.ts) and the reject-ratio check.
 * It holds no timestamps, so a rerun on the same input writes the same bytes.
 */
import { rejectRatioError } from '../core/reject-ratio';
import type { Lake } from '../core/lake/lake';
import { putJson } from '../core/lake/lake';
import { layout } from '../core/lake/layout';
import type { Shard } from '../core/shard';
import type { ShardOfSource, TransformManifest, TransformSource } from '../core/staged';
import { ledgerOf, totalOf } from '../core/transform-manifests';
import type { StagedOutput } from '../core/lake/staged-writer';

export const manifestTask = (source: TransformSource): string => `transform-${source}`;

/** The manifest of the whole source's transform, or of one shard of it. */
export const manifestKey = (source: TransformSource, runId: string, shard?: Shard): string =>
  shard ? layout.shardManifest(manifestTask(source), runId, shard) : layout.manifest(manifestTask(source), runId);

export interface ManifestInput {
  source: TransformSource;
  runId: string;
  object: { key: string; bytes: number };
  inputRows: number;
  rejectedByReason: Record<string, number>;
  rejectedBytesByReason: Record<string, number>;
  rejectsObject: string | null;
  outputs: Record<string, StagedOutput>;
  /** A shard's manifest: which shard, and its bytes of the raw object. */
  shard?: ShardOfSource;
}

export function buildManifest(input: ManifestInput): TransformManifest {
  const rejected = totalOf(input.rejectedByReason);
  return {
    task: manifestTask(input.source),
    run_id: input.runId,
    source: { object: input.object.key, bytes: input.object.bytes },
    input_rows: input.inputRows,
    accepted: input.inputRows - rejected,
    rejected,
    rejected_by_reason: input.rejectedByReason,
    rejected_bytes_by_reason: input.rejectedBytesByReason,
    rejects_object: input.rejectsObject,
    outputs: input.outputs,
    ledger: ledgerOf(input.inputRows, input.rejectedByReason),
    ...(input.shard ? { shard: input.shard } : {}),
  };
}

export async function writeManifest(lake: Lake, manifest: TransformManifest): Promise<string> {
  const key = manifest.shard ? layout.shardManifest(manifest.task, manifest.run_id, manifest.shard) : layout.manifest(manifest.task, manifest.run_id);
  await putJson(lake, key, manifest);
  return key;
}

/**
 * Records that count against `--max-reject-ratio`: every reject except `duplicate_id`. A repeated
 * id is the source's known redundancy (the real keywords.csv repeats ~2% of its ids), not bad data:
 * the first record of the id is staged, nothing is lost, and the repeats are still listed in the
 * rejects file and the manifest.
 */
export function rejectsCountedInRatio(manifest: TransformManifest): number {
  return manifest.rejected - (manifest.rejected_by_reason.duplicate_id ?? 0);
}

/** The bytes of the rejects counted in the ratio (as rejectsCountedInRatio counts records). */
export function rejectedBytesCountedInRatio(manifest: TransformManifest): number {
  return totalOf(manifest.rejected_bytes_by_reason) - (manifest.rejected_bytes_by_reason.duplicate_id ?? 0);
}

/**
 * Fails with DataError (exit 65) when more than `maxRatio` of the records, or of the source's
 * bytes, were rejected for bad data.
 */
export function checkRejectRatio(manifest: TransformManifest, maxRatio: number, lake: Lake): void {
  const tally = {
    rejected: rejectsCountedInRatio(manifest),
    total: manifest.input_rows,
    bytes: { rejected: rejectedBytesCountedInRatio(manifest), total: manifest.source.bytes },
    noun: 'records',
    note: 'duplicate ids not counted',
  };
  const error = rejectRatioError(tally, maxRatio, {
    object: lake.urlOf(manifest.source.object),
    rejects: manifest.rejects_object ? lake.urlOf(manifest.rejects_object) : undefined,
  });
  if (error) throw error;
}
