/**
 * Small deterministic randomness for synthetic data: every value is derived from (seed, keys), so a
 * citizen can be regenerated on its own without replaying a global stream.
 */

// Globals bound once: each lookup of a global such as `Math` is slow inside a vm context (jest).
const { imul, floor } = Math;

/** Murmur3-style combination of 32-bit words into one well-mixed 32-bit hash. */
export function hashWords(...words: number[]): number {
  let h = 0x9747b28c;
  for (const word of words) {
    let k = imul(word | 0, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= words.length * 4;
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A numeric seed (any safe non-negative integer) as two 32-bit words. */
export function seedWords(seed: number): [number, number] {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`The seed must be a non-negative safe integer, got ${seed}.`);
  }
  return [seed >>> 0, floor(seed / 0x1_0000_0000) >>> 0];
}

/** mulberry32: fast, small state, good enough for synthetic data (not for anything secret). */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[floor(this.next() * items.length)] as T;
  }
}

/** Values drawn with given (not necessarily normalised) weights; O(log n) per draw. */
export class WeightedTable<T> {
  readonly values: readonly T[];
  private readonly cumulative: Float64Array;
  private readonly total: number;

  constructor(entries: readonly (readonly [T, number])[]) {
    const usable = entries.filter(([, weight]) => weight > 0);
    if (usable.length === 0) throw new RangeError('A weighted table needs at least one positive weight.');
    this.values = usable.map(([value]) => value);
    this.cumulative = new Float64Array(usable.length);
    let sum = 0;
    usable.forEach(([, weight], i) => {
      sum += weight;
      this.cumulative[i] = sum;
    });
    this.total = sum;
  }

  draw(random: SeededRandom): T {
    const target = random.next() * this.total;
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.cumulative[mid] as number) > target) high = mid;
      else low = mid + 1;
    }
    return this.values[low] as T;
  }

  /** Share of a value in the table, 0–1 (for tests and documentation). */
  shareOf(value: T): number {
    const i = this.values.indexOf(value);
    if (i < 0) return 0;
    const previous = i === 0 ? 0 : (this.cumulative[i - 1] as number);
    return ((this.cumulative[i] as number) - previous) / this.total;
  }
}

export const PERMUTATION_DOMAIN = 1_000_000;

/** Keyed bijection on [0, 2^20): a 4-round balanced Feistel network on two 10-bit halves. */
function feistel20(value: number, key: number): number {
  let left = value >>> 10;
  let right = value & 0x3ff;
  for (let round = 0; round < 4; round++) {
    const next = left ^ (hashWords(key, round, right) & 0x3ff);
    left = right;
    right = next;
  }
  return (left << 10) | right;
}

/**
 * Keyed bijection on [0, 1 000 000): distinct inputs give distinct, random-looking 6-digit values.
 * Cycle walking keeps the 2^20 permutation inside the smaller domain.
 */
export function permuteBelowMillion(value: number, key: number): number {
  if (!Number.isInteger(value) || value < 0 || value >= PERMUTATION_DOMAIN) {
    throw new RangeError(`Only values in [0, ${PERMUTATION_DOMAIN}) can be permuted, got ${value}.`);
  }
  let result = value;
  do {
    result = feistel20(result, key);
  } while (result >= PERMUTATION_DOMAIN);
  return result;
}
