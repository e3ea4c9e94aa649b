/**
 * Runs a step graph with up to `parallel` steps at a time, as Airflow would: a step starts once
 * all its upstreams have succeeded, ties broken by declaration order. Steps that share a
 * one-at-a-time resource (PGlite's data directory) are never started together.
 *
 * After the first failure no step starts; the steps already running finish, then the failure is
 * thrown. Nothing is cancelled half-way: every step is idempotent and atomic on its own.
 */
import type { PipelineStep } from './steps';

export interface ScheduleOptions {
  /** Most steps running at once (at least 1). */
  parallel: number;
  /** Steps for which this is true run one at a time among themselves. */
  exclusive: (step: PipelineStep) => boolean;
}

export async function runScheduled(
  steps: readonly PipelineStep[],
  options: ScheduleOptions,
  runStep: (step: PipelineStep) => Promise<void>,
): Promise<void> {
  const done = new Set<string>();
  const started = new Set<string>();
  const running = new Map<string, Promise<void>>();
  let exclusiveRunning = 0;
  let failure: { error: unknown } | undefined;

  const startable = (step: PipelineStep): boolean =>
    !started.has(step.id) && step.upstream.every((upstream) => done.has(upstream)) && !(options.exclusive(step) && exclusiveRunning > 0);

  for (;;) {
    while (failure === undefined && running.size < Math.max(1, options.parallel)) {
      const next = steps.find(startable);
      if (!next) break;
      started.add(next.id);
      const exclusive = options.exclusive(next);
      if (exclusive) exclusiveRunning++;
      running.set(
        next.id,
        runStep(next).then(
          () => {
            done.add(next.id);
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
  const stuck = steps.filter((step) => !done.has(step.id));
  if (stuck.length > 0) throw new Error(`the step graph has a cycle or an unknown upstream among: ${stuck.map((step) => step.id).join(', ')}`);
}
