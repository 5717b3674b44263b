/**
 * In-place edits of one simulated ORD record, as ODS makes them: moving a relationship to a new
 * target, closing a record, recording a succession. The dataset applies them to a copy of the
 * working record and queues the result for publication.
 *
 * @module
 */

import { addDays } from "./clock.ts";
import { dates, statusOn } from "./dates.ts";
import type { IdAllocator } from "./ids.ts";
import type { OrdDate, OrdOrganisation, OrdTarget } from "./ord_types.ts";

/** When a change happens and how End dates count (see {@link statusOn}). */
export interface EditDay {
  /** The day of the change: statuses are computed as of it. */
  day: string;
  endInclusive: boolean;
  /**
   * Mark a relationship that starts later `Active` already, as ODS does when it publishes a
   * change in advance (default: its status on `day`, `Inactive`).
   */
  activeInAdvance?: boolean;
}

/**
 * Ends the active `relType` relationships (End = `effective` − 1 day) and adds one to `target`
 * starting on `effective` (with `at.activeInAdvance`, marked `Active` even before it starts).
 *
 * @example
 * ```ts
 * import { IdAllocator } from "./ids.ts";
 * import { buildSite } from "./kinds.ts";
 * import { switchRelationship } from "./mutations.ts";
 * import { ordTarget } from "./record.ts";
 * import { deepEqual } from "node:assert/strict";
 * const site = buildSite({ code: "S1", name: "SITE", trust: "RVV", lastChangeDate: "2020-01-01" });
 * const to = ordTarget("RZB", "RO197");
 * const at = { day: "2025-06-09", endInclusive: false };
 * switchRelationship(site, "RE6", to, "2025-06-09", at, new IdAllocator());
 * deepEqual(site.Rels?.Rel.map((r) => r.Status), ["Inactive", "Active"]);
 * ```
 */
export function switchRelationship(
  org: OrdOrganisation,
  relType: string,
  target: OrdTarget,
  effective: string,
  at: EditDay,
  ids: IdAllocator,
): void {
  endRelationships(org, relType, effective, at);
  const rels = org.Rels?.Rel ?? [];
  const ds = dates(effective);
  rels.push({
    Date: ds,
    Status: at.activeInAdvance && effective > at.day
      ? "Active"
      : statusOn(ds, at.day, at.endInclusive),
    Target: target,
    id: relType,
    uniqueRelId: ids.next(),
  });
  org.Rels = { Rel: rels };
}

/**
 * Ends the active `relType` relationships: End = `effective` − 1 day, statuses as of `at.day`.
 *
 * @example
 * ```ts
 * import { buildGpPractice } from "./kinds.ts";
 * import { endRelationships } from "./mutations.ts";
 * import { equal } from "node:assert/strict";
 * const gp = buildGpPractice({
 *   code: "G81086",
 *   name: "A SURGERY",
 *   lastChangeDate: "2023-08-22",
 *   commissioner: "97R",
 *   pcn: "U36842",
 * });
 * endRelationships(gp, "RE8", "2025-06-09", { day: "2025-06-09", endInclusive: false });
 * equal(gp.Rels?.Rel[1].Status, "Inactive");
 * equal(gp.Rels?.Rel[1].Date[0].End, "2025-06-08");
 * ```
 */
export function endRelationships(
  org: OrdOrganisation,
  relType: string,
  effective: string,
  at: EditDay,
): void {
  for (const r of org.Rels?.Rel ?? []) {
    if (r.id !== relType || r.Status !== "Active") continue;
    for (const d of r.Date) if (d.End === undefined) d.End = addDays(effective, -1);
    r.Status = statusOn(r.Date, at.day, at.endInclusive);
  }
}

function endOpen(ds: OrdDate[], endDate: string): void {
  for (const d of ds) if (d.End === undefined) d.End = endDate;
}

/**
 * Closes a record: End = `endDate` on the organisation and on its active roles and
 * relationships, statuses as of `at.day` (a future `endDate` leaves them Active).
 *
 * @example
 * ```ts
 * import { buildTrust } from "./kinds.ts";
 * import { closeRecord } from "./mutations.ts";
 * import { equal } from "node:assert/strict";
 * const trust = buildTrust({ code: "RWR", name: "TRUST", lastChangeDate: "2020-01-01" });
 * closeRecord(trust, "2025-06-08", { day: "2025-06-09", endInclusive: false });
 * equal(trust.Status, "Inactive");
 * equal(trust.Roles.Role[0].Date[0].End, "2025-06-08");
 * ```
 */
export function closeRecord(org: OrdOrganisation, endDate: string, at: EditDay): void {
  endOpen(org.Date, endDate);
  org.Status = statusOn(org.Date, at.day, at.endInclusive);
  for (const r of [...(org.Roles?.Role ?? []), ...(org.Rels?.Rel ?? [])]) {
    if (r.Status !== "Active") continue;
    endOpen(r.Date, endDate);
    r.Status = statusOn(r.Date, at.day, at.endInclusive);
  }
}

/**
 * Adds a succession to `target` with a Legal start of `start`.
 *
 * @example
 * ```ts
 * import { IdAllocator } from "./ids.ts";
 * import { buildTrust } from "./kinds.ts";
 * import { addSuccession } from "./mutations.ts";
 * import { ordTarget } from "./record.ts";
 * import { equal } from "node:assert/strict";
 * const trust = buildTrust({ code: "RZB", name: "TRUST", lastChangeDate: "2020-01-01" });
 * addSuccession(trust, "Predecessor", ordTarget("RZA", "RO197"), "2025-04-01", new IdAllocator());
 * equal(trust.Succs?.Succ[0].Target.OrgId.extension, "RZA");
 * ```
 */
export function addSuccession(
  org: OrdOrganisation,
  type: "Predecessor" | "Successor",
  target: OrdTarget,
  start: string,
  ids: IdAllocator,
): void {
  const succs = org.Succs?.Succ ?? [];
  succs.push({
    uniqueSuccId: ids.next(),
    Date: [{ Type: "Legal", Start: start }],
    Type: type,
    Target: target,
  });
  org.Succs = { Succ: succs };
}
