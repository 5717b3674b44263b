/**
 * The organisation that held a code's place on a date: the code itself when it existed then,
 * else the nearest predecessor (by ODS successions, followed back) that did. What
 * `/organisations/{ods_code}/snapshot/` answers. Pure.
 *
 * @module
 */
import type { Organisation } from "../model.ts";

/** The record standing for a code on a date, and the predecessor it is, if it is one. */
export interface StandIn {
  record: Organisation;
  /** The predecessor's code when the code itself did not exist on the date; else `null`. */
  predecessor: string | null;
}

/** A record's predecessors: ODS's list, and its dated successions of type `Predecessor`. */
function predecessorsOf(record: Organisation): string[] {
  const fromFacts = (record.ods_facts?.successions ?? [])
    .filter((s) => s.type === "Predecessor")
    .map((s) => s.target);
  return [...new Set([...record.predecessors, ...fromFacts])];
}

/**
 * The organisation standing for `code` among `onDate` (the organisations on the date), walking
 * back through predecessors (breadth first, nearest first) read from `known` (every record the
 * service holds, deleted ones included); `null` when none existed on the date.
 *
 * @example
 * ```ts
 * import type { Organisation } from "../model.ts";
 * import { standIn } from "./predecessor.ts";
 *
 * const old = { ods_code: "RZA01", predecessors: [] } as unknown as Organisation;
 * const successor = { ods_code: "RZB01", predecessors: ["RZA01"] } as unknown as Organisation;
 * const known = new Map([["RZA01", old], ["RZB01", successor]]);
 * standIn("RZB01", new Map([["RZA01", old]]), known)?.predecessor; // "RZA01"
 * standIn("RZB01", new Map(), known); // null
 * ```
 */
export function standIn(
  code: string,
  onDate: ReadonlyMap<string, Organisation>,
  known: ReadonlyMap<string, Organisation>,
): StandIn | null {
  const here = onDate.get(code);
  if (here) return { record: here, predecessor: null };
  const seen = new Set([code]);
  let level = [code];
  while (level.length) {
    const next: string[] = [];
    for (const c of level) {
      const record = known.get(c) ?? onDate.get(c);
      for (const p of record ? predecessorsOf(record) : []) {
        if (seen.has(p)) continue;
        seen.add(p);
        const then = onDate.get(p);
        if (then) return { record: then, predecessor: p };
        next.push(p);
      }
    }
    level = next.sort();
  }
  return null;
}
