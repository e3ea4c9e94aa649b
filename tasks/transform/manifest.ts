/**
 * The manifest of one transform run (TransformManifest in staged.ts).
 * It holds no timestamps, so a rerun on the same input writes the same bytes.
 */
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
  /** The transform's --max-reject-ratio. */
  maxRejectRatio: number;
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
    max_reject_ratio: input.maxRejectRatio,
    ...(input.shard ? { shard: input.shard } : {}),
  };
}

export async function writeManifest(lake: Lake, manifest: TransformManifest): Promise<string> {
  const key = manifest.shard ? layout.shardManifest(manifest.task, manifest.run_id, manifest.shard) : layout.manifest(manifest.task, manifest.run_id);
  await putJson(lake, key, manifest);
  return key;
}
