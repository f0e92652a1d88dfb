/**
 * Seeded, reproducible randomness for the generator: a 32-bit integer hash (to derive an
 * independent stream per entity from the seed and its ids) and a small PRNG (mulberry32).
 * No Math.random anywhere: the generated world is a pure function of its inputs.
 */

/** murmur3 32-bit finaliser: a bijection on uint32 with good avalanche. */
export function fmix32(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Hash of a seed and a few non-negative integers (each < 2^53; high bits are mixed in too). */
export function hash32(seed: number, a: number, b = 0, c = 0): number {
  return absorb(absorb(absorb(fmix32(seed ^ 0x9e3779b9), a), b), c);
}

function absorb(h: number, value: number): number {
  return fmix32(Math.imul(h ^ (value >>> 0), 0x27d4eb2f) ^ Math.floor(value / 4294967296));
}

/** Uniform in [0, 1) from a hash value. */
export function unit(hash: number): number {
  return hash / 4294967296;
}

/** Values with relative weights, prepared for repeated draws. */
export interface Weighted<T> {
  values: T[];
  cumulative: number[];
}

export function weighted<T>(entries: ReadonlyArray<readonly [T, number]>): Weighted<T> {
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  let running = 0;
  return {
    values: entries.map(([value]) => value),
    cumulative: entries.map(([, weight]) => (running += weight / total)),
  };
}

/** Picks a value of `table` for a uniform draw `u` in [0, 1). */
export function pickWith<T>(table: Weighted<T>, u: number): T {
  const { values, cumulative } = table;
  for (let i = 0; i < cumulative.length - 1; i++) if (u < cumulative[i]) return values[i];
  return values[values.length - 1];
}

/** mulberry32: tiny and fast; one instance per entity, seeded by `hash32`. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform uint32. */
  uint32(): number {
    return Math.floor(this.next() * 4294967296);
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(table: Weighted<T>): T {
    return pickWith(table, this.next());
  }

  /** Whole days until the next event of a Poisson process with the given mean gap (at least 1). */
  daysUntil(meanDays: number): number {
    return Math.max(1, Math.ceil(-Math.log(1 - this.next()) * meanDays));
  }
}
