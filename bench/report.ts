/**
 * A bench run's results as Markdown (what `npm run bench` prints, and what BENCHMARKS.md quotes):
 * the side-by-side summary with ratios, the targets met or not, each pipeline step by step
 * against its floor, the floors, and the machine and versions.
 */
import type { Dataset } from './dataset';
import { RATINGS_FILE } from './dataset';
import type { Floors } from './floors';
import type { MachineInfo } from './machine';
import type { Part, Scale } from './options';
import type { PipelineMeasurement, StepMeasurement } from './pipeline';
import { rawFileOf } from './pipeline';
import type { PysparkMeasurement } from './pyspark';
import { TRANSFORM_SOURCES } from '../tasks/core/staged';

export interface VariantResult {
  part: Part;
  title: string;
  /** Measured right before this variant's pipeline, so both see the same machine load. */
  floors: Floors;
  pipeline: PipelineMeasurement;
}

export interface BenchResult {
  scale: Scale;
  seed: number;
  startedAt: string;
  minutes: number;
  /** 1-minute load averages at the start and the end: how busy the shared machine was. */
  loadAverage: { start: number; end: number };
  dataset: Dataset;
  machine: MachineInfo;
  variants: VariantResult[];
  pyspark: (PysparkMeasurement & { oursSeconds: number }) | undefined;
  /** Parts that failed, with their error: the run still reports the others. */
  failures: string[];
}

const RSS_TARGET_MB = 256;
const MB = 1e6;

export function renderResult(result: BenchResult): string {
  return [
    `# Bench: ${result.scale} scale (${count(ratingsRows(result.dataset))} ratings), ${result.startedAt}`,
    '',
    `Took ${result.minutes.toFixed(1)} min. Load average (1 min) ${result.loadAverage.start.toFixed(1)} at the start, ${result.loadAverage.end.toFixed(1)} at the end, on ${result.machine.cores} cores.`,
    '',
    ...(result.failures.length > 0 ? ['## Failed parts', '', ...result.failures.map((failure) => `- ${failure}`), ''] : []),
    '## Summary',
    '',
    summaryTable(result),
    '',
    '## Targets',
    '',
    targets(result),
    ...result.variants.flatMap((variant) => ['', `## Steps: ${variant.title}`, '', stepTable(variant)]),
    '',
    '## Floors',
    '',
    floorTable(result),
    '',
    '## Machine and versions',
    '',
    machineTable(result.machine),
    '',
  ].join('\n');
}

function summaryTable(result: BenchResult): string {
  const header = ['', ...result.variants.map((variant) => variant.title), ...(result.pyspark ? ['PySpark peer'] : [])];
  const column = (pick: (variant: VariantResult) => string) => result.variants.map(pick);
  const peer = (value: string) => (result.pyspark ? [value] : []);
  const pyspark = result.pyspark;
  const rows = [
    ['whole pipeline, s', ...column((v) => seconds(v.pipeline.seconds)), ...peer(pyspark ? seconds(pyspark.seconds) : '')],
    ['sum of the floors (same run), s', ...column((v) => seconds(v.floors.totalSeconds)), ...peer('')],
    ['**pipeline ÷ floors**', ...column((v) => `**${ratio(v.pipeline.seconds / v.floors.totalSeconds)}**`), ...peer('')],
    ['shards', ...column((v) => String(v.pipeline.shards)), ...peer('')],
    ['ratings load (shards to the swap), s', ...column((v) => seconds(v.pipeline.ratingsLoadSeconds)), ...peer(pyspark ? seconds(pyspark.jobs.ratings) : '')],
    ['psql \\copy floor, s', ...column((v) => seconds(v.floors.copy.seconds)), ...peer('')],
    ['**ratings load ÷ \\copy**', ...column((v) => `**${ratio(v.pipeline.ratingsLoadSeconds / v.floors.copy.seconds)}**`), ...peer('')],
    ['largest peak RSS of a step, MiB', ...column((v) => largestRss(v.pipeline.steps)), ...peer(pyspark ? `${mib(pyspark.peakRssMb)} (JVM)` : '')],
    ['ratings analysed (report)', ...column((v) => count(v.pipeline.ratingsAnalysed)), ...peer('')],
  ];
  if (pyspark) rows.push(['**PySpark peer ÷ ours**', ...column((v) => `**${ratio(pyspark.seconds / v.pipeline.seconds)}**`), ...peer('')]);
  return markdownTable(header, rows);
}

