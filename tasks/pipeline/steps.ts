/**
 * The pipeline's step graph, in one place: `movalytics run` executes it in dependency order, and the
 * Airflow DAG builds its tasks from it (`movalytics steps --dag-module` writes it into the DAG's
 * package). A step is one CLI invocation; the runtime adds the common flags (run id, lake,
 * warehouse) and the sources.
 *
 * Mapped steps: a step marked `shards: 'each'` runs as N tasks, each with `--shard I/N` (Airflow's
 * `.expand()`, `run` alike), and one marked `shards: 'all'` runs once after them with `--shards N`.
 * N comes from the run (`--shards`, the DAG's `shards` param) or else from extract_movies' result
 * (`shards`: one per 512 MiB of the largest raw file). With N = 1 a mapped step runs once, unsharded.
 */
import { STAGED_DATASETS, TRANSFORM_SOURCES, type TransformSource } from '../core/staged';

export interface PipelineStep {
  /** Task id, as in Airflow: lowercase words joined by `_`. */
  id: string;
  /** CLI arguments after `movalytics`. */
  argv: string[];
  upstream: string[];
  /** How long the orchestrator lets it run before it is stopped and retried (Airflow's execution_timeout). */
  timeoutMinutes?: number;
  /** 1 light, 2 heavy: Airflow pool slots and Kubernetes resources scale with it. */
  weight?: 1 | 2;
  /** `each`: one task per shard (`--shard I/N`); `all`: once, over all shards (`--shards N`). */
  shards?: ShardRole;
}

export type ShardRole = 'each' | 'all';

/** The step whose result suggests the shard count (`shards`, from the raw files' sizes). */
export const SHARD_COUNT_STEP = 'extract_movies';

const DEFAULT_TIMEOUT_MINUTES = 60;
/** Transforms that read the large sources (the full credits file is 190 MB). */
const HEAVY_SOURCES: readonly TransformSource[] = ['movies', 'credits'];
/** Sources whose transform splits into shards (the ratings load always does). */
const SHARDED_SOURCES: readonly TransformSource[] = ['movies', 'credits'];

const datasetsOf = (source: TransformSource) => STAGED_DATASETS.filter((d) => d.source === source).map((d) => d.name);
const transformId = (source: TransformSource) => `transform_${source}`;
const loadId = (source: TransformSource) => `load_${source}`;
const extractOf = (source: TransformSource) => (source === 'cpi' ? 'extract_cpi' : 'extract_movies');

export const PIPELINE_STEPS: readonly PipelineStep[] = [
  { id: 'extract_movies', argv: ['extract-movies'], upstream: [], timeoutMinutes: 120, weight: 2 },
  { id: 'extract_cpi', argv: ['extract-cpi'], upstream: [], timeoutMinutes: 15 },
  { id: 'create_tables', argv: ['create-tables'], upstream: [], timeoutMinutes: 15 },
  ...TRANSFORM_SOURCES.map((source): PipelineStep => ({
    id: transformId(source),
    argv: ['transform', source],
    upstream: [extractOf(source)],
    ...(HEAVY_SOURCES.includes(source) ? { weight: 2 } : {}),
    ...(SHARDED_SOURCES.includes(source) ? { shards: 'each' } : {}),
  })),
  ...TRANSFORM_SOURCES.map((source): PipelineStep => ({
    id: loadId(source),
    argv: ['load', ...datasetsOf(source)],
    upstream: [transformId(source), 'create_tables'],
    ...(SHARDED_SOURCES.includes(source) ? { shards: 'all' } : {}),
  })),
  // Ratings skip the transform: each shard reads its share of the raw object itself, mapped through
  // the loaded links and movies; load_ratings then puts all shards in place at once.
  {
    id: 'load_ratings_shard',
    argv: ['load', 'ratings'],
    upstream: ['extract_movies', loadId('links'), loadId('movies')],
    timeoutMinutes: 180,
    weight: 2,
    shards: 'each',
  },
  { id: 'load_ratings', argv: ['load', 'ratings'], upstream: ['load_ratings_shard'], shards: 'all' },
  {
    id: 'quality_check',
    argv: ['quality-check'],
    upstream: [...TRANSFORM_SOURCES.map(loadId), 'load_ratings'],
    timeoutMinutes: 30,
  },
  { id: 'report', argv: ['report'], upstream: ['quality_check'], timeoutMinutes: 30 },
];

