/**
 * What a run's fetch brought back, sorted out without I/O: the records to apply (with the kinds
 * each one updates), the parents not held yet that must be fetched too, and what could not be
 * applied (errors, records ODS no longer has, records to quarantine).
 *
 * @module
 */
import { type OdsKind, parentsNeeded } from "../ods/entities.ts";
import type { FetchOutcome } from "../ods/source.ts";
import type { CurrentState, QuarantineEntry, RecordsToApply } from "./plan.ts";

/**
 * The records among `outcomes` that came back valid, each with the kinds it is held as.
 *
 * @example
 * ```ts
 * import { recordsFrom } from "./fetched.ts";
 *
 * recordsFrom([{ status: "not_found", code: "RGT01" }], new Map()).size; // 0
 * ```
 */
export function recordsFrom(
  outcomes: Iterable<FetchOutcome>,
  held: ReadonlyMap<string, readonly OdsKind[]>,
): RecordsToApply {
  const records: RecordsToApply = new Map();
  for (const o of outcomes) {
    if (o.status === "ok") {
      records.set(o.code, { kinds: [...(held.get(o.code) ?? [])], record: o.record });
    }
  }
  return records;
}

/** Is `code` held as `kind`, or about to be (fetched in this run as that kind)? */
function isHeldAs(
  current: CurrentState,
  records: RecordsToApply,
  kind: OdsKind,
  code: string,
): boolean {
  return (current[kind] as ReadonlyMap<string, unknown>).has(code) ||
    (records.get(code)?.kinds.includes(kind) ?? false);
}

/**
 * Parents that `records` point at (a new trust, a new ICB…), in force on `on` or published to
 * come, that are neither stored nor in `records`: the code of each, with the kind it would be
 * created as.
 *
 * @example
 * ```ts
 * import { parentsWanted } from "./fetched.ts";
 * import type { CurrentState } from "./plan.ts";
 *
 * const none = {
 *   organisation: new Map(),
 *   trust: new Map(),
 *   local_health_board: new Map(),
 *   integrated_care_board: new Map(),
 *   nhs_england_region: new Map(),
 * } as CurrentState;
 * parentsWanted(new Map(), none, "2026-11-25").size; // 0
 * ```
 */
export function parentsWanted(
  records: RecordsToApply,
  current: CurrentState,
  on: string,
): Map<string, OdsKind> {
  const wanted = new Map<string, OdsKind>();
  for (const { kinds, record } of records.values()) {
    for (const kind of kinds) {
      for (const p of parentsNeeded(kind, record, on)) {
        if (!isHeldAs(current, records, p.kind, p.code)) wanted.set(p.code, p.kind);
      }
    }
  }
  return wanted;
}

/** What {@linkcode classifyFetches} found. */
export interface Classified {
  /** `code: reason` of each record still failing after retries (the run fails). */
  errors: string[];
  /** Codes ODS listed but no longer has. */
  notFound: string[];
  /** Invalid records, and records whose parent ODS doesn't have: held back, not half-applied. */
  quarantine: QuarantineEntry[];
  /** `records` without the quarantined ones. */
  records: RecordsToApply;
}

/**
 * Sort the fetch outcomes: errors, not found, invalid (quarantined), and records whose parent
 * is neither stored nor fetched (quarantined too, and not applied).
 *
 * @example
 * ```ts
 * import { classifyFetches } from "./fetched.ts";
 * import type { CurrentState } from "./plan.ts";
 *
 * const none = {
 *   organisation: new Map(),
 *   trust: new Map(),
 *   local_health_board: new Map(),
 *   integrated_care_board: new Map(),
 *   nhs_england_region: new Map(),
 * } as CurrentState;
 * const quarantine = (code: string, reason: string) =>
 *   ({ code, reason, first_seen_at: "t", last_seen_at: "t", attempts: 1, run_id: "r" });
 * const failed = [{ status: "error" as const, code: "RGT", reason: "HTTP 503" }];
 * classifyFetches(failed, new Map(), none, quarantine, "2026-11-25").errors; // ["RGT: HTTP 503"]
 * ```
 */
export function classifyFetches(
  outcomes: Iterable<FetchOutcome>,
  records: RecordsToApply,
  current: CurrentState,
  quarantineEntry: (code: string, reason: string) => QuarantineEntry,
  on: string,
): Classified {
  const out: Classified = { errors: [], notFound: [], quarantine: [], records: new Map(records) };
  for (const o of outcomes) {
    if (o.status === "error") out.errors.push(`${o.code}: ${o.reason}`);
    if (o.status === "not_found") out.notFound.push(o.code);
    if (o.status === "invalid") out.quarantine.push(quarantineEntry(o.code, o.reason));
  }
  // As records are held back, records that depend on them are too (in `records` order).
  for (const [code, { kinds, record }] of out.records) {
    for (const kind of kinds) {
      for (const p of parentsNeeded(kind, record, on)) {
        const known = (current[p.kind] as ReadonlyMap<string, unknown>).has(p.code) ||
          out.records.has(p.code);
        if (!known) {
          out.quarantine.push(quarantineEntry(code, `parent ${p.kind} ${p.code} is not in ODS`));
          out.records.delete(code);
        }
      }
    }
  }
  return out;
}
