/**
 * The scheduler of `movalytics run` (tasks/pipeline/schedule.ts) on the real step graph: steps
 * here are plain async functions that record when they start and end, each ending a few event-loop
 * turns later, so overlaps are real.
 */
import { runScheduled } from '../tasks/pipeline/schedule';
import { PIPELINE_STEPS, priorityWeights, shardInstances, usesWarehouse, type PipelineStep } from '../tasks/pipeline/steps';

type Event = { step: string; at: 'start' | 'end' };

async function turns(count: number): Promise<void> {
  for (let turn = 0; turn < count; turn++) await new Promise((resolve) => setImmediate(resolve));
}

async function schedule(parallel: number, exclusive: (step: PipelineStep) => boolean, fail?: string) {
  const events: Event[] = [];
  let error: unknown;
  try {
    await runScheduled(PIPELINE_STEPS, { parallel, exclusive }, async (step) => {
      events.push({ step: step.id, at: 'start' });
      await turns(1 + (step.id.length % 4));
      events.push({ step: step.id, at: 'end' });
      if (step.id === fail) throw new Error(`${step.id} failed`);
    });
  } catch (caught) {
    error = caught;
  }
  return { events, error };
}

/** The most steps running together, and every pair that ran together. */
function overlaps(events: Event[]): { most: number; pairs: Set<string> } {
  const running = new Set<string>();
  const pairs = new Set<string>();
  let most = 0;
  for (const event of events) {
    if (event.at === 'end') {
      running.delete(event.step);
      continue;
    }
    for (const other of running) pairs.add([other, event.step].sort().join(' + '));
    running.add(event.step);
    most = Math.max(most, running.size);
  }
  return { most, pairs };
}

describe('run scheduler', () => {
  it('runs every step once, each after its upstreams ended, up to `parallel` at a time', async () => {
    for (const parallel of [1, 2, 3]) {
      const { events, error } = await schedule(parallel, () => false);
      expect(error).toBeUndefined();
      const starts = events.filter((event) => event.at === 'start').map((event) => event.step);
      expect([...starts].sort()).toEqual(PIPELINE_STEPS.map((step) => step.id).sort());
      for (const step of PIPELINE_STEPS) {
        const start = events.findIndex((event) => event.step === step.id && event.at === 'start');
        for (const upstream of step.upstream) {
          expect(events.findIndex((event) => event.step === upstream && event.at === 'end')).toBeLessThan(start);
        }
      }
      expect(overlaps(events).most).toBe(parallel);
    }
  });

  it('of the steps ready together starts the one of highest priority weight first: the chain to the ratings load before what only the checks wait for', async () => {
    const priorities = priorityWeights(PIPELINE_STEPS);
    const order: string[] = [];
    await runScheduled(PIPELINE_STEPS, { parallel: 1, exclusive: () => false }, async (step) => {
      // Nothing still waiting whose upstreams are done outranks the step that starts.
      const waiting = PIPELINE_STEPS.filter((other) => other.id !== step.id && !order.includes(other.id) && other.upstream.every((upstream) => order.includes(upstream)));
      expect({ step: step.id, outranked: waiting.filter((other) => (priorities.get(other.id) ?? 0) > (priorities.get(step.id) ?? 0)).map((other) => other.id) }).toEqual({ step: step.id, outranked: [] });
      order.push(step.id);
      await turns(1);
    });
    expect(order.slice(0, 6)).toEqual(['extract_movies', 'create_tables', 'transform_movies', 'transform_links', 'load_movies', 'load_links']);
    expect(order.indexOf('load_ratings_shard')).toBeLessThan(order.indexOf('transform_keywords'));
    // Ties go by declaration order: the CPI's extract (declared second) before the credits' transform.
    expect(priorities.get('extract_cpi')).toBe(priorities.get('transform_credits'));
    expect(order.indexOf('extract_cpi')).toBeLessThan(order.indexOf('transform_credits'));
  });

  it('never runs two exclusive steps together (PGlite: one warehouse step at a time), other steps alongside them', async () => {
    const { events, error } = await schedule(3, usesWarehouse);
    expect(error).toBeUndefined();
    const together = [...overlaps(events).pairs].map((pair) => pair.split(' + '));
    const byId = new Map(PIPELINE_STEPS.map((step) => [step.id, step]));
    expect(together.filter((pair) => pair.every((id) => usesWarehouse(byId.get(id) as PipelineStep)))).toEqual([]);
    expect(together.some((pair) => pair.some((id) => usesWarehouse(byId.get(id) as PipelineStep)))).toBe(true);
  });

  it('after a failure starts nothing more, lets the running steps end, then throws that failure', async () => {
    const { events, error } = await schedule(2, () => false, 'transform_movies');
    expect(error).toEqual(new Error('transform_movies failed'));
    const failedAt = events.findIndex((event) => event.step === 'transform_movies' && event.at === 'end');
    const startedAfter = events.slice(failedAt + 1).filter((event) => event.at === 'start');
    expect(startedAfter).toEqual([]);
    const started = events.filter((event) => event.at === 'start').map((event) => event.step);
    const ended = events.filter((event) => event.at === 'end').map((event) => event.step);
    expect([...ended].sort()).toEqual([...started].sort());
    expect(started).not.toContain('report');
  });

  it('runs a mapped step as one instance per shard, its downstream after all of them, with --shards N', async () => {
    const ran: PipelineStep[] = [];
    const ends: string[] = [];
    let asked = 0;
    await runScheduled(PIPELINE_STEPS, { parallel: 3, exclusive: () => false, instances: (step) => (asked++, shardInstances(step, 3)) }, async (step) => {
      ran.push(step);
      await turns(1 + (step.id.length % 3));
      ends.push(step.id);
    });
    const ids = ran.map((step) => step.id);
    expect(ids.filter((id) => id.startsWith('load_ratings_shard'))).toEqual(['load_ratings_shard[1]', 'load_ratings_shard[2]', 'load_ratings_shard[3]']);
    expect(ran.find((step) => step.id === 'load_ratings_shard[2]')?.argv).toEqual(['load', 'ratings', '--shard', '2/3']);
    expect(ran.find((step) => step.id === 'load_ratings')?.argv).toEqual(['load', 'ratings', '--shards', '3']);
    expect(ran.find((step) => step.id === 'load_credits')?.argv.slice(-2)).toEqual(['--shards', '3']);
    // Each step is asked about once, when it is ready; every instance ran once; downstreams came after all instances.
    expect(asked).toBe(PIPELINE_STEPS.length);
    expect(new Set(ids).size).toBe(ids.length);
    const lastShardEnd = Math.max(...['1', '2', '3'].map((at) => ends.indexOf(`load_ratings_shard[${at}]`)));
    expect(ids.indexOf('load_ratings')).toBeGreaterThan(-1);
    expect(ends.indexOf('load_ratings')).toBeGreaterThan(lastShardEnd);
    expect(ran.filter((step) => step.id.startsWith('transform_movies'))).toHaveLength(3);
  });

  it('runs a mapped step once, unsharded, when there is one shard', async () => {
    const ran: PipelineStep[] = [];
    await runScheduled(PIPELINE_STEPS, { parallel: 2, exclusive: () => false, instances: (step) => shardInstances(step, 1) }, async (step) => {
      ran.push(step);
      await turns(1);
    });
    expect(ran.find((step) => step.id === 'load_ratings_shard')?.argv).toEqual(['load', 'ratings']);
    expect(ran.find((step) => step.id === 'load_ratings')?.argv).toEqual(['load', 'ratings', '--shards', '1']);
    expect(ran).toHaveLength(PIPELINE_STEPS.length);
  });
});
