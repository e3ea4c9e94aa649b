/**
 * The pipeline's step graph, in one place: `movalytics run` executes it in dependency order, and the
 * Airflow DAG is checked against it (`movalytics steps --json`). A step is one CLI invocation;
 * the runtime adds the common flags (run id, lake, warehouse) and the sources.
 */
import { STAGED_DATASETS, TRANSFORM_SOURCES, type TransformSource } from '../core/staged';

export interface PipelineStep {
  /** Task id, as in Airflow: lowercase words joined by `_`. */
  id: string;
  /** CLI arguments after `movalytics`. */
  argv: string[];
  upstream: string[];
}

const datasetsOf = (source: TransformSource) => STAGED_DATASETS.filter((d) => d.source === source).map((d) => d.name);
const transformId = (source: TransformSource) => `transform_${source}`;
const loadId = (source: TransformSource) => `load_${source}`;
const extractOf = (source: TransformSource) => (source === 'cpi' ? 'extract_cpi' : 'extract_movies');

export const PIPELINE_STEPS: readonly PipelineStep[] = [
  { id: 'extract_movies', argv: ['extract-movies'], upstream: [] },
  { id: 'extract_cpi', argv: ['extract-cpi'], upstream: [] },
  { id: 'create_tables', argv: ['create-tables'], upstream: [] },
  ...TRANSFORM_SOURCES.map((source) => ({
    id: transformId(source),
    argv: ['transform', source],
    upstream: [extractOf(source)],
  })),
  ...TRANSFORM_SOURCES.map((source) => ({
    id: loadId(source),
    argv: ['load', ...datasetsOf(source)],
    upstream: [transformId(source), 'create_tables'],
  })),
  // Ratings skip the transform: the load reads the raw object itself, mapped through the loaded links and movies.
  { id: 'load_ratings', argv: ['load', 'ratings'], upstream: ['extract_movies', loadId('links'), loadId('movies')] },
  {
    id: 'quality_check',
    argv: ['quality-check'],
    upstream: [...TRANSFORM_SOURCES.map(loadId), 'load_ratings'],
  },
  { id: 'report', argv: ['report'], upstream: ['quality_check'] },
];

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
