/**
 * The ODS "future date checker": at each publication, records whose org, role or relationship
 * Start or End date has just been reached get their Status recomputed and their LastChangeDate
 * stamped with that day.
 *
 * @module
 */

import { addDays } from "./clock.ts";
import { statusOn } from "./dates.ts";
import type { OrdDate, OrdOrganisation, OrdStatus } from "./ord_types.ts";

/** The latest Start or End trigger day of `ds` in `(from, to]`, or `""` when none. */
function triggerDay(
  ds: readonly OrdDate[],
  from: string,
  to: string,
  endInclusive: boolean,
): string {
  let hit = "";
  for (const d of ds) {
    if (d.Start > from && d.Start <= to && d.Start > hit) hit = d.Start;
    if (d.End !== undefined) {
      const trig = endInclusive ? addDays(d.End, 1) : d.End;
      if (trig > from && trig <= to && trig > hit) hit = trig;
    }
  }
  return hit;
}

/**
 * Applies the future date checker for days in `(from, to]` to one record, in place.
 * Elements (org, roles, rels) with a Start or End "trigger day" in that range get their Status
 * recomputed as of `to`; if any triggered, LastChangeDate becomes the latest trigger day.
 * Returns true if the record was stamped.
 *
 * @example
 * ```ts
 * import { applyElapsedDates } from "./future_dates.ts";
 * import { buildTrustWithFutureEnd } from "./kinds.ts";
 * import { equal } from "node:assert/strict";
 * const trust = buildTrustWithFutureEnd({
 *   code: "RZC",
 *   name: "CLOSING",
 *   lastChangeDate: "2025-05-01",
 *   endDate: "2025-06-17",
 * });
 * equal(applyElapsedDates(trust, "2025-06-16", "2025-06-17"), true);
 * equal(trust.Status, "Inactive");
 * equal(trust.LastChangeDate, "2025-06-17");
 * ```
 */
export function applyElapsedDates(
  org: OrdOrganisation,
  from: string,
  to: string,
  endInclusive = false,
): boolean {
  let latest = "";
  const check = (ds: readonly OrdDate[], setStatus: (s: OrdStatus) => void) => {
    const hit = triggerDay(ds, from, to, endInclusive);
    if (hit) {
      setStatus(statusOn(ds, to, endInclusive));
      if (hit > latest) latest = hit;
    }
  };
  check(org.Date, (s) => (org.Status = s));
  for (const r of org.Roles?.Role ?? []) check(r.Date, (s) => (r.Status = s));
  for (const r of org.Rels?.Rel ?? []) check(r.Date, (s) => (r.Status = s));
  if (!latest) return false;
  if (latest > org.LastChangeDate) org.LastChangeDate = latest;
  return true;
}
