/** Distributions the generator draws from: alias tables for popularity, a normal table for hot loops. */
import type { Random } from './random';

/**
 * Walker/Vose alias table: O(1) draws from a fixed discrete distribution with one random number,
 * which keeps the 26-million-rating loop cheap.
 */
export class AliasTable {
  private readonly probability: Float64Array;
  private readonly alias: Int32Array;
  readonly size: number;

  constructor(weights: ArrayLike<number>) {
    const size = weights.length;
    let total = 0;
    for (let i = 0; i < size; i++) total += weights[i] ?? 0;
    if (size === 0 || !(total > 0)) throw new RangeError('alias table needs positive weights');
    this.size = size;
    this.probability = new Float64Array(size);
    this.alias = new Int32Array(size);
    const scaled = new Float64Array(size);
    const small: number[] = [];
    const large: number[] = [];
    for (let i = 0; i < size; i++) {
      scaled[i] = ((weights[i] ?? 0) * size) / total;
      ((scaled[i] ?? 0) < 1 ? small : large).push(i);
    }
    while (small.length > 0 && large.length > 0) {
      const less = small.pop() as number;
      const more = large.pop() as number;
      this.probability[less] = scaled[less] ?? 0;
      this.alias[less] = more;
      scaled[more] = (scaled[more] ?? 0) + (scaled[less] ?? 0) - 1;
      ((scaled[more] ?? 0) < 1 ? small : large).push(more);
    }
    for (const i of [...small, ...large]) {
      this.probability[i] = 1;
      this.alias[i] = i;
    }
  }

  /** Draw an index from one uniform number in [0, 1). */
  drawFrom(uniform: number): number {
    const scaled = uniform * this.size;
    const index = scaled | 0;
    return scaled - index < (this.probability[index] as number) ? index : (this.alias[index] as number);
  }
}

/**
 * 4,096 quantiles of the standard normal: a normal deviate costs one 32-bit draw and one array
 * read instead of a logarithm and a cosine.
 */
export class NormalTable {
  private readonly quantiles = new Float64Array(4096);

  constructor() {
    for (let i = 0; i < 4096; i++) this.quantiles[i] = inverseNormal((i + 0.5) / 4096);
  }

  draw(random: Random): number {
    return this.quantiles[random.uint32() >>> 20] as number;
  }
}

/** exp(mu + sigma·N(0,1)). */
export function logNormal(random: Random, mu: number, sigma: number): number {
  return Math.exp(mu + sigma * random.normal());
}

/** An index drawn proportionally to small weight lists (genres, departments, languages). */
export function weightedIndex(random: Random, weights: readonly number[]): number {
  let total = 0;
  for (const weight of weights) total += weight;
  let target = random.next() * total;
  for (let i = 0; i < weights.length; i++) {
    target -= weights[i] ?? 0;
    if (target < 0) return i;
  }
  return weights.length - 1;
}

export function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
}

/** Acklam's rational approximation of the normal quantile function (relative error < 1.2e-9). */
function inverseNormal(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.928510446969, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = d as [number, number, number, number];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  if (p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) / (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1);
}
