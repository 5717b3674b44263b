/**
 * Unique ids of roles, relationships and successions in simulated ORD records.
 *
 * @module
 */

import { fnv1a } from "./random.ts";

/**
 * Allocates unique role/rel/succ ids.
 *
 * @example
 * ```ts
 * import { IdAllocator } from "./ids.ts";
 * import { equal } from "node:assert/strict";
 * const ids = new IdAllocator(10);
 * equal(ids.next(), 10);
 * equal(ids.next(), 11);
 * ```
 */
export class IdAllocator {
  #next: number;
  /** Starts allocating at `start` (default 1,000,000 — above every real id in the samples). */
  constructor(start = 1_000_000) {
    this.#next = start;
  }
  /** The next unused id. */
  next(): number {
    return this.#next++;
  }
}

/** The allocator builders use when none is given (one for the whole process). */
export const DEFAULT_IDS: IdAllocator = new IdAllocator();

/**
 * A stable pseudo `uniqueRoleId` for the primary role of a code we know nothing else about.
 *
 * @example
 * ```ts
 * import { pseudoRoleId } from "./ids.ts";
 * import { equal, ok } from "node:assert/strict";
 * const id = pseudoRoleId("RVV", "RO197");
 * equal(pseudoRoleId("RVV", "RO197"), id);
 * ok(id >= 500_000 && id < 900_000);
 * ```
 */
export function pseudoRoleId(code: string, role: string): number {
  return 500_000 + (fnv1a(`${code}|${role}`) % 400_000);
}
