/**
 * `movalytics extract-cpi`: land the FRED CPI series in the lake, bytes unchanged.
 *
 *   --cpi-source (a FRED series id → --fred-url; an http(s) URL; a local file)
 *     → download to a temporary file, never into memory (retried on 429/5xx/network faults)
 *     → stream into raw/cpi/<run_id>/<SERIES>.csv, validating on the way: header
 *       DATE|observation_date,<SERIES> with the expected series, rows YYYY-MM-DD,<number or .>
 *       (a wrong series or a bad row fails with exit 65 and nothing new in the lake)
 *     → manifests/extract-cpi/<run_id>.json lists the object, its bytes, sha256 and source.
 *
 * Re-running for the same run id writes the same key with the same bytes and the same manifest.
 */
import { finished, type Readable } from 'node:stream';
import type { Lake } from '../core/lake/lake';
import { putJson } from '../core/lake/lake';
import { layout, RAW_SOURCE } from '../core/lake/layout';
import type { Logger } from '../core/log';
import type { TaskOutput } from '../core/result';
import type { ExtractCpiConfig } from './config';
import { FredCsvCheck, type CpiSummary } from './fred-csv-check';
import { openCpiSource, type CpiOrigin } from './open-source';

export const TASK = 'extract-cpi';

export interface ExtractDeps {
  lake: Lake;
  logger: Logger;
  runId: string;
}

export interface CpiRawObject extends CpiSummary {
  key: string;
  bytes: number;
  sha256: string;
  source_file: string;
}

export interface ExtractCpiManifest {
  task: typeof TASK;
  run_id: string;
  series: string;
  source: CpiOrigin;
  objects: CpiRawObject[];
}

export async function extractCpi(deps: ExtractDeps, config: ExtractCpiConfig): Promise<TaskOutput> {
  const { lake, logger, runId } = deps;
  const input = await openCpiSource(config, logger);
  try {
    const key = layout.raw(RAW_SOURCE.cpi, runId, `${config.series}.csv`);
    const check = new FredCsvCheck(config.series, input.object);
    await copyChecked(lake, key, input.open(), check);
    const object: CpiRawObject = { key, bytes: check.bytes, sha256: check.sha256(), source_file: input.sourceFile, ...check.result() };
    logger.info(`copied CPI series ${config.series} to ${lake.urlOf(key)}`, {
      bytes: object.bytes,
      observations: object.observations,
      first_date: object.first_date,
      last_date: object.last_date,
    });
    const manifest: ExtractCpiManifest = { task: TASK, run_id: runId, series: config.series, source: input.origin, objects: [object] };
    const manifestKey = layout.manifest(TASK, runId);
    await putJson(lake, manifestKey, manifest);
    return {
      manifest: manifestKey,
      source: input.origin.kind,
      series: config.series,
      object: key,
      bytes: object.bytes,
      observations: object.observations,
      first_date: object.first_date,
      last_date: object.last_date,
    };
  } finally {
    await input.close();
  }
}

/** Streams `source` through `check` into the lake; a validation failure wins over the lake's error. */
async function copyChecked(lake: Lake, key: string, source: Readable, check: FredCsvCheck): Promise<void> {
  let sourceFailure: unknown;
  source.on('error', (error) => {
    sourceFailure ??= error;
    check.destroy(error);
  });
  finished(check, () => source.destroy());
  source.pipe(check);
  try {
    await lake.put(key, check);
  } catch (error) {
    throw check.failure ?? sourceFailure ?? error;
  }
}
