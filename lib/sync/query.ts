/**
 * What a run asks ODS for: a re-baseline of every tracked record, or the changes since a date.
 * A pure decision from the request, the cursor and today's UK date.
 *
 * @module
 */
import { daysBetween, isIsoDate } from "../dates.ts";

/** ORD only serves changes from the last 185 days. */
export const ORD_WINDOW_DAYS = 185;

/** What to run: continue from the cursor, re-baseline, or changes since a given date. */
export type SyncRequest = "auto" | "full" | { since: string };

/** What to query, or why the run can't start. */
export type QueryPlan =
  | {
    ok: true;
    kind: "baseline";
    since: null;
    /** The cursor is older than the ORD window (so the run re-baselines instead). */
    stale: boolean;
  }
  | { ok: true; kind: "incremental"; since: string; stale: false }
  | { ok: false; kind: "incremental"; since: string; error: string };

/** What {@linkcode planQuery} decides from. */
export interface QueryInput {
  request: SyncRequest;
  /** The stored cursor (`null` before the first baseline). */
  cursor: string | null;
  /** The run's UK date, `YYYY-MM-DD`. */
  today: string;
  source: "ord" | "fhir";
}

/**
 * Decide what to query:
 * - `full`, or `auto` on a store that has never synced → baseline;
 * - `auto` with a cursor older than {@linkcode ORD_WINDOW_DAYS} → baseline (`stale`);
 * - `auto` → incremental from the cursor; `{ since }` → incremental from that date.
 *
 * An incremental date must be a real date, not in the future and, for ORD, inside its window.
 *
 * @example
 * ```ts
 * import { planQuery } from "./query.ts";
 *
 * planQuery({ request: "auto", cursor: "2026-11-24", today: "2026-11-25", source: "ord" });
 * // { ok: true, kind: "incremental", since: "2026-11-24", stale: false }
 * planQuery({ request: "auto", cursor: null, today: "2026-11-25", source: "ord" });
 * // { ok: true, kind: "baseline", since: null, stale: false }
 * ```
 */
export function planQuery(input: QueryInput): QueryPlan {
  const { request, cursor, today } = input;
  if (request === "full" || (request === "auto" && cursor === null)) {
    return { ok: true, kind: "baseline", since: null, stale: false };
  }
  if (request === "auto" && daysBetween(cursor!, today) > ORD_WINDOW_DAYS) {
    return { ok: true, kind: "baseline", since: null, stale: true };
  }
  const since = request === "auto" ? cursor! : request.since;
  const error = sinceError(since, today, input.source);
  if (error) return { ok: false, kind: "incremental", since, error };
  return { ok: true, kind: "incremental", since, stale: false };
}

function sinceError(since: string, today: string, source: "ord" | "fhir"): string | null {
  if (!isIsoDate(since)) return `invalid date "${since}"`;
  if (since > today) return `date ${since} is in the future`;
  if (source === "ord" && daysBetween(since, today) > ORD_WINDOW_DAYS) {
    return `ORD only serves the last ${ORD_WINDOW_DAYS} days; ${since} is older: run with --full`;
  }
  return null;
}