/** A step with every default stated (`shards` only on a mapped step): what `movalytics steps --json` prints and the DAG reads. */
export function resolvedStep(step: PipelineStep): Required<Omit<PipelineStep, 'shards'>> & Pick<PipelineStep, 'shards'> {
  const { id, argv, upstream, shards } = step;
  return { id, argv, upstream, timeoutMinutes: step.timeoutMinutes ?? DEFAULT_TIMEOUT_MINUTES, weight: step.weight ?? 1, ...(shards ? { shards } : {}) };
}

/**
 * The steps one mapped step runs as, for N shards: N copies with `--shard I/N` (ids `<id>[I]`), or
 * the step itself when N is 1. Any other step: itself, `--shards N` added where it gathers shards.
 */
export function shardInstances(step: PipelineStep, count: number): PipelineStep[] {
  if (step.shards === 'all') return [{ ...step, argv: [...step.argv, '--shards', String(count)] }];
  if (step.shards !== 'each' || count === 1) return [step];
  return Array.from({ length: count }, (_, at) => ({ ...step, id: `${step.id}[${at + 1}]`, argv: [...step.argv, '--shard', `${at + 1}/${count}`] }));
}

/**
 * Which ready step starts first when fewer places are free than steps are ready: each step's weight
 * plus the weights of every step downstream of it, counted once (Airflow's "downstream" weight rule
 * with each task's weight as its own). The chain to the ratings load (transform_movies and
 * transform_links, then their loads) outranks transform_keywords, which only the quality check waits
 * for, so the longest part of the run starts as early as it can. `movalytics run` ranks by it, and
 * the DAG gives it to Airflow as each task's absolute priority_weight: both start the same step.
 */
export function priorityWeights(steps: readonly PipelineStep[] = PIPELINE_STEPS): Map<string, number> {
  const downstream = new Map<string, string[]>();
  for (const step of steps) for (const upstream of step.upstream) downstream.set(upstream, [...(downstream.get(upstream) ?? []), step.id]);
  const weight = new Map(steps.map((step) => [step.id, resolvedStep(step).weight]));
  const priorities = new Map<string, number>();
  for (const step of steps) {
    const reached = new Set([step.id]);
    const queue = [step.id];
    for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
      for (const next of downstream.get(id) ?? []) {
        if (!reached.has(next)) queue.push(next);
        reached.add(next);
      }
    }
    priorities.set(step.id, [...reached].reduce((sum, id) => sum + (weight.get(id) ?? 1), 0));
  }
  return priorities;
}

/** Commands that open the warehouse (PGlite lets one process at a time open its data directory). */
const WAREHOUSE_COMMANDS = new Set(['create-tables', 'load', 'quality-check', 'report']);

export function usesWarehouse(step: PipelineStep): boolean {
  return WAREHOUSE_COMMANDS.has(step.argv[0] ?? '');
}

/** Steps in an order where every step comes after its upstreams (stable: declaration order breaks ties). */
export function topologicalOrder(steps: readonly PipelineStep[] = PIPELINE_STEPS): PipelineStep[] {
  const done = new Set<string>();
  const ordered: PipelineStep[] = [];
  while (ordered.length < steps.length) {
    const ready = steps.find((s) => !done.has(s.id) && s.upstream.every((u) => done.has(u)));
    if (!ready) throw new Error(`the step graph has a cycle or an unknown upstream among: ${steps.filter((s) => !done.has(s.id)).map((s) => s.id).join(', ')}`);
    done.add(ready.id);
    ordered.push(ready);
  }
  return ordered;
}
