import { UsageError } from '../tasks/core/errors';
import { checkShardCount, MAX_SHARDS, nominalStart, parseShard, SHARD_TARGET_BYTES, suggestedShardCount } from '../tasks/core/shard';

describe('shards', () => {
  it('reads I/N and refuses anything else, naming the flag', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard(' 1/1 ')).toEqual({ index: 1, count: 1 });
    for (const bad of ['0/2', '3/2', '1/0', '2', 'a/b', '1/65', '-1/2', '']) {
      expect(() => parseShard(bad)).toThrow(UsageError);
    }
    expect(() => parseShard('5/4')).toThrow('--shard must be I/N');
  });

  it('checks a shard count', () => {
    expect(checkShardCount(3)).toBe(3);
    expect(checkShardCount('2')).toBe(2);
    for (const bad of [0, 1.5, 65, 'x', undefined]) expect(() => checkShardCount(bad)).toThrow(UsageError);
  });

  it('gives each shard an even share of the bytes, the first at 0', () => {
    expect([1, 2, 3].map((index) => nominalStart(100, index, 3))).toEqual([0, 33, 66]);
    expect(nominalStart(0, 2, 2)).toBe(0);
  });

  it('suggests one shard per target share begun, at least one, at most MAX_SHARDS', () => {
    expect(suggestedShardCount(0)).toBe(1);
    expect(suggestedShardCount(SHARD_TARGET_BYTES)).toBe(1);
    expect(suggestedShardCount(SHARD_TARGET_BYTES + 1)).toBe(2);
    expect(suggestedShardCount(71e9)).toBe(MAX_SHARDS);
  });
});
