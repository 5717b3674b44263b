/**
 * Records' attributes as this service recorded them on a UK date, from its change log: every
 * update committed after that date is undone, newest first, field by field (its `old` value put
 * back). A record's first entry (its seed or creation) is never undone, so the seed's values
 * stand for dates before the seed. Pure.
 *
 * Fields whose dated truth is ODS's (its dates and facts, `active`, `ods_deleted`) are not
 * undone: the latest ODS data tells the past best, and {@link ./records_on.ts} derives the
 * parents and `active` in force on the date from them.
 *
 * @module
 */
import { ukDate } from "../dates.ts";
import { type Entities, keyOf, type Kind, type SnapshotKind } from "../model.ts";
import type { ChangeEntry } from "../store.ts";
import type { RecordLists } from "./dataset.ts";

/** The fields never undone (see the module documentation). */
const ODS_DATED = new Set([
  "ods_facts",
  "ods_deleted",
  "active",
  "operational_start",
  "operational_end",
  "legal_start",
  "legal_end",
  "last_change_date",
  "updated_at",
]);

/** The change log's updates, by `kind|code`, in commit order. */
export type UpdatesByRecord = ReadonlyMap<string, readonly ChangeEntry[]>;

/**
 * Index change log entries (in commit order) by record, keeping the updates.
 *
 * @example
 * ```ts
 * import type { ChangeEntry } from "../store.ts";
 * import { updatesByRecord } from "./attributes_on.ts";
 *
 * const entry = (op: "create" | "update") =>
 *   ({ entity: "trust", code: "RGT", op, changes: [] }) as unknown as ChangeEntry;
 * updatesByRecord([entry("create"), entry("update")]).get("trust|RGT")?.length; // 1
 * ```
 */
export function updatesByRecord(entries: Iterable<ChangeEntry>): UpdatesByRecord {
  const out = new Map<string, ChangeEntry[]>();
  for (const e of entries) {
    if (e.op !== "update") continue;
    const key = `${e.entity}|${e.code}`;
    const list = out.get(key);
    if (list) list.push(e);
    else out.set(key, [e]);
  }
  return out;
}

/**
 * `record` as it was at the end of `date`: the updates made after it undone, newest first.
 *
 * @example
 * ```ts
 * import type { ChangeEntry } from "../store.ts";
 * import { recordAsOf } from "./attributes_on.ts";
 *
 * const rename = {
 *   op: "update",
 *   time: "2026-11-25T06:00:00.000Z",
 *   changes: [{ field: "name", old: "OLD NAME", new: "NEW NAME" }],
 * } as ChangeEntry;
 * recordAsOf({ name: "NEW NAME" }, [rename], "2026-11-24").name; // "OLD NAME"
 * recordAsOf({ name: "NEW NAME" }, [rename], "2026-11-25").name; // "NEW NAME"
 * ```
 */
export function recordAsOf<T extends object>(
  record: T,
  updates: readonly ChangeEntry[],
  date: string,
): T {
  let out: Record<string, unknown> | null = null;
  for (let i = updates.length - 1; i >= 0; i--) {
    const entry = updates[i];
    if (ukDate(new Date(entry.time)) <= date) break;
    for (const change of entry.changes) {
      if (ODS_DATED.has(change.field)) continue;
      out ??= { ...record } as Record<string, unknown>;
      out[change.field] = change.old;
    }
  }
  return (out ?? record) as T;
}

/**
 * Every record of `lists` as it was at the end of `date` ({@linkcode recordAsOf}).
 *
 * @example
 * ```ts
 * import type { RecordLists } from "./dataset.ts";
 * import { attributesOn } from "./attributes_on.ts";
 *
 * const lists = { trust: [{ ods_code: "RGT", name: "NEW" }] } as unknown as RecordLists;
 * attributesOn(lists, new Map(), "2020-01-01").trust[0].name; // "NEW": nothing to undo
 * ```
 */
export function attributesOn(
  lists: RecordLists,
  updates: UpdatesByRecord,
  date: string,
): RecordLists {
  if (!updates.size) return lists;
  const out = {} as Record<Kind, readonly Entities[Kind][]>;
  for (const kind of Object.keys(lists) as SnapshotKind[]) {
    out[kind] = lists[kind].map((r) => {
      const list = updates.get(`${kind}|${keyOf(kind, r as never)}`);
      return list ? recordAsOf(r, list, date) : r;
    });
  }
  return out as RecordLists;
}
