/**
 * Reading what the sync has done: its state, past runs and their diffs, the review list, the
 * quarantine, and the summary the status route and page show.
 *
 * @module
 */
import * as keys from "../keys.ts";
import type { Store } from "../store.ts";
import { MAX_EMPTY_WORKING_DAYS } from "./defensive.ts";
import { leaseHolder, SYNC_LEASE } from "./lease.ts";
import type { QuarantineEntry } from "./plan.ts";
import { unitsWithoutOrganisation } from "./reference_sites.ts";
import type { DiffRow } from "./report.ts";
import type { ReviewItem } from "./review.ts";
import type { RunRecord } from "./run_record.ts";
import { INITIAL_SYNC_STATE, type SyncState } from "./state.ts";

/**
 * Read the persisted sync state.
 *
 * @example
 * ```ts
 * import { Store } from "../store.ts";
 * import { readSyncState } from "./history.ts";
 *
 * const store = await Store.open(":memory:");
 * (await readSyncState(store)).cursor; // null: never synced
 * store.close();
 * ```
 */
export async function readSyncState(store: Store): Promise<SyncState> {
  const v = (await store.kv.get<SyncState>(keys.syncStateKey)).value;
  return v ? { ...INITIAL_SYNC_STATE, ...v } : { ...INITIAL_SYNC_STATE };
}

/**
 * The most recent runs, newest first.
 *
 * @example
 * ```ts
 * import { Store } from "../store.ts";
 * import { listRuns } from "./history.ts";
 *
 * const store = await Store.open(":memory:");
 * (await listRuns(store, 10)).length; // 0
 * store.close();
 * ```
 */
export async function listRuns(store: Store, limit = 50): Promise<RunRecord[]> {
  const out: RunRecord[] = [];
  for await (
    const e of store.kv.list<RunRecord>({ prefix: keys.runPrefix }, { reverse: true, limit })
  ) out.push(e.value);
  return out;
}

/**
 * One run's diff rows.
 *
 * @example
 * ```ts
 * import { Store } from "../store.ts";
 * import { runRows } from "./history.ts";
 *
 * const store = await Store.open(":memory:");
 * (await runRows(store, "no-such-run")).length; // 0
 * store.close();
 * ```
 */
export async function runRows(store: Store, runId: string): Promise<DiffRow[]> {
  const out: DiffRow[] = [];
  for await (const e of store.kv.list<DiffRow[]>({ prefix: keys.runReportPrefix(runId) })) {
    out.push(...e.value);
  }
  return out;
}

/**
 * The review list, newest first.
 *
 * @example
 * ```ts
 * import { Store } from "../store.ts";
 * import { listReview } from "./history.ts";
 *
 * const store = await Store.open(":memory:");
 * (await listReview(store)).length; // 0
 * store.close();
 * ```
 */
export async function listReview(store: Store): Promise<ReviewItem[]> {
  const out: ReviewItem[] = [];
  for await (
    const e of store.kv.list<ReviewItem>({ prefix: keys.reviewPrefix }, { reverse: true })
  ) {
    out.push(e.value);
  }
  return out;
}

/**
 * Every quarantined ODS record, by code.
 *
 * @example
 * ```ts
 * import { Store } from "../store.ts";
 * import { listQuarantine } from "./history.ts";
 *
 * const store = await Store.open(":memory:");
 * (await listQuarantine(store)).length; // 0
 * store.close();
 * ```
 */
export async function listQuarantine(store: Store): Promise<QuarantineEntry[]> {
  const out: QuarantineEntry[] = [];
  for await (const e of store.kv.list<QuarantineEntry>({ prefix: keys.quarantinePrefix })) {
    out.push(e.value);
  }
  return out;
}

/** Where the sync stands: what `/sync/status` and the status page show. */
export interface SyncSummary {
  state: SyncState;
  /** "business as usual", "re-querying day N of 3" or "alert". */
  modeDescription: string;
  lastRun: RunRecord | null;
  reviewOpen: number;
  quarantined: number;
  running: boolean;
  /** PZ codes of the units no organisation belongs to ("PDU without an organisation"). */
  unitsWithoutOrganisation: string[];
}

/**
 * Read the sync summary.
 *
 * @example
 * ```ts
 * import { Store } from "../store.ts";
 * import { syncSummary } from "./history.ts";
 *
 * const store = await Store.open(":memory:");
 * (await syncSummary(store)).modeDescription; // "business as usual"
 * store.close();
 * ```
 */
export async function syncSummary(store: Store): Promise<SyncSummary> {
  const [state, runs, review, quarantined, lease, units, organisations] = await Promise.all([
    readSyncState(store),
    listRuns(store, 1),
    listReview(store),
    listQuarantine(store),
    leaseHolder(store.kv, SYNC_LEASE),
    store.list("paediatric_diabetes_unit"),
    store.list("organisation"),
  ]);
  return {
    state,
    modeDescription: describeMode(state),
    lastRun: runs[0] ?? null,
    reviewOpen: review.filter((i) => i.status === "open").length,
    quarantined: quarantined.length,
    running: lease !== null,
    unitsWithoutOrganisation: unitsWithoutOrganisation(units, organisations),
  };
}

/**
 * A human description of the defensive algorithm state.
 *
 * @example
 * ```ts
 * import { describeMode } from "./history.ts";
 * import { INITIAL_SYNC_STATE } from "./state.ts";
 *
 * describeMode({ ...INITIAL_SYNC_STATE, mode: "requery", empty_days: ["2026-11-25"] });
 * // "re-querying day 1 of 3"
 * ```
 */
export function describeMode(state: SyncState): string {
  if (state.mode === "alert") return "alert";
  if (state.mode === "requery") {
    return `re-querying day ${state.empty_days.length} of ${MAX_EMPTY_WORKING_DAYS}`;
  }
  return "business as usual";
}
