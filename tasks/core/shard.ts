/**
 * A shard: one of N parallel tasks that each take a share of a large raw object. Written `I/N` on
 * the command line (`--shard 2/4`, counted from 1), as Airflow's mapped tasks and `run --shards N`
 * pass it. Where exactly a share starts and ends is the step's own rule (a user boundary for the
 * ratings, a record boundary for a CSV), always found from the byte `N`-th of the object's size.
 */
import { UsageError } from './errors';

export interface Shard {
  /** 1 to count. */
  index: number;
  count: number;
}

/** The most shards a step is split into: far more than any worker pool, few enough to stay sane. */
export const MAX_SHARDS = 64;

export const WHOLE: Shard = { index: 1, count: 1 };

/** `I/N` → a shard; anything else is a UsageError naming the flag. */
export function parseShard(text: string, flag = 'shard'): Shard {
  const match = /^(\d{1,3})\/(\d{1,3})$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || index < 1 || count < 1 || index > count || count > MAX_SHARDS) {
    throw new UsageError(`--${flag} must be I/N with 1 <= I <= N <= ${MAX_SHARDS} (e.g. 2/4), not "${text}"`);
  }
  return { index, count };
}

/** A shard count (`--shards N`); a UsageError unless 1 <= N <= MAX_SHARDS. */
export function checkShardCount(value: unknown, flag = 'shards'): number {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1 || count > MAX_SHARDS) {
    throw new UsageError(`--${flag} must be a whole number from 1 to ${MAX_SHARDS}, not "${String(value)}"`);
  }
  return count;
}

export const shardLabel = (shard: Shard): string => `${shard.index}/${shard.count}`;

/** Where shard `index` of `count` starts looking for its first boundary: its even share of `size` bytes. */
export function nominalStart(size: number, index: number, count: number): number {
  return Math.floor((size * (index - 1)) / count);
}

/** The share of a raw object one shard takes when the count follows the object's size: a core's minute or so. */
export const SHARD_TARGET_BYTES = 512 * 1024 * 1024;

/** How many shards an object of `bytes` is split into by default: one per SHARD_TARGET_BYTES begun, at most MAX_SHARDS. */
export function suggestedShardCount(bytes: number, targetBytes = SHARD_TARGET_BYTES): number {
  return Math.min(MAX_SHARDS, Math.max(1, Math.ceil(bytes / targetBytes)));
}
