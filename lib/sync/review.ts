/**
 * The review list: ODS changes that people must look at, because PDU and OPEN UK network
 * membership is curated by hand (closures, successions, new parents, re-parented sites).
 *
 * @module
 */
import type { ChangeEntry } from "../store.ts";
import type { SiteMemberships } from "../memberships.ts";
import type { Kind } from "../model.ts";

/** Why an item is on the review list. */
export type ReviewReason =
  | "closure"
  | "reopened"
  | "succession"
  | "new_parent"
  /** A site the 2024 PDU list names, created from ODS (`./reference_sites.ts`). */
  | "new_site"
  | "reparent"
  | "not_found"
  | "gap"
  /** A change ODS has published in advance (a move or closure on a later date). */
  | "scheduled"
  /** Two relationships of one kind in force on the same date. */
  | "overlap"
  /** ODS deleted the record (ORD `/notifications`, FHIR `List/Organization-deletion`). */
  | "deleted";

/** One item awaiting review. */
export interface ReviewItem {
  id: string;
  reason: ReviewReason;
  entity: Kind | null;
  code: string | null;
  name: string | null;
  /** What ODS says, in words. */
  detail: string;
  /** The facts behind it (old/new values, dates, codes). */
  facts: Record<string, unknown>;
  /** `deno task merge` commands a maintainer would likely run. */
  commands: string[];
  run_id: string;
  created_at: string;
  status: "open" | "done";
}

const str = (v: unknown) => (v === null || v === undefined ? "" : String(v));

/** Where review items are made: the run, the time and fresh ids. */
export interface ReviewContext {
  runId: string;
  time: string;
  makeId: () => string;
  /** Curated OPEN UK network of a trust or board, to suggest links after a re-parent. */
  networkOfParent?: (parentCode: string) => string | null;
  newParents?: ReadonlySet<string>;
  /** Sites the 2024 PDU list names that this run creates, with the memberships they get. */
  newSites?: ReadonlyMap<string, SiteMemberships>;
}

/** Makes the review items of one change entry. */
type Make = (
  reason: ReviewReason,
  detail: string,
  facts: Record<string, unknown>,
  commands?: string[],
) => void;

/**
 * Review items implied by the change entries of one record.
 *
 * @example
 * ```ts
 * import { reviewItemsFor } from "./review.ts";
 *
 * const closed = {
 *   id: "c1",
 *   entity: "organisation" as const,
 *   code: "RGT01",
 *   op: "update" as const,
 *   changes: [{ field: "active", old: true, new: false }],
 *   cause: "sync" as const,
 *   run_id: "r1",
 *   time: "2026-11-25T06:00:00.000Z",
 *   last_change_date: "2026-11-24",
 * };
 * const items = reviewItemsFor([closed], { runId: "r1", time: closed.time, makeId: () => "i1" });
 * items[0].reason; // "closure"
 * ```
 */
export function reviewItemsFor(
  entries: readonly ChangeEntry[],
  ctx: ReviewContext,
): ReviewItem[] {
  const items: ReviewItem[] = [];
  for (const e of entries) {
    const name = str(e.changes.find((c) => c.field === "name")?.new ?? "") || null;
    const make: Make = (reason, detail, facts, commands = []) =>
      items.push({
        id: ctx.makeId(),
        reason,
        entity: e.entity,
        code: e.code,
        name,
        detail,
        facts: { last_change_date: e.last_change_date, ...facts },
        commands,
        run_id: ctx.runId,
        created_at: ctx.time,
        status: "open",
      });
    if (e.op === "create" && ctx.newParents?.has(`${e.entity}:${e.code}`)) {
      make(
        "new_parent",
        `new ${e.entity.replaceAll("_", " ")} ${e.code} created from ODS; check its memberships`,
        {
          name: e.changes.find((c) => c.field === "name")?.new,
          ...(e.ods_name ? { ods_name: e.ods_name } : {}),
        },
      );
      continue;
    }
    const site = e.op === "create" ? ctx.newSites?.get(e.code) : undefined;
    if (site && e.entity === "organisation") {
      make("new_site", newSiteDetail(e.code, site), { pdu: site.pdu, network: site.network });
      continue;
    }
    statusItems(e, make);
    successionItems(e, make);
    if (e.op === "update") reparentItems(e, make, ctx.networkOfParent);
  }
  return items;
}

