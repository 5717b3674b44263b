/**
 * The review list: ODS changes that people must look at, because PDU and OPEN UK network
 * membership is curated by hand (closures, successions, new parents, re-parented sites).
 *
 * @module
 */
import type { ChangeEntry } from "../store.ts";
import type { Kind } from "../model.ts";

/** Why an item is on the review list. */
export type ReviewReason =
  | "closure"
  | "reopened"
  | "succession"
  | "new_parent"
  | "reparent"
  | "not_found"
  | "gap";

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

/**
 * Review items implied by the change entries of one record.
 *
 * @example
 * ```ts
 * reviewItemsFor(entries, { runId, time, makeId, nameOf: () => "ADDENBROOKE'S HOSPITAL" });
 * ```
 */
export function reviewItemsFor(
  entries: readonly ChangeEntry[],
  ctx: {
    runId: string;
    time: string;
    makeId: () => string;
    /** Curated OPEN UK network of a trust or board, to suggest links after a re-parent. */
    networkOfParent?: (parentCode: string) => string | null;
    newParents?: ReadonlySet<string>;
  },
): ReviewItem[] {
  const items: ReviewItem[] = [];
  for (const e of entries) {
    const field = (name: string) => e.changes.find((c) => c.field === name);
    const after = (name: string) => field(name)?.new;
    const name = str(after("name") ?? "") || null;
    const make = (
      reason: ReviewReason,
      detail: string,
      facts: Record<string, unknown>,
      commands: string[] = [],
    ) =>
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
        { name: after("name") },
      );
      continue;
    }
    const active = field("active");
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
    const succ = field("successors");
    if (succ && Array.isArray(succ.new) && succ.new.length) {
      const added = (succ.new as string[]).filter((c) =>
        !((succ.old as string[] | null) ?? []).includes(c)
      );
      if (added.length) {
        make(
          "succession",
          `${e.code} is succeeded by ${added.join(", ")} in ODS`,
          { successors: added },
          e.entity === "organisation"
            ? [
              `deno task merge -o ${added.join(" ")} --create`,
              `deno task merge -o ${e.code} --delete`,
            ]
            : [],
        );
      }
    }
    const pred = field("predecessors");
    if (pred && Array.isArray(pred.new)) {
      const added = (pred.new as string[]).filter((c) =>
        !((pred.old as string[] | null) ?? []).includes(c)
      );
      if (added.length) {
        make("succession", `${e.code} succeeds ${added.join(", ")} in ODS`, {
          predecessors: added,
        });
      }
    }
    if (e.op === "update") {
      for (const parentField of ["trust_code", "local_health_board_code"] as const) {
        const moved = field(parentField);
        if (!moved || moved.new === null) continue;
        const network = ctx.networkOfParent?.(String(moved.new)) ?? null;
        make(
          "reparent",
          `${e.code} moved from ${str(moved.old) || "(none)"} to ${moved.new}; PDU and OPEN UK ` +
            `network membership may need to follow`,
          { from: moved.old, to: moved.new, network_of_new_parent: network },
          network ? [`deno task merge -o ${e.code} --link-network ${network}`] : [],
        );
      }
    }
  }
  return items;
}
