/**
 * Runs a step graph with up to `parallel` steps at a time, as Airflow would: a step starts once
 * all its upstreams have succeeded; of the steps ready together the one of highest priority weight
 * starts first (priorityWeights: its weight and its downstream steps'), ties broken by
 * declaration order. Steps that share a
 * one-at-a-time resource (PGlite's data directory) are never started together.
 *
 * After the first failure no step starts; the steps already running finish, then the failure is
 * thrown. Nothing is cancelled half-way: every step is idempotent and atomic on its own.
 *
 * A mapped step becomes its instances (`instances`) when it is ready, not before: how many shards
 * there are may be known only from an upstream's result. The step counts as done once all of its
 * instances are; each instance takes a place of its own among the `parallel`.
 */
import { priorityWeights, type PipelineStep } from './steps';

export interface ScheduleOptions {
  /** Most steps running at once (at least 1). */
  parallel: number;
  /** Steps for which this is true run one at a time among themselves. */
  exclusive: (step: PipelineStep) => boolean;
  /** What a step runs as once its upstreams are done (several instances for a mapped step); default: itself. */
  instances?: (step: PipelineStep) => PipelineStep[];
}

export async function runScheduled(
  steps: readonly PipelineStep[],
  options: ScheduleOptions,
  runStep: (step: PipelineStep) => Promise<void>,
): Promise<void> {
  const done = new Set<string>();
  const started = new Set<string>();
  const running = new Map<string, Promise<void>>();
  // A mapped step's id → its instances not yet done; the pending list holds the instances in its place.
  const unfinished = new Map<string, Set<string>>();
  const ofInstance = new Map<string, string>();
  const expanded = new Set<string>();
  let pending = [...steps];
  let exclusiveRunning = 0;
  let failure: { error: unknown } | undefined;

  const ready = (step: PipelineStep): boolean => !started.has(step.id) && step.upstream.every((upstream) => done.has(upstream));
  const startable = (step: PipelineStep): boolean => ready(step) && !(options.exclusive(step) && exclusiveRunning > 0);
  // The startable step of highest priority, the first declared among equals; an instance ranks as its mapped step.
  const priorities = priorityWeights(steps);
  const priority = (step: PipelineStep): number => priorities.get(ofInstance.get(step.id) ?? step.id) ?? 0;
  const highest = (best: PipelineStep | undefined, step: PipelineStep): PipelineStep | undefined =>
    startable(step) && (best === undefined || priority(step) > priority(best)) ? step : best;
  const finished = (id: string): void => {
    done.add(id);
    const mapped = ofInstance.get(id);
    const left = mapped === undefined ? undefined : unfinished.get(mapped);
    left?.delete(id);
    if (mapped !== undefined && left?.size === 0) done.add(mapped);
  };
  /** Ready steps that map to instances other than themselves are replaced by them. */
  const expandReady = (): void => {
    pending = pending.flatMap((step) => {
      if (!options.instances || !ready(step) || expanded.has(step.id)) return [step];
      const instances = options.instances(step);
      for (const instance of [step, ...instances]) expanded.add(instance.id);
      if (instances.length === 1 && instances[0]?.id === step.id) return instances;
      unfinished.set(step.id, new Set(instances.map((instance) => instance.id)));
      for (const instance of instances) ofInstance.set(instance.id, step.id);
      started.add(step.id);
      return instances.map((instance) => ({ ...instance, upstream: step.upstream }));
    });
  };

  for (;;) {
    while (failure === undefined && running.size < Math.max(1, options.parallel)) {
      expandReady();
      const next = pending.reduce(highest, undefined);
      if (!next) break;
      started.add(next.id);
      const exclusive = options.exclusive(next);
      if (exclusive) exclusiveRunning++;
      running.set(
        next.id,
        runStep(next).then(
          () => {
            finished(next.id);
          },
          (error: unknown) => {
            failure ??= { error };
          },
        ).finally(() => {
          running.delete(next.id);
          if (exclusive) exclusiveRunning--;
        }),
      );
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  if (failure) throw failure.error;
  const stuck = [...steps, ...pending].filter((step) => !done.has(step.id));
  if (stuck.length > 0) throw new Error(`the step graph has a cycle or an unknown upstream among: ${stuck.map((step) => step.id).join(', ')}`);
}
