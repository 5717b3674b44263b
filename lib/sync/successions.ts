/**
 * Successions for a source whose records don't carry them (FHIR: the `Organization` resource has
 * none; the `ods-organization-code` CodeSystem `$lookup` does): the run looks them up for the
 * tracked records it changes (a LastChangeDate other than the stored one, a record new to the
 * store, or one stored before its dated facts were kept), one request each within the source's
 * rate limit. A record whose lookup fails is not applied (its successions would be lost: a later
 * run, seeing the same LastChangeDate, would not look again) and fails the run, so the cursor
 * stays and the next run reads it again.
 *
 * @module
 */
import type { FetchOutcome, OdsSource } from "../ods/source.ts";
import type { CurrentState, RecordsToApply } from "./plan.ts";

/**
 * The codes among `records` whose successions must be looked up.
 *
 * @example
 * ```ts
 * import type { CurrentState } from "./plan.ts";
 * import { needsSuccessions } from "./successions.ts";
 *
 * const none = {
 *   organisation: new Map(),
 *   trust: new Map(),
 *   local_health_board: new Map(),
 *   integrated_care_board: new Map(),
 *   nhs_england_region: new Map(),
 * } as CurrentState;
 * needsSuccessions(new Map(), none); // []
 * ```
 */
export function needsSuccessions(records: RecordsToApply, current: CurrentState): string[] {
  const out: string[] = [];
  for (const [code, { kinds, record }] of records) {
    if (record.successionsKnown !== false) continue;
    const stored = kinds
      .map((k) => (current[k] as ReadonlyMap<string, unknown>).get(code))
      .find((r) => r !== undefined) as
        | { last_change_date: string | null; ods_facts?: unknown }
        | undefined;
    if (!stored || !stored.ods_facts || stored.last_change_date !== record.lastChangeDate) {
      out.push(code);
    }
  }
  return out.sort();
}

/**
 * Look up the successions `records` need (in place): found ones are set on the record, a failed
 * lookup turns the record's outcome into an error and takes it out of `records`. Throws only
 * what the source throws (`auth`, `unreachable`).
 *
 * @example
 * ```ts
 * import type { OdsSource } from "../ods/source.ts";
 * import type { CurrentState } from "./plan.ts";
 * import { completeSuccessions } from "./successions.ts";
 *
 * const none = {
 *   organisation: new Map(),
 *   trust: new Map(),
 *   local_health_board: new Map(),
 *   integrated_care_board: new Map(),
 *   nhs_england_region: new Map(),
 * } as CurrentState;
 * const ord = { name: "ord" } as OdsSource; // ORD records carry their successions
 * await completeSuccessions(ord, new Map(), none, new Map()); // nothing to look up
 * ```
 */
export async function completeSuccessions(
  source: OdsSource,
  records: RecordsToApply,
  current: CurrentState,
  outcomes: Map<string, FetchOutcome>,
  onProgress?: (done: number, total: number) => void,
): Promise<void> {
  if (!source.lookupSuccessions) return;
  const codes = needsSuccessions(records, current);
  if (codes.length === 0) return;
  const found = await source.lookupSuccessions(codes, onProgress);
  for (const code of codes) {
    const entry = records.get(code)!;
    const got = found.get(code);
    if (got?.ok) {
      const record = { ...entry.record, successions: got.successions, successionsKnown: true };
      records.set(code, { ...entry, record });
      outcomes.set(code, { status: "ok", code, record });
    } else {
      records.delete(code);
      const reason = got ? got.reason : "no answer to the succession lookup";
      outcomes.set(code, { status: "error", code, reason });
    }
  }
}
