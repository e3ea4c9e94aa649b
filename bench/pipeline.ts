/**
 * The whole pipeline, measured step by step: `movalytics run`'s own runPipeline (the same step
 * graph, order, environment and checks), with a step runner that spawns each step's process
 * under GNU time (measure.ts) and keeps its wall time, peak RSS and task result. Rows and bytes
 * per step come from the task results and the generated files; staged bytes from the lake.
 */
import { createHash } from 'node:crypto';
import { comparableReport } from './comparable-report';
import { layout } from '../tasks/core/lake/layout';
import type { Lake } from '../tasks/core/lake/lake';
import { createLogger } from '../tasks/core/log';
import type { WarehouseKind } from '../tasks/core/warehouse/warehouse';
import type { ResultValue, TaskResult } from '../tasks/core/result';
import { STAGED_DATASETS, TRANSFORM_SOURCES, type TransformSource } from '../tasks/core/staged';
import { parseLogLine, parseResult, type LogLine, type StepRunner } from '../tasks/pipeline/child-step';
import { runPipeline } from '../tasks/pipeline/run';
import { PIPELINE_STEPS, type PipelineStep } from '../tasks/pipeline/steps';
import { MAPPINGS } from '../tasks/transform/sources';
import { CPI_FILE, RATINGS_FILE, sourceFile, type Dataset } from './dataset';
import { measure, type Measurement } from './measure';
import { CLI, type BenchOptions } from './options';

export const BENCH_RUN_ID = 'bench';

export interface PipelineTarget {
  lakeUrl: string;
  lake: Lake;
  warehouseUrl: string;
  warehouseKind: WarehouseKind;
  schema: string;
  /** Extra environment of every step (the S3 lake's endpoint and credentials). */
  env: Record<string, string>;
}

export interface StepMeasurement extends Measurement {
  id: string;
  rows: number | undefined;
  bytes: number | undefined;
  /** Parts of the step that logged their own duration (a log line with `seconds`), in order. */
  phases: { message: string; seconds: number }[];
}

export interface PipelineMeasurement {
  /** Shards of the mapped steps (`movalytics run --shards`). */
  shards: number;
  /** Each step as it ran, a mapped step as its instances (`load_ratings_shard[2]`). */
  steps: StepMeasurement[];
  /** From the first ratings shard's start to the end of the step that put them in place. */
  ratingsLoadSeconds: number;
  /** sha256 of the report.json as variants compare it (comparableReport): equal digests, equal answers. */
  reportDigest: string;
  /** Wall time of the whole run, steps and the run's own work (reading the report) together. */
  seconds: number;
  ratingsAnalysed: number;
}

export async function measurePipeline(
  options: BenchOptions,
  shards: number,
  dataset: Dataset,
  target: PipelineTarget,
  log: (line: string) => void,
): Promise<PipelineMeasurement> {
  const measured = new Map<string, StepOutcome>();
  const runStep: StepRunner = async (argv, env, onLog) => {
    const outcome = await measuredStep(argv, env, onLog);
    measured.set(stepIdOf(argv), outcome);
    return { exitCode: outcome.measurement.exitCode, result: outcome.result, lastError: outcome.lastError };
  };
  const startedAt = process.hrtime.bigint();
  const { report } = await runPipeline(
    {
      runId: BENCH_RUN_ID,
      dataDir: options.cacheDir,
      moviesSource: dataset.folder,
      cpiSource: undefined,
      scale: options.scale,
      seed: options.seed,
      stepEnv: {
        ...target.env,
        MOVALYTICS_LAKE: target.lakeUrl,
        MOVALYTICS_WAREHOUSE: target.warehouseUrl,
        MOVALYTICS_WAREHOUSE_SCHEMA: target.schema,
        MOVALYTICS_LOG_LEVEL: 'info',
      },
      parallel: options.parallel,
      warehouseKind: target.warehouseKind,
      shards,
    },
    {
      runStep,
      lake: target.lake,
      logger: createLogger('bench', { level: 'warn' }),
      print: (text) => {
        // The step lines only; the four answers are the report's business, not the bench's.
        if (/^[✓✗]/.test(text)) log(`  ${text.trimEnd()}`);
      },
      env: options.childEnv,
    },
  );
  const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
  const steps: StepMeasurement[] = [];
  for (const [id, outcome] of measured) {
    const volume = await volumeOf(id, outcome.result, dataset, target.lake);
    steps.push({ id, ...outcome.measurement, ...volume, phases: outcome.phases });
  }
  return {
    shards,
    steps,
    seconds,
    ratingsLoadSeconds: spanOf(measured, 'load_ratings'),
    reportDigest: createHash('sha256').update(JSON.stringify(comparableReport(report, target.lake.url))).digest('hex'),
    ratingsAnalysed: report.coverage.ratings_analysed,
  };
}