function targets(result: BenchResult): string {
  const postgres = result.variants.find((variant) => variant.part === 'pg-file');
  const pglite = result.variants.find((variant) => variant.part === 'pglite');
  const lines: string[] = [];
  const verdict = (met: boolean) => (met ? 'met' : '**not met**');
  if (postgres) {
    const load = postgres.pipeline.ratingsLoadSeconds / postgres.floors.copy.seconds;
    lines.push(`- Ratings load within 1.2× of the \`\\copy\` floor: ${ratio(load)}, ${verdict(load <= 1.2)}.`);
    const whole = postgres.pipeline.seconds / postgres.floors.totalSeconds;
    lines.push(`- Whole pipeline on PostgreSQL within 2× of the floors: ${ratio(whole)}, ${verdict(whole <= 2)}.`);
    if (result.pyspark) {
      const faster = result.pyspark.seconds / postgres.pipeline.seconds;
      lines.push(`- At least 10× faster than the PySpark peer: ${ratio(faster)}, ${verdict(faster >= 10)}.`);
    }
  }
  const steps = result.variants.flatMap((variant) => variant.pipeline.steps.map((s) => ({ variant: variant.title, step: s })));
  const largest = steps.reduce<(typeof steps)[number] | undefined>((max, item) => (!max || item.step.peakRssMb > max.step.peakRssMb ? item : max), undefined);
  if (largest) {
    const over = steps.filter((item) => item.step.peakRssMb >= RSS_TARGET_MB);
    lines.push(
      `- Peak RSS of every task under ${RSS_TARGET_MB} MiB: largest ${mib(largest.step.peakRssMb)} MiB (${largest.step.id}, ${largest.variant}), ${verdict(over.length === 0)}` +
        (over.length > 0 ? `; over: ${over.map((item) => `${item.step.id} (${item.variant}) ${mib(item.step.peakRssMb)}`).join(', ')}.` : '.'),
    );
  }
  if (pglite) lines.push(`- PGlite run of the ${result.scale} scale completes: ${minutes(pglite.pipeline.seconds)}, met.`);
  return lines.join('\n');
}

function stepTable(variant: VariantResult): string {
  const header = ['step', 'wall s', 'rows', 'rows/s', 'MB', 'MB/s', 'peak RSS MiB', 'floor', 'floor s', '× floor'];
  const rows = variant.pipeline.steps.map((s) => {
    const floor = floorOf(variant.floors, s.id);
    return [
      s.id,
      seconds(s.seconds),
      s.rows === undefined ? '' : count(s.rows),
      s.rows === undefined ? '' : count(s.rows / s.seconds),
      s.bytes === undefined ? '' : (s.bytes / MB).toFixed(1),
      s.bytes === undefined ? '' : (s.bytes / MB / s.seconds).toFixed(1),
      mib(s.peakRssMb),
      floor?.label ?? '',
      floor ? seconds(floor.seconds) : '',
      floor ? ratio(s.seconds / floor.seconds) : '',
    ];
  });
  rows.push([
    '**whole pipeline**',
    `**${seconds(variant.pipeline.seconds)}**`,
    '', '', '', '',
    `**${largestRss(variant.pipeline.steps)}**`,
    'sum of the floors',
    seconds(variant.floors.totalSeconds),
    `**${ratio(variant.pipeline.seconds / variant.floors.totalSeconds)}**`,
  ]);
  return [markdownTable(header, rows), phaseList(variant.pipeline.steps)].filter(Boolean).join('\n\n');
}

/** What the long steps logged about their own parts (e.g. the ratings load's SQL statements). */
function phaseList(steps: readonly StepMeasurement[]): string {
  // Progress lines and the task's own closing line say nothing the step's row does not.
  const parts = (s: StepMeasurement) => s.phases.filter((phase) => !/(in progress|succeeded)$/.test(phase.message));
  return steps
    .filter((s) => parts(s).length > 1 && s.seconds >= 5)
    .map((s) => `- ${s.id}: ${parts(s).map((phase) => `${phase.message} ${seconds(phase.seconds)} s`).join('; ')}.`)
    .join('\n');
}

