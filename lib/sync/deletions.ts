/**
 * Records ODS deletes outside the change list (they simply vanish): every run reads the source's
 * deletion list (ORD `/notifications`, FHIR `List/Organization-deletion`). A tracked code in it
 * goes on the review list once, stays served, and is marked as deleted by ODS in its history
 * (`ods_deleted`, the date of the deletion, in one commit with the review item). Untracked codes
 * are ignored, and so is a deletion older than the stored record's LastChangeDate (ODS changed
 * the record after it, so the code is in use again).
 *
 * @module
 */
import * as keys from "../keys.ts";
import type { Kind } from "../model.ts";
import type { OdsKind } from "../ods/entities.ts";
import type { DeletedRecord, OdsSource } from "../ods/source.ts";
import { recordWrite, type WriteGroup } from "../store.ts";
import { describeError } from "./fetch.ts";
import type { CurrentState } from "./plan.ts";
import type { ReviewItem, RunItemContext } from "./review.ts";

/**
 * The source's deletion list (empty for a source without one), or why it couldn't be read.
 *
 * @example
 * ```ts
 * import type { OdsSource } from "../ods/source.ts";
 * import { readDeletions } from "./deletions.ts";
 *
 * const source = {
 *   name: "ord",
 *   deletions: () => Promise.resolve([{ code: "I8M8X", date: "2023-09-01" }]),
 * } as unknown as OdsSource;
 * await readDeletions(source); // { ok: true, deleted: [{ code: "I8M8X", date: "2023-09-01" }] }
 * ```
 */
export async function readDeletions(
  source: OdsSource,
): Promise<{ ok: true; deleted: DeletedRecord[] } | { ok: false; error: string }> {
  if (!source.deletions) return { ok: true, deleted: [] };
  try {
    return { ok: true, deleted: await source.deletions() };
  } catch (err) {
    return { ok: false, error: `deletion list: ${describeError(err)}` };
  }
}

/**
 * `cur` marked as deleted by ODS on `on`, or `undefined` (no write) when there is nothing to
 * mark: no record, one this service made, one already marked, or one ODS changed after `on`
 * (the code is in use again).
 *
 * @example
 * ```ts
 * import { markDeleted } from "./deletions.ts";
 * import { equal } from "node:assert/strict";
 * const held = { source: "ods" as const, last_change_date: "2024-01-10", ods_deleted: null };
 * equal(markDeleted(held, "2024-01-17")?.ods_deleted, "2024-01-17");
 * equal(markDeleted({ ...held, last_change_date: "2024-02-01" }, "2024-01-17"), undefined);
 * equal(markDeleted(null, "2024-01-17"), undefined);
 * ```
 */
export function markDeleted<
  T extends { source: string; last_change_date: string | null; ods_deleted?: string | null },
>(cur: T | null, on: string): T | undefined {
  if (!cur || cur.source !== "ods" || cur.ods_deleted) return undefined;
  if (cur.last_change_date && cur.last_change_date > on) return undefined;
  return { ...cur, ods_deleted: on };
}

/** The review item of a tracked record ODS deleted. */
function deletedItem(kind: Kind, code: string, date: string, ctx: RunItemContext): ReviewItem {
  return {
    id: ctx.makeId(),
    reason: "deleted",
    entity: kind,
    code,
    name: null,
    detail: `ODS deleted ${code} on ${date}; it is still served here: merge or delete it by hand`,
    facts: { deleted_on: date },
    commands: kind === "organisation" ? [`deno task merge -o ${code} --delete`] : [],
    run_id: ctx.runId,
    created_at: ctx.time,
    status: "open",
  };
}

/**
 * The write groups that mark each tracked record in `deleted` as deleted by ODS, each with its
 * review item (also given to `onReview`); records already marked are left alone, so each goes on
 * the list once. `today` dates a deletion the list gives no date for.
 *
 * @example
 * ```ts
 * import type { CurrentState } from "./plan.ts";
 * import { deletionWrites } from "./deletions.ts";
 *
 * const none = {
 *   organisation: new Map(),
 *   trust: new Map(),
 *   local_health_board: new Map(),
 *   integrated_care_board: new Map(),
 *   nhs_england_region: new Map(),
 * } as CurrentState;
 * const ctx = { runId: "r1", time: "2026-11-25T06:00:00.000Z", makeId: () => "i1" };
 * deletionWrites([{ code: "FVG57", date: "2024-01-17" }], none, "2026-11-25", ctx, () => {});
 * // []: not a code the service tracks
 * ```
 */
export function deletionWrites(
  deleted: readonly DeletedRecord[],
  current: CurrentState,
  today: string,
  ctx: RunItemContext,
  onReview: (items: ReviewItem[]) => void,
): WriteGroup[] {
  const groups: WriteGroup[] = [];
  const kinds = Object.keys(current) as OdsKind[];
  for (const { code, date } of deleted) {
    const on = date ?? today;
    for (const kind of kinds) {
      const held = (current[kind] as ReadonlyMap<string, { source: string }>).get(code);
      if (!held || held.source !== "ods") continue;
      groups.push({
        writes: [
          recordWrite(kind, code, (cur) => markDeleted(cur, on)),
        ],
        extra: (entries) => {
          const items = entries.map((e) => deletedItem(e.entity, e.code, on, ctx));
          onReview(items);
          return { set: items.map((i) => [keys.reviewKey(i.id), i] as [Deno.KvKey, unknown]) };
        },
      });
    }
  }
  return groups;
}