/** The step id of a command line: the graph's id, `<id>[I]` for shard I of a mapped step. */
function stepIdOf(argv: readonly string[]): string {
  const flag = argv.find((arg) => arg === '--shard' || arg === '--shards');
  const plain = flag ? argv.slice(0, argv.indexOf(flag)) : argv;
  // `load ratings` is both the ratings shard (run unsharded with one shard) and the gathering step (always with --shards).
  const role = (shards: PipelineStep['shards']) => (flag === '--shard' ? shards === 'each' : flag === '--shards' ? shards === 'all' : shards !== 'all');
  const id = PIPELINE_STEPS.find((step) => step.argv.join(' ') === plain.join(' ') && role(step.shards))?.id ?? argv.join(' ');
  return flag === '--shard' ? `${id}[${(argv[argv.indexOf(flag) + 1] ?? '').split('/')[0] ?? ''}]` : id;
}

/** Seconds from the first start of the steps feeding `gatherId` (its shards) to its end. */
function spanOf(measured: ReadonlyMap<string, StepOutcome>, gatherId: string): number {
  const gather = PIPELINE_STEPS.find((step) => step.id === gatherId);
  const feeding = [...measured].filter(([id]) => id === gatherId || (gather?.upstream ?? []).some((upstream) => id === upstream || id.startsWith(`${upstream}[`)));
  if (feeding.length === 0) return Number.NaN;
  const start = Math.min(...feeding.map(([, outcome]) => outcome.startedAt));
  const end = Math.max(...feeding.map(([, outcome]) => outcome.startedAt + outcome.measurement.seconds * 1000));
  return (end - start) / 1000;
}

interface StepOutcome {
  /** Epoch milliseconds when the step was spawned. */
  startedAt: number;
  measurement: Measurement;
  result: TaskResult | undefined;
  lastError: string | undefined;
  phases: StepMeasurement['phases'];
}

async function measuredStep(argv: string[], env: NodeJS.ProcessEnv, onLog: (line: LogLine) => void): Promise<StepOutcome> {
  let lastStdout = '';
  let lastError: string | undefined;
  const phases: StepMeasurement['phases'] = [];
  const startedAt = Date.now();
  const measurement = await measure(process.execPath, [CLI, ...argv], {
    env,
    onStdoutLine: (line) => {
      if (line.trim() !== '') lastStdout = line;
    },
    onStderrLine: (line) => {
      const parsed = parseLogLine(line);
      if (parsed.level === 'error') lastError = parsed.message;
      if (typeof parsed.seconds === 'number') phases.push({ message: parsed.message, seconds: parsed.seconds });
      onLog(parsed);
    },
  });
  return { startedAt, measurement, result: parseResult(lastStdout), lastError, phases };
}

/** Rows and bytes a step went through, for rows/s and MB/s. */
async function volumeOf(
  stepId: string,
  result: TaskResult | undefined,
  dataset: Dataset,
  lake: Lake,
): Promise<{ rows: number | undefined; bytes: number | undefined }> {
  const source = TRANSFORM_SOURCES.find((name) => stepId === `transform_${name}` || stepId === `load_${name}`);
  if (stepId === 'extract_movies') {
    const files = dataset.files.filter((file) => file.name !== CPI_FILE);
    return { rows: sum(files.map((file) => file.records)), bytes: sum(files.map((file) => file.bytes)) };
  }
  if (stepId === 'extract_cpi') return { rows: numberIn(result, ['observations']), bytes: sourceFile(dataset, CPI_FILE).bytes };
  if (stepId.startsWith('load_ratings_shard')) {
    // A shard reads its share of the file: its bytes are the whole file's only when it is the one shard.
    const whole = stepId === 'load_ratings_shard';
    return { rows: numberIn(result, ['datasets', 'ratings', 'ratings_total']), bytes: whole ? sourceFile(dataset, RATINGS_FILE).bytes : undefined };
  }
  if (source && stepId.startsWith('transform_')) return { rows: numberIn(result, ['input_rows']), bytes: sourceFile(dataset, rawFileOf(source)).bytes };
  if (source && stepId.startsWith('load_')) return stagedVolume(source, result, lake);
  return { rows: undefined, bytes: undefined };
}

/** A staged load: rows staged (from its result) and the bytes of the staged gzip parts it read. */
async function stagedVolume(source: TransformSource, result: TaskResult | undefined, lake: Lake): Promise<{ rows: number; bytes: number }> {
  let rows = 0;
  let bytes = 0;
  for (const dataset of STAGED_DATASETS.filter((candidate) => candidate.source === source)) {
    rows += numberIn(result, ['datasets', dataset.name, 'rows_staged']) ?? 0;
    bytes += sum((await lake.list(layout.stagedPrefix(dataset.name, BENCH_RUN_ID))).map((object) => object.size));
  }
  return { rows, bytes };
}

export function rawFileOf(source: TransformSource): string {
  return MAPPINGS[source].raw.file;
}

function numberIn(value: ResultValue | TaskResult | undefined, keys: readonly string[]): number | undefined {
  let current: ResultValue | TaskResult | undefined = value;
  for (const key of keys) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = current[key];
  }
  return typeof current === 'number' ? current : undefined;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
