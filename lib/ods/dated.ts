/**
 * What is in force on a UK calendar date, from the dates ODS publishes (never from `Status`
 * alone: NHS England's guidance says "LastChangeDate is not the 'effective' date… legal start
 * dates may be in the future", and ODS marks a relationship published in advance `Active`).
 *
 * - An element (the record itself, a role, a relationship) is governed by its operational period,
 *   or its legal one when ODS gives no operational start.
 * - It is in force on `date` when its start ≤ `date` and it has no end or its end ≥ `date`: an
 *   ODS end date is the last day in force.
 * - Two relationships of one kind in force on the same date (ODS data has overlaps) resolve to the
 *   one that started last (then the lower target code), and are reported as an overlap.
 * - Dates that contradict each other (an end before its start, a parent relationship with no
 *   start) make the record invalid: the sync quarantines it with the reason.
 *
 * Pure functions over the parsed record ({@linkcode OdsRecord}) or the stored facts
 * ({@linkcode OdsFacts}, converted with {@linkcode relationshipsOf}).
 *
 * @module
 */
import type { OdsFacts } from "../model.ts";
import { addDays } from "../dates.ts";
import { type OdsRecord, type OdsRelationship, type Period, REL } from "./record.ts";

/** The relationships the service derives parents from (site → trust/board, trust → ICB …). */
export const PARENT_RELS: readonly string[] = [
  REL.IS_OPERATED_BY,
  REL.IS_LOCATED_IN_THE_GEOGRAPHY_OF,
];

/**
 * The period that decides when an element is in force: the operational one, or the legal one
 * when ODS gives no operational start.
 *
 * @example
 * ```ts
 * import { governing } from "./dated.ts";
 *
 * governing({
 *   operational: { start: null, end: null },
 *   legal: { start: "2027-04-01", end: null },
 * }); // { start: "2027-04-01", end: null }
 * ```
 */
export function governing(e: { operational: Period; legal?: Period | null }): Period {
  if (e.operational.start === null && e.legal && e.legal.start !== null) return e.legal;
  return e.operational;
}

/**
 * Is `period` in force on `date`: started on or before it, and not ended before it (an ODS end
 * date is the last day in force)? A period without a start is never in force.
 *
 * @example
 * ```ts
 * import { inForce } from "./dated.ts";
 *
 * const move = { start: "2027-04-01", end: null };
 * inForce(move, "2027-03-31"); // false: published in advance
 * inForce(move, "2027-04-01"); // true
 * inForce({ start: "2020-04-01", end: "2027-03-31" }, "2027-03-31"); // true: its last day
 * ```
 */
export function inForce(period: Period, date: string): boolean {
  if (period.start === null || period.start > date) return false;
  return period.end === null || period.end >= date;
}

/** The parent in force on a date, and every distinct target in force then when ODS overlaps. */
export interface ParentOnDate {
  target: string | null;
  /** Two or more distinct targets in force on the date (sorted); empty when there is no overlap. */
  overlapping: string[];
}

/**
 * The target of the `relId` relationship to one of `roles` in force on `date`. Overlaps resolve
 * to the relationship that started last (then the lower target code).
 *
 * @example
 * ```ts
 * import { parentOn } from "./dated.ts";
 *
 * const rel = (target: string, start: string, end: string | null) => ({
 *   id: "RE5",
 *   target,
 *   targetRole: "RO261",
 *   active: true,
 *   operational: { start, end },
 *   legal: { start: null, end: null },
 * });
 * const trust = {
 *   relationships: [rel("QWO", "2022-07-01", "2027-03-31"), rel("QOQ", "2027-04-01", null)],
 * };
 * parentOn(trust, "RE5", ["RO261"], "2026-11-25").target; // "QWO"
 * parentOn(trust, "RE5", ["RO261"], "2027-04-01").target; // "QOQ"
 * ```
 */