/** What a created reference site's review item says. */
function newSiteDetail(code: string, site: SiteMemberships): string {
  const network = site.network ? `OPEN UK network ${site.network}` : "no OPEN UK network";
  return `${code} created from ODS: the 2024 PDU list names it for ${site.pdu}, the 2024 ` +
    `organisation list lacked it; check its PDU (${site.pdu}) and ${network}`;
}

/** Closed, or active again. */
function statusItems(e: ChangeEntry, make: Make): void {
  const active = e.changes.find((c) => c.field === "active");
  const after = (name: string) => e.changes.find((c) => c.field === name)?.new;
  if (active && active.old === true && active.new === false) {
    const end = after("operational_end") ?? after("legal_end") ?? null;
    make(
      "closure",
      `${e.code} is closed in ODS${end ? ` from ${end}` : ""}`,
      { end_date: end },
      e.entity === "organisation" ? [`deno task merge -o ${e.code} --delete`] : [],
    );
  } else if (active && active.old === false && active.new === true) {
    make("reopened", `${e.code} is active again in ODS`, {});
  }
}

/** Codes in a list field's new value that were not in its old one. */
function added(e: ChangeEntry, field: string): string[] {
  const change = e.changes.find((c) => c.field === field);
  if (!change || !Array.isArray(change.new)) return [];
  const before = (change.old as string[] | null) ?? [];
  return (change.new as string[]).filter((c) => !before.includes(c));
}

/** New successors or predecessors. */
function successionItems(e: ChangeEntry, make: Make): void {
  const successors = added(e, "successors");
  if (successors.length) {
    make(
      "succession",
      `${e.code} is succeeded by ${successors.join(", ")} in ODS`,
      { successors },
      e.entity === "organisation"
        ? [
          `deno task merge -o ${successors.join(" ")} --create`,
          `deno task merge -o ${e.code} --delete`,
        ]
        : [],
    );
  }
  const predecessors = added(e, "predecessors");
  if (predecessors.length) {
    make("succession", `${e.code} succeeds ${predecessors.join(", ")} in ODS`, { predecessors });
  }
}

/** A site moved to another trust or board: its curated memberships may need to follow. */
function reparentItems(
  e: ChangeEntry,
  make: Make,
  networkOfParent: ReviewContext["networkOfParent"],
): void {
  for (const parentField of ["trust_code", "local_health_board_code"] as const) {
    const moved = e.changes.find((c) => c.field === parentField);
    if (!moved || moved.new === null) continue;
    const network = networkOfParent?.(String(moved.new)) ?? null;
    make(
      "reparent",
      `${e.code} moved from ${str(moved.old) || "(none)"} to ${moved.new}; PDU and OPEN UK ` +
        `network membership may need to follow`,
      { from: moved.old, to: moved.new, network_of_new_parent: network },
      network ? [`deno task merge -o ${e.code} --link-network ${network}`] : [],
    );
  }
}

/** What a run-level review item needs. */
export interface RunItemContext {
  runId: string;
  time: string;
  makeId: () => string;
}

/**
 * The review item for a code ODS listed as changed but no longer serves.
 *
 * @example
 * ```ts
 * import { notFoundItem } from "./review.ts";
 *
 * notFoundItem("RGT01", "organisation", { runId: "r1", time: "t", makeId: () => "i1" }).detail;
 * // "ODS listed a change to RGT01 but the record is not found (deleted or withdrawn?)"
 * ```
 */
export function notFoundItem(
  code: string,
  entity: Kind | null,
  ctx: RunItemContext,
): ReviewItem {
  return {
    id: ctx.makeId(),
    reason: "not_found",
    entity,
    code,
    name: null,
    detail: `ODS listed a change to ${code} but the record is not found (deleted or withdrawn?)`,
    facts: {},
    commands: [],
    run_id: ctx.runId,
    created_at: ctx.time,
    status: "open",
  };
}

/**
 * The review item for working days on which ODS has no records at all.
 *
 * @example
 * ```ts
 * import { gapItem } from "./review.ts";
 *
 * gapItem(["2026-11-24"], { runId: "r1", time: "t", makeId: () => "i1" }).detail;
 * // "ODS returned no records with LastChangeDate on 2026-11-24"
 * ```
 */
export function gapItem(days: readonly string[], ctx: RunItemContext): ReviewItem {
  return {
    id: ctx.makeId(),
    reason: "gap",
    entity: null,
    code: null,
    name: null,
    detail: `ODS returned no records with LastChangeDate on ${days.join(", ")}`,
    facts: { days: [...days] },
    commands: [],
    run_id: ctx.runId,
    created_at: ctx.time,
    status: "open",
  };
}
