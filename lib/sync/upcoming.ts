/**
 * Review items for ODS's dated facts, as a run applies a record: a change ODS has published in
 * advance (a parent that changes on a later date, a closure to come) goes on the review list when
 * ODS publishes it, saying when it takes effect ("RBK02 moves from RBK to RL4 on 2027-04-01");
 * two relationships of one kind in force on the run's date (an overlap, resolved to the one that
 * started last) go on it too. Each only once: what the stored facts already implied is not
 * reported again. Pure; the plan commits the items with their record.
 *
 * @module
 */
import { addDays } from "../dates.ts";
import type { DatePeriod, OdsFacts } from "../model.ts";
import { governing, parentOn, relationshipsOf, scheduledMoves } from "../ods/dated.ts";
import { type OdsKind, PARENT_RULES } from "../ods/entities.ts";
import type { OdsRecord, OdsRelationship } from "../ods/record.ts";
import type { ChangeEntry } from "../store.ts";
import type { ReviewItem, RunItemContext } from "./review.ts";

/** The dated view of a record: its own period and its relationships. */
interface Dated {
  operational: DatePeriod;
  legal: DatePeriod;
  relationships: OdsRelationship[];
}

/** What the stored record implied before this change (from the entry's old values). */
function before(entry: ChangeEntry, after: Dated): Dated | null {
  const old = (field: string) => entry.changes.find((c) => c.field === field);
  if (entry.op === "create") return null;
  const facts = old("ods_facts");
  const relationships = facts
    ? facts.old ? relationshipsOf(facts.old as OdsFacts) : null
    : after.relationships;
  if (relationships === null) return null; // stored before dated facts were kept
  const period = (name: "operational" | "legal", now: DatePeriod): DatePeriod => {
    const start = old(`${name}_start`);
    const end = old(`${name}_end`);
    return {
      start: start ? start.old as string | null : now.start,
      end: end ? end.old as string | null : now.end,
    };
  };
  return {
    operational: period("operational", after.operational),
    legal: period("legal", after.legal),
    relationships,
  };
}

/** One item of this entry. */
function item(
  entry: ChangeEntry,
  ctx: RunItemContext,
  reason: "scheduled" | "overlap",
  detail: string,
  facts: Record<string, unknown>,
): ReviewItem {
  return {
    id: ctx.makeId(),
    reason,
    entity: entry.entity,
    code: entry.code,
    name: null,
    detail,
    facts: { last_change_date: entry.last_change_date, ...facts },
    commands: [],
    run_id: ctx.runId,
    created_at: ctx.time,
    status: "open",
  };
}

const moveKey = (m: { date: string; from: string | null; to: string | null }) =>
  `${m.date}|${m.from}|${m.to}`;

/** Moves of parent that take effect after `on`, new with this change. */
function moveItems(
  entry: ChangeEntry,
  now: Dated,
  was: Dated | null,
  on: string,
  ctx: RunItemContext,
) {
  const items: ReviewItem[] = [];
  for (const rule of PARENT_RULES[entry.entity as OdsKind] ?? []) {
    const known = new Set(was ? scheduledMoves(was, rule.rel, rule.roles, on).map(moveKey) : []);
    for (const m of scheduledMoves(now, rule.rel, rule.roles, on)) {
      if (known.has(moveKey(m))) continue;
      const what = rule.kind.replaceAll("_", " ");
      const detail = m.to === null
        ? `${entry.code} leaves ${what} ${m.from} on ${m.date}`
        : m.from === null
        ? `${entry.code} joins ${what} ${m.to} on ${m.date}`
        : `${entry.code} moves from ${m.from} to ${m.to} on ${m.date}`;
      items.push(item(entry, ctx, "scheduled", detail, {
        takes_effect: m.date,
        from: m.from,
        to: m.to,
        relationship: rule.rel,
      }));
    }
  }
  return items;
}

/** A closure (the record's own end) after `on`, new with this change. */
function closureItem(
  entry: ChangeEntry,
  now: Dated,
  was: Dated | null,
  on: string,
  ctx: RunItemContext,
) {
  const end = governing(now).end;
  if (end === null || end < on || (was && governing(was).end === end)) return [];
  return [item(entry, ctx, "scheduled", `${entry.code} closes in ODS on ${addDays(end, 1)}`, {
    takes_effect: addDays(end, 1),
    end_date: end,
  })];
}

/** Relationships of one kind in force together on `on`, new with this change. */
function overlapItems(
  entry: ChangeEntry,
  now: Dated,
  was: Dated | null,
  on: string,
  ctx: RunItemContext,
) {
  const items: ReviewItem[] = [];
  for (const rule of PARENT_RULES[entry.entity as OdsKind] ?? []) {
    const overlap = parentOn(now, rule.rel, rule.roles, on);
    if (overlap.overlapping.length === 0) continue;
    const old = was ? parentOn(was, rule.rel, rule.roles, on).overlapping : [];
    if (old.join() === overlap.overlapping.join()) continue;
    items.push(item(
      entry,
      ctx,
      "overlap",
      `${entry.code} has ${overlap.overlapping.length} ${rule.rel} relationships in force on ` +
        `${on} (${overlap.overlapping.join(", ")}); ${overlap.target}, which started last, is used`,
      { relationship: rule.rel, in_force: overlap.overlapping, used: overlap.target },
    ));
  }
  return items;
}

/**
 * The review items of ODS's dated facts for one applied record (`entry`, its change log entry;
 * `record`, what ODS published; `on`, the run's UK date).
 *
 * @example
 * ```ts
 * import { datedReviewItems } from "./upcoming.ts";
 *
 * const rel = (target: string, start: string, end: string | null) => ({
 *   id: "RE6",
 *   target,
 *   targetRole: "RO197",
 *   active: true,
 *   operational: { start, end },
 *   legal: { start: null, end: null },
 * });
 * const record = {
 *   operational: { start: "1999-04-01", end: null },
 *   legal: { start: null, end: null },
 *   relationships: [rel("RBK", "1999-04-01", "2027-03-31"), rel("RL4", "2027-04-01", null)],
 * };
 * const entry = {
 *   id: "",
 *   entity: "organisation" as const,
 *   code: "RBK02",
 *   op: "create" as const,
 *   changes: [],
 *   cause: "sync" as const,
 *   run_id: "r1",
 *   time: "2026-11-25T06:00:00.000Z",
 *   last_change_date: "2026-11-24",
 * };
 * const ctx = { runId: "r1", time: entry.time, makeId: () => "i1" };
 * datedReviewItems(entry, record, "2026-11-25", ctx)[0].detail;
 * // "RBK02 moves from RBK to RL4 on 2027-04-01"
 * ```
 */
export function datedReviewItems(
  entry: ChangeEntry,
  record: Pick<OdsRecord, "operational" | "legal" | "relationships">,
  on: string,
  ctx: RunItemContext,
): ReviewItem[] {
  const now: Dated = {
    operational: record.operational,
    legal: record.legal,
    relationships: record.relationships,
  };
  const was = before(entry, now);
  return [
    ...moveItems(entry, now, was, on, ctx),
    ...closureItem(entry, now, was, on, ctx),
    ...overlapItems(entry, now, was, on, ctx),
  ];
}
