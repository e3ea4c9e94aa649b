/**
 * `movalytics transform <source>`: one raw lake object -> staged gzip CSV parts of the contract's
 * datasets (tasks/core/staged.ts), a rejects file and a manifest.
 *
 *   raw/<movies|cpi>/<run_id>/<file>.csv
 *     -> check the header (wrong header: DataError, exit 65, naming the expected one)
 *     -> delete this run's old staged parts and rejects (a rerun leaves nothing stale)
 *        (a transform that fails half-way removes what it had written: no part without a manifest)
 *     -> stream records: map each to staged rows, or reject it with line and reason
 *     -> staged/<dataset>/<run_id>/part-NNNNN.csv.gz, rejects/<source>/<run_id>/rejects.csv.gz
 *     -> manifests/transform-<source>/<run_id>.json (input = accepted + rejected, per reason)
 *   --shard I/N: only the records that start in the I-th share of the raw object's bytes, cut at
 *     record boundaries (shard-input.ts); parts part-IIofNN-NNNNN.csv.gz, rejects-IIofNN.csv.gz and
 *     manifests/transform-<source>/<run_id>/shard-I-of-N.json. A record whose key a record before
 *     the shard stages is duplicate_id, as in the whole file: the N shards' outputs together are
 *     the whole transform's, and `load --shards N` loads their union.
 *     -> reject ratio above --max-reject-ratio: DataError, exit 65 (rejects and manifest are written;
 *        duplicate_id rejects do not count: a repeated id is known redundancy of the source, not bad data).
 *        A shard leaves the ratio to `load --shards N`, which judges the shards' rejects together.
 *     -> no record at all after the header: DataError, exit 65 (an empty source is not a dataset)
 *
 * Ratings are not transformed here: the load step reads the raw ratings file itself, checks and
 * maps each line in TypeScript (tasks/load/ratings-reader.ts) and COPYs the accepted rows.
 */
import { headerName } from '../core/csv-header';
import { DataError } from '../core/errors';
import type { Lake } from '../core/lake/lake';
import { layout } from '../core/lake/layout';
import type { Logger } from '../core/log';
import { Progress } from '../core/progress';
import type { TransformManifest, TransformSource } from '../core/staged';
import type { CsvRecord } from './csv-reader';
import { openShardInput } from './shard-input';
import { shardLabel, WHOLE, type Shard } from '../core/shard';
import { buildManifest, writeManifest } from './manifest';
import { checkRejectRatio } from '../core/transform-manifests';
import type { SourceMapping } from './mapping';
import { RejectsWriter } from '../core/lake/rejects-writer';
import { MAPPINGS } from './sources';
import { stageRecords } from './stage-records';
import { deleteRunOutputs, StagedOutputs } from './staged-outputs';
import type { PartLimits } from '../core/lake/staged-writer';

export const DEFAULT_MAX_REJECT_RATIO = 0.001;

export interface TransformOptions {
  source: TransformSource;
  /** Fail (exit 65) when rejected (except duplicate_id) / input records is above this. */
  maxRejectRatio: number;
  partLimits: PartLimits;
  /** One shard of the raw object (`--shard I/N`); the whole object when absent. */
  shard?: Shard;
}

export interface TransformDeps {
  lake: Lake;
  logger: Logger;
  runId: string;
}

export interface TransformResult {
  manifest: TransformManifest;
  manifestObject: string;
  rowsPerSecond: number;
}