export function parentOn(
  record: Pick<OdsRecord, "relationships">,
  relId: string,
  roles: readonly string[],
  date: string,
): ParentOnDate {
  const live = record.relationships.filter((r) =>
    r.id === relId && r.targetRole !== null && roles.includes(r.targetRole) &&
    inForce(governing(r), date)
  );
  live.sort((a, b) =>
    (governing(b).start ?? "").localeCompare(governing(a).start ?? "") ||
    a.target.localeCompare(b.target)
  );
  const targets = [...new Set(live.map((r) => r.target))].sort();
  return { target: live[0]?.target ?? null, overlapping: targets.length > 1 ? targets : [] };
}

/**
 * Is the record itself in force (active) on `date`? From its own dates; only a record without
 * any start date falls back to ODS's `Status`.
 *
 * @example
 * ```ts
 * import { activeOn } from "./dated.ts";
 *
 * const closing = {
 *   active: true,
 *   operational: { start: "1999-04-01", end: "2026-12-31" },
 *   legal: { start: null, end: null },
 * };
 * activeOn(closing, "2026-12-31"); // true: the end date is its last day
 * activeOn(closing, "2027-01-01"); // false
 * ```
 */
export function activeOn(
  record: Pick<OdsRecord, "active" | "operational" | "legal">,
  date: string,
): boolean {
  const p = governing(record);
  return p.start === null ? record.active : inForce(p, date);
}

function endsBeforeStart(p: Period): boolean {
  return p.start !== null && p.end !== null && p.end < p.start;
}

/**
 * Why the record's dates contradict each other, or `null` when they don't: the record's own
 * period or a parent relationship (`RE6`, `RE5`) that ends before it starts, or a parent
 * relationship with no start date at all.
 *
 * @example
 * ```ts
 * import { dateProblem } from "./dated.ts";
 *
 * const open = { start: "1999-04-01", end: null };
 * dateProblem({
 *   operational: open,
 *   legal: { start: null, end: null },
 *   relationships: [{
 *     id: "RE6",
 *     target: "RVV",
 *     targetRole: "RO197",
 *     active: true,
 *     operational: { start: "2027-04-01", end: "2020-01-01" },
 *     legal: { start: null, end: null },
 *   }],
 * }); // "relationship RE6 to RVV ends (2020-01-01) before it starts (2027-04-01)"
 * ```
 */
export function dateProblem(
  record: Pick<OdsRecord, "operational" | "legal" | "relationships">,
): string | null {
  for (const [name, p] of [["operational", record.operational], ["legal", record.legal]] as const) {
    if (endsBeforeStart(p)) return `${name} dates end (${p.end}) before they start (${p.start})`;
  }
  for (const r of record.relationships) {
    if (!PARENT_RELS.includes(r.id)) continue;
    const what = `relationship ${r.id} to ${r.target}`;
    if (governing(r).start === null) return `${what} has no start date`;
    for (const p of [r.operational, r.legal]) {
      if (endsBeforeStart(p)) return `${what} ends (${p.end}) before it starts (${p.start})`;
    }
  }
  return null;
}

/**
 * The dates after `after` on which what is in force may change: each start, and the day after
 * each end, of the record's own period and of its parent relationships. Sorted, distinct.
 *
 * @example
 * ```ts
 * import { changeDates } from "./dated.ts";
 *
 * changeDates({
 *   operational: { start: "1999-04-01", end: "2027-06-30" },
 *   legal: { start: null, end: null },
 *   relationships: [],
 * }, "2026-11-25"); // ["2027-07-01"]
 * ```
 */
export function changeDates(
  record: Pick<OdsRecord, "operational" | "legal" | "relationships">,
  after: string,
): string[] {
  const periods = [
    governing(record),
    ...record.relationships.filter((r) => PARENT_RELS.includes(r.id)).map(governing),
  ];
  const out = new Set<string>();
  for (const p of periods) {
    if (p.start !== null && p.start > after) out.add(p.start);
    if (p.end !== null && addDays(p.end, 1) > after) out.add(addDays(p.end, 1));
  }
  return [...out].sort();
}

/** A parent that changes on a later date. */
export interface ScheduledMove {
  date: string;
  from: string | null;
  to: string | null;
}

