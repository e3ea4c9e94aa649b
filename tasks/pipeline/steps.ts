/**
 * The pipeline's step graph, in one place: `movalytics run` executes it in dependency order, and the
 * Airflow DAG builds its tasks from it (`movalytics steps --dag-module` writes it into the DAG's
 * package). A step is one CLI invocation; the runtime adds the common flags (run id, lake,
 * warehouse) and the sources.
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
}

const DEFAULT_TIMEOUT_MINUTES = 60;
/** Transforms that read the large sources (the full credits file is 190 MB). */
const HEAVY_SOURCES: readonly TransformSource[] = ['movies', 'credits'];

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
  })),
  ...TRANSFORM_SOURCES.map((source) => ({
    id: loadId(source),
    argv: ['load', ...datasetsOf(source)],
    upstream: [transformId(source), 'create_tables'],
  })),
  // Ratings skip the transform: the load reads the raw object itself, mapped through the loaded links and movies.
  {
    id: 'load_ratings',
    argv: ['load', 'ratings'],
    upstream: ['extract_movies', loadId('links'), loadId('movies')],
    timeoutMinutes: 180,
    weight: 2,
  },
  {
    id: 'quality_check',
    argv: ['quality-check'],
    upstream: [...TRANSFORM_SOURCES.map(loadId), 'load_ratings'],
    timeoutMinutes: 30,
  },
  { id: 'report', argv: ['report'], upstream: ['quality_check'], timeoutMinutes: 30 },
];

/** A step with every field stated: what `movalytics steps --json` prints and the DAG reads. */
export function resolvedStep(step: PipelineStep): Required<PipelineStep> {
  const { id, argv, upstream } = step;
  return { id, argv, upstream, timeoutMinutes: step.timeoutMinutes ?? DEFAULT_TIMEOUT_MINUTES, weight: step.weight ?? 1 };
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
