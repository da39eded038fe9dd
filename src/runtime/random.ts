/**
 * Seeded randomness. Every random choice of a run (initial weights, shuffles,
 * dropout masks, noise) is a pure function of the run's seed and where it
 * happens, so a resumed run draws exactly what an uninterrupted one would.
 */

/** A stream of uniform numbers in [0, 1) from a 32-bit seed (mulberry32). */
export function uniformStream(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed for one purpose at one place, e.g. `deriveSeed(seed, "dropout", epoch, step)`. */
export function deriveSeed(seed: number, ...where: ReadonlyArray<string | number>): number {
  // FNV-1a over the parts, then one mixing round so nearby inputs differ widely.
  let hash = 0x811c9dc5 ^ (seed >>> 0);
  for (const part of where) {
    const text = `${part}\u0000`;
    for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  }
  return Math.floor(uniformStream(hash)() * 2147483647);
}

/** 0…n−1 in a seeded random order (Fisher–Yates). */
export function permutation(n: number, seed: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const next = uniformStream(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const swap = order[i]!;
    order[i] = order[j]!;
    order[j] = swap;
  }
  return order;
}