/**
 * The changes of parent (by `relId` to one of `roles`) after `date`, as ODS has published them
 * in advance.
 *
 * @example
 * ```ts
 * import { scheduledMoves } from "./dated.ts";
 *
 * const rel = (target: string, start: string, end: string | null) => ({
 *   id: "RE6",
 *   target,
 *   targetRole: "RO197",
 *   active: true,
 *   operational: { start, end },
 *   legal: { start: null, end: null },
 * });
 * const site = {
 *   operational: { start: "1999-04-01", end: null },
 *   legal: { start: null, end: null },
 *   relationships: [rel("RBK", "1999-04-01", "2027-03-31"), rel("RL4", "2027-04-01", null)],
 * };
 * scheduledMoves(site, "RE6", ["RO197"], "2026-11-25");
 * // [{ date: "2027-04-01", from: "RBK", to: "RL4" }]
 * ```
 */
export function scheduledMoves(
  record: Pick<OdsRecord, "operational" | "legal" | "relationships">,
  relId: string,
  roles: readonly string[],
  date: string,
): ScheduledMove[] {
  const moves: ScheduledMove[] = [];
  let before = parentOn(record, relId, roles, date).target;
  for (const d of changeDates(record, date)) {
    const now = parentOn(record, relId, roles, d).target;
    if (now !== before) moves.push({ date: d, from: before, to: now });
    before = now;
  }
  return moves;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const periodKey = (p: Period) => `${p.start ?? ""}|${p.end ?? ""}`;

/**
 * The dated facts to store for `r`, in a stable order (so the same ODS data read through either
 * source stores the same facts). Successions the source can't give
 * (`successionsKnown: false`) are kept from `current`.
 *
 * @example
 * ```ts
 * import { factsOf } from "./dated.ts";
 *
 * const open = { start: "1999-04-01", end: null };
 * const facts = factsOf({
 *   roles: [{ id: "RO198", primary: true, active: true, operational: open }],
 *   relationships: [],
 *   successions: [],
 * }, null);
 * facts.roles[0].legal; // { start: null, end: null }
 * ```
 */
export function factsOf(
  r: Pick<OdsRecord, "roles" | "relationships" | "successions" | "successionsKnown">,
  current: OdsFacts | null | undefined,
): OdsFacts {
  const none = { start: null, end: null };
  const roles = r.roles.map((x) => ({
    id: x.id,
    primary: x.primary,
    active: x.active,
    operational: { ...x.operational },
    legal: { ...(x.legal ?? none) },
  })).sort((a, b) =>
    byText(a.id, b.id) || byText(periodKey(a.operational), periodKey(b.operational))
  );
  const relationships = r.relationships.map((x) => ({
    id: x.id,
    target: x.target,
    target_role: x.targetRole,
    active: x.active,
    operational: { ...x.operational },
    legal: { ...x.legal },
  })).sort((a, b) =>
    byText(a.id, b.id) || byText(a.target, b.target) ||
    byText(periodKey(a.operational), periodKey(b.operational)) ||
    byText(periodKey(a.legal), periodKey(b.legal))
  );
  const successions = (r.successionsKnown ?? true)
    ? r.successions.map((s) => ({
      type: s.type,
      target: s.target,
      target_role: s.targetRole,
      date: s.date,
    })).sort((a, b) =>
      byText(a.type, b.type) || byText(a.target, b.target) || byText(a.date ?? "", b.date ?? "")
    )
    : current?.successions ?? [];
  return { roles, relationships, successions };
}

/**
 * The stored facts' relationships in the parsed shape, for {@linkcode parentOn} and friends.
 *
 * @example
 * ```ts
 * import { relationshipsOf } from "./dated.ts";
 *
 * const open = { start: "1999-04-01", end: null };
 * const none = { start: null, end: null };
 * relationshipsOf({
 *   roles: [],
 *   relationships: [{
 *     id: "RE6",
 *     target: "RVV",
 *     target_role: "RO197",
 *     active: true,
 *     operational: open,
 *     legal: none,
 *   }],
 *   successions: [],
 * })[0].targetRole; // "RO197"
 * ```
 */
export function relationshipsOf(facts: OdsFacts): OdsRelationship[] {
  return facts.relationships.map((x) => ({
    id: x.id,
    target: x.target,
    targetRole: x.target_role,
    active: x.active,
    operational: { ...x.operational },
    legal: { ...x.legal },
  }));
}