export async function transform(options: TransformOptions, { lake, logger, runId }: TransformDeps): Promise<TransformResult> {
  const mapping = MAPPINGS[options.source];
  const rawKey = layout.raw(mapping.raw.source, runId, mapping.raw.file);
  const rawObject = await lake.head(rawKey);
  if (!rawObject) {
    throw new DataError('raw input not found: run the extract step first', { object: lake.urlOf(rawKey) });
  }
  const shard = options.shard ?? WHOLE;
  const sharded = shard.count > 1 ? shard : undefined;
  const progress = new Progress(logger, sharded ? `transform ${options.source} ${shardLabel(shard)}` : `transform ${options.source}`);
  const raw = { key: rawKey, size: rawObject.size, url: lake.urlOf(rawKey) };
  const input = await openShardInput(lake, raw, mapping, shard, {
    logger,
    onBytes: (bytes) => progress.add(0, bytes),
    checkHeader: (records) => checkHeader(records, mapping, raw.url),
  });

  const deleted = await deleteRunOutputs(lake, mapping, runId, sharded);
  if (deleted > 0) logger.info('deleted the staged parts of an earlier run', { run_id: runId, objects: deleted });
  const outputs = new StagedOutputs(lake, mapping, runId, options.partLimits, sharded);
  const rejects = new RejectsWriter(lake, mapping.source, runId, sharded);
  let inputRows: number;
  let staged: Awaited<ReturnType<StagedOutputs['close']>>;
  let rejectsObject: string | null;
  try {
    ({ inputRows } = await stageRecords(input.records, mapping, outputs, rejects, () => progress.add(1), input.earlierKeys));
    staged = await outputs.close();
    rejectsObject = await rejects.close();
  } catch (error) {
    await discardRunOutputs(lake, mapping, runId, [outputs, rejects], logger, sharded);
    throw error;
  }

  const manifest = buildManifest({
    source: options.source,
    runId,
    object: { key: rawKey, bytes: rawObject.size },
    inputRows,
    outputs: staged,
    rejectedByReason: rejects.byReason(),
    rejectedBytesByReason: rejects.bytesByReason(),
    rejectsObject,
    maxRejectRatio: options.maxRejectRatio,
    ...(sharded ? { shard: { ...sharded, ...input.range } } : {}),
  });
  const manifestObject = await writeManifest(lake, manifest);
  const { rowsPerSecond } = progress.done();
  logger.info('transform written', { manifest: manifestObject, input_rows: inputRows, rejected: manifest.rejected });
  // A shard may hold no record (a small file cut in many shards); only the whole source may not.
  if (inputRows === 0 && !sharded) {
    throw new DataError('no records after the header: the source is empty', { object: lake.urlOf(rawKey), line: 2, expected: 'at least one record' });
  }
  if (sharded) logger.info('reject ratio left to the load, which judges the shards together', { shard: shardLabel(sharded), rejected: manifest.rejected });
  else checkRejectRatio(manifest, options.maxRejectRatio, lake);
  return { manifest, manifestObject, rowsPerSecond };
}

/**
 * A transform that fails half-way (bad encoding, a lake fault, a bug) leaves nothing of the run
 * behind: the parts being written are given up (no temporary file, no open multipart upload) and
 * the parts already closed are deleted, so no staged object exists without its manifest. Best
 * effort: when the lake itself is failing, the next run's start deletes what is left.
 */
async function discardRunOutputs(
  lake: Lake,
  mapping: SourceMapping,
  runId: string,
  writers: ReadonlyArray<{ abort(reason: Error): Promise<void> }>,
  logger: Logger,
  shard: Shard | undefined,
): Promise<void> {
  try {
    const reason = new Error('transform failed');
    await Promise.all(writers.map((writer) => writer.abort(reason)));
    await deleteRunOutputs(lake, mapping, runId, shard);
  } catch (error) {
    logger.warn('could not remove the outputs of the failed transform; the next run removes them', { error: String(error) });
  }
}

/** Reads the first record and checks it is the header the mapping expects. */
async function checkHeader(records: AsyncGenerator<CsvRecord>, mapping: SourceMapping, object: string): Promise<void> {
  const first = await records.next();
  const expected = mapping.expectedHeader.join(',');
  if (first.done) throw new DataError(`empty input: expected the header "${expected}"`, { object, line: 1 });
  // Names as written by re-exports (spaces around them, a BOM the reader left on the first one).
  const header = first.value.fields.map(headerName);
  if (mapping.checkHeader) return mapping.checkHeader(header, object);
  if (header.length !== mapping.expectedHeader.length || header.some((name, i) => name !== mapping.expectedHeader[i])) {
    const found = header.join(',');
    throw new DataError(`wrong header "${found.length > 200 ? `${found.slice(0, 200)}…` : found}": expected "${expected}"`, {
      object,
      line: first.value.line,
    });
  }
}
