/**
 * ORD `Date` arrays and the status they give an element on a day.
 *
 * @module
 */

import type { OrdDate, OrdStatus } from "./ord_types.ts";

/**
 * Builds a `Date` array: Operational (and optionally Legal).
 *
 * @example
 * ```ts
 * import { dates } from "./dates.ts";
 * import { deepEqual } from "node:assert/strict";
 * deepEqual(dates("2001-04-01", "2020-03-31"), [
 *   { Type: "Operational", Start: "2001-04-01", End: "2020-03-31" },
 * ]);
 * ```
 */
export function dates(
  start: string,
  end?: string,
  legal?: { start: string; end?: string },
): OrdDate[] {
  const op: OrdDate = { Type: "Operational", Start: start };
  if (end) op.End = end;
  const out = [op];
  if (legal) {
    const l: OrdDate = { Type: "Legal", Start: legal.start };
    if (legal.end) l.End = legal.end;
    out.push(l);
  }
  return out;
}

/**
 * The dates that drive an element's status: Operational if present, else Legal.
 *
 * @example
 * ```ts
 * import { effectiveDate } from "./dates.ts";
 * import { equal } from "node:assert/strict";
 * equal(effectiveDate([{ Type: "Legal", Start: "2001-04-01" }])?.Start, "2001-04-01");
 * ```
 */
export function effectiveDate(ds: readonly OrdDate[]): OrdDate | undefined {
  return ds.find((d) => d.Type === "Operational") ?? ds.find((d) => d.Type === "Legal");
}

/**
 * Status of a dated element on `day`.  With `endInclusive` false (the default, as the simulator
 * spec says "End date equals the publish date flips Status") an element is Inactive from its End
 * date; with true it is still Active on its End date and Inactive from the day after.
 *
 * @example
 * ```ts
 * import { dates, statusOn } from "./dates.ts";
 * import { equal } from "node:assert/strict";
 * const ds = dates("2001-04-01", "2025-06-17");
 * equal(statusOn(ds, "2025-06-16"), "Active");
 * equal(statusOn(ds, "2025-06-17"), "Inactive");
 * equal(statusOn(ds, "2025-06-17", true), "Active");
 * ```
 */
export function statusOn(ds: readonly OrdDate[], day: string, endInclusive = false): OrdStatus {
  const d = effectiveDate(ds);
  if (!d) return "Active";
  if (d.Start > day) return "Inactive";
  if (d.End !== undefined && (endInclusive ? d.End < day : d.End <= day)) return "Inactive";
  return "Active";
}
