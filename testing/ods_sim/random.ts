/**
 * Deterministic numbers for the simulator: a seeded PRNG and a stable string hash.
 *
 * @module
 */

/**
 * 32-bit FNV-1a hash; used for stable pseudo ids of targets not held in the dataset.
 *
 * @example
 * ```ts
 * import { fnv1a } from "./random.ts";
 * import { equal } from "node:assert/strict";
 * equal(fnv1a(""), 0x811c9dc5);
 * equal(fnv1a("RVV"), fnv1a("RVV"));
 * ```
 */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A small seeded PRNG (mulberry32) returning floats in [0, 1).
 *
 * @example
 * ```ts
 * import { mulberry32 } from "./random.ts";
 * import { equal, ok } from "node:assert/strict";
 * const a = mulberry32(7);
 * const b = mulberry32(7);
 * const x = a();
 * equal(b(), x);
 * ok(x >= 0 && x < 1);
 * ```
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
