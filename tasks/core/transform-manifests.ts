/**
 * A transform's manifest for one run (`manifests/transform-<source>/<run_id>.json`), written last,
 * when the transform finished: the load takes its parts and row counts from it, the quality check
 * its row counts. One load reads it for each of its source's datasets (eleven for movies), so a
 * run's manifests are read once each.
 */
import { DataError } from './errors';
import { rejectRatioError } from './reject-ratio';
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

/**
 * The N shard manifests of a source's transform (`transform <source> --shard I/N`), as ONE
 * manifest: their parts in shard order, their counts summed. Each shard already rejected the
 * repeats of keys an earlier shard stages, so the sums are the whole transform's. Every shard must
 * have finished, on the same raw object; else a DataError names the shard to (re)run.
 */
export async function readShardedTransformManifest(lake: Lake, source: TransformSource, runId: string, count: number): Promise<FoundManifest> {
  const task = `transform-${source}`;
  const shards: TransformManifest[] = [];
  for (let index = 1; index <= count; index++) {
    const key = layout.shardManifest(task, runId, { index, count });
    const rerun = `run "movalytics transform ${source} --shard ${index}/${count}"`;
    if (!(await lake.head(key))) throw new DataError(`shard ${index}/${count} of the ${source} transform has not finished: ${rerun}`, { object: lake.urlOf(key) });
    const manifest = await getJson<TransformManifest>(lake, key);
    const first = shards[0];
    if (first && (manifest.source.object !== first.source.object || manifest.source.bytes !== first.source.bytes)) {
      throw new DataError(`shard ${index}/${count} of the ${source} transform read another raw object than shard 1: ${rerun}`, {
        object: lake.urlOf(key),
        expected: `${first.source.object} of ${first.source.bytes} bytes`,
      });
    }
    shards.push(manifest);
  }
  return { key: layout.shardManifest(task, runId, { index: 1, count }), manifest: combineShards(shards) };
}

function combineShards(shards: readonly TransformManifest[]): TransformManifest {
  const [first] = shards;
  if (!first) throw new TypeError('no shard manifest to combine');
  const sum = (counts: ReadonlyArray<Readonly<Record<string, number>>>): Record<string, number> => {
    const total = new Map<string, number>();
    for (const byReason of counts) for (const [reason, count] of Object.entries(byReason)) total.set(reason, (total.get(reason) ?? 0) + count);
    return Object.fromEntries([...total.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  };
  const rejectedByReason = sum(shards.map((shard) => shard.rejected_by_reason));
  const inputRows = shards.reduce((total, shard) => total + shard.input_rows, 0);
  const outputs: TransformManifest['outputs'] = {};
  for (const name of Object.keys(first.outputs)) {
    const parts = shards.map((shard) => shard.outputs[name] ?? { rows: 0, objects: [] });
    outputs[name] = { rows: parts.reduce((total, part) => total + part.rows, 0), objects: parts.flatMap((part) => part.objects) };
  }
  // The combined manifest describes the whole source, not one shard of it.
  const common: TransformManifest = { ...first };
  delete common.shard;
  delete common.max_reject_ratio;
  const ratios = shards.flatMap((shard) => (shard.max_reject_ratio === undefined ? [] : [shard.max_reject_ratio]));
  return {
    ...common,
    input_rows: inputRows,
    accepted: shards.reduce((total, shard) => total + shard.accepted, 0),
    rejected: totalOf(rejectedByReason),
    rejected_by_reason: rejectedByReason,
    rejected_bytes_by_reason: sum(shards.map((shard) => shard.rejected_bytes_by_reason)),
    rejects_object: shards.find((shard) => shard.rejects_object !== null)?.rejects_object ?? null,
    rejects_objects: shards.flatMap((shard) => (shard.rejects_object === null ? [] : [shard.rejects_object])),
    outputs,
    ledger: ledgerOf(inputRows, rejectedByReason),
    // Shards of one run were given one ratio; should they differ, the strictest holds.
    ...(ratios.length > 0 ? { max_reject_ratio: Math.min(...ratios) } : {}),
  };
}

/**
 * The run's finished transform of a source, however it ran: the whole transform's manifest, or
 * else the shards' combined when every shard of the run's shard count has finished (a transform
 * removes the manifests of the run's other layouts, so there is one count). For the readers that
 * are not told the count (quality-check, report).
 */
export async function readFinishedTransformManifest(lake: Lake, source: TransformSource, runId: string): Promise<FoundManifest> {
  const whole = await readTransformManifest(lake, source, runId);
  if (whole.manifest) return whole;
  const shardKey = /\/shard-(\d+)-of-(\d+)\.json$/;
  const [first] = (await lake.list(layout.shardManifests(`transform-${source}`, runId))).map((object) => shardKey.exec(object.key)).filter((match) => match !== null);
  if (!first) return whole;
  try {
    return await readShardedTransformManifest(lake, source, runId, Number(first[2]));
  } catch (error) {
    // A shard has not finished: the transform has not.
    if (error instanceof DataError) return { key: layout.shardManifests(`transform-${source}`, runId), manifest: undefined };
    throw error;
  }
}

/**
 * The run's transform manifests, each read from the lake at most once: the whole transform's
 * (`shards` 1), the N shards' combined (`shards` N), or whichever finished (no `shards`).
 */
export function transformManifests(lake: Lake, runId: string, shards?: number): (source: TransformSource) => Promise<FoundManifest> {
  const read = new Map<TransformSource, Promise<FoundManifest>>();
  return (source) => {
    let found = read.get(source);
    if (!found) {
      found =
        shards === undefined
          ? readFinishedTransformManifest(lake, source, runId)
          : shards > 1
            ? readShardedTransformManifest(lake, source, runId, shards)
            : readTransformManifest(lake, source, runId);
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
 * bytes, were rejected for bad data: the transform judges its whole source; a shard does not judge
 * its share alone (where rejects cluster, its ratio says nothing of the file's), and the load judges
 * the shards' combined manifest, so that the outcome does not depend on the shard count.
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
