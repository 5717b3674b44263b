/**
 * A record's dated parent timeline, for `/{kind}/{code}/history/`: each parent relationship ODS
 * gives it (`RE6` operated by, `RE5` located in the geography of), with the period that decides
 * when it is in force (operational, else legal; an end date is the last day). The parents an
 * `?as_of=` answer uses are the ones in force on its date. Pure.
 *
 * @module
 */
import type { OdsFacts } from "../model.ts";
import { governing, PARENT_RELS } from "../ods/dated.ts";

/** One parent over one period. */
export interface ParentPeriod {
  /** First day in force (`null` when ODS gives no start). */
  from: string | null;
  /** Last day in force; `null` while open. */
  to: string | null;
  parent: string;
  /** The ODS relationship: `RE6` (operated by) or `RE5` (in the geography of). */
  relationship: string;
  /** The parent's primary role, e.g. RO197 (trust), RO261 (ICB), RO210 (NHS England office). */
  parent_role: string | null;
}

/**
 * The parent periods in `facts`, oldest first; none without facts.
 *
 * @example
 * ```ts
 * import { parentTimeline } from "./timeline.ts";
 *
 * const none = { start: null, end: null };
 * parentTimeline({
 *   roles: [],
 *   successions: [],
 *   relationships: [{
 *     id: "RE5",
 *     target: "QM7",
 *     target_role: "RO261",
 *     active: true,
 *     operational: { start: "2020-04-01", end: null },
 *     legal: none,
 *   }],
 * }); // [{ from: "2020-04-01", to: null, parent: "QM7", relationship: "RE5", parent_role: "RO261" }]
 * ```
 */
export function parentTimeline(facts: OdsFacts | null | undefined): ParentPeriod[] {
  if (!facts) return [];
  return facts.relationships
    .filter((r) => PARENT_RELS.includes(r.id))
    .map((r) => {
      const p = governing(r);
      return {
        from: p.start,
        to: p.end,
        parent: r.target,
        relationship: r.id,
        parent_role: r.target_role,
      };
    })
    .sort((a, b) =>
      (a.from ?? "").localeCompare(b.from ?? "") || a.relationship.localeCompare(b.relationship) ||
      a.parent.localeCompare(b.parent)
    );
}