/** The floor a step is measured against: \copy for the ratings load, plain reads for extracts and transforms. */
function floorOf(floors: Floors, stepId: string): { label: string; seconds: number } | undefined {
  if (stepId === 'load_ratings_shard') return { label: '\\copy ratings', seconds: floors.copy.seconds };
  if (stepId === 'extract_movies') {
    const reads = Object.entries(floors.reads).filter(([name]) => name !== 'CUSR0000SS62031.csv');
    return { label: `read ${reads.length} files`, seconds: reads.reduce((total, [, read]) => total + read.seconds, 0) };
  }
  const source = TRANSFORM_SOURCES.find((name) => stepId === `transform_${name}`) ?? (stepId === 'extract_cpi' ? 'cpi' : undefined);
  if (!source) return undefined;
  const file = rawFileOf(source);
  const read = floors.reads[file];
  return read ? { label: `read ${file}`, seconds: read.seconds } : undefined;
}

function floorTable(result: BenchResult): string {
  const header = ['floor', ...result.variants.map((variant) => `${variant.title}: s`), 'rows/s or MB/s', 'peak RSS MiB'];
  const first = result.variants[0];
  if (!first) return '(no pipeline measured)';
  const rows = [
    [
      `psql \\copy ${RATINGS_FILE} (${count(first.floors.copy.rows)} rows)`,
      ...result.variants.map((variant) => seconds(variant.floors.copy.seconds)),
      `${count(first.floors.copy.rows / first.floors.copy.seconds)} rows/s`,
      mib(first.floors.copy.peakRssMb),
    ],
    ...result.dataset.files.map((file) => [
      `read ${file.name} (${(file.bytes / MB).toFixed(1)} MB)`,
      ...result.variants.map((variant) => seconds(variant.floors.reads[file.name]?.seconds, 2)),
      `${(file.bytes / MB / (first.floors.reads[file.name]?.seconds ?? NaN)).toFixed(0)} MB/s`,
      mib(first.floors.reads[file.name]?.peakRssMb ?? NaN),
    ]),
    ['**sum**', ...result.variants.map((variant) => `**${seconds(variant.floors.totalSeconds)}**`), '', ''],
  ];
  return markdownTable(header, rows);
}

function machineTable(machine: MachineInfo): string {
  const rows = [
    ['CPU', `${machine.cpu}, ${machine.cores} cores`],
    ['memory', `${machine.memoryGb} GiB`],
    ['OS', `${machine.os}, Linux ${machine.kernel}`],
    ...Object.entries(machine.versions),
  ];
  return markdownTable(['', ''], rows, 'left');
}

function ratingsRows(dataset: Dataset): number {
  return dataset.files.find((file) => file.name === RATINGS_FILE)?.records ?? NaN;
}

function largestRss(steps: readonly StepMeasurement[]): string {
  const largest = steps.reduce<StepMeasurement | undefined>((max, s) => (!max || s.peakRssMb > max.peakRssMb ? s : max), undefined);
  return largest ? `${mib(largest.peakRssMb)} (${largest.id})` : '';
}

/** A Markdown table; columns after the first hold numbers and align right unless told otherwise. */
function markdownTable(header: readonly string[], rows: readonly (readonly string[])[], align: 'left' | 'right' = 'right'): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const rule = header.map((_, column) => (column === 0 || align === 'left' ? '---' : '---:'));
  return [line(header), line(rule), ...rows.map(line)].join('\n');
}

const seconds = (value: number | undefined, digits = 1) => (value === undefined || Number.isNaN(value) ? '' : value.toFixed(digits));
const ratio = (value: number) => (Number.isFinite(value) ? `${value.toFixed(value >= 10 ? 0 : 2)}×` : '');
const mib = (value: number) => value.toFixed(0);
const count = (value: number) => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '');
const minutes = (value: number) => `${Math.floor(value / 60)} min ${Math.round(value % 60)} s`;
