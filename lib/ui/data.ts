/**
 * What the web pages read from the store (read-only): the status summary, and the records of
 * the current data version through the API's own snapshot cache.
 *
 * @module
 */
import type { Dataset } from "../api/dataset.ts";
import * as keys from "../keys.ts";
import type { Kind } from "../model.ts";
import type { Store } from "../store.ts";
import { leaseHolder } from "../sync/lease.ts";
import type { ReviewItem } from "../sync/review.ts";
import { describeMode, listReview, listRuns } from "../sync/routes.ts";
import { type QuarantineEntry, readSyncState, type RunRecord, SYNC_LEASE } from "../sync/run.ts";
import type { SyncState } from "../sync/state.ts";

/** Everything the status page shows. */
export interface StatusData {
  counts: Record<Kind, number>;
  /** Organisations that are active in ODS (or curated and active). */
  activeOrganisations: number;
  state: SyncState;
  /** "business as usual", "re-querying day N of 3" or "alert". */
  modeDescription: string;
  lastRun: RunRecord | null;
  reviewOpen: number;
  quarantined: number;
  running: boolean;
}

/** Count the organisations per active flag, from the index. */
async function countActive(store: Store): Promise<number> {
  return (await store.codesBy("organisation", "active", true)).length;
}

/** Read the status summary. */
export async function loadStatus(store: Store): Promise<StatusData> {
  const [counts, activeOrganisations, state, runs, review, quarantined, lease] = await Promise.all(
    [
      store.counts(),
      countActive(store),
      readSyncState(store),
      listRuns(store, 1),
      listReview(store),
      listQuarantine(store),
      leaseHolder(store.kv, SYNC_LEASE),
    ],
  );
  return {
    counts,
    activeOrganisations,
    state,
    modeDescription: describeMode(state),
    lastRun: runs[0] ?? null,
    reviewOpen: review.filter((i) => i.status === "open").length,
    quarantined: quarantined.length,
    running: lease !== null,
  };
}

/** Every quarantined ODS record, by code. */
export async function listQuarantine(store: Store): Promise<QuarantineEntry[]> {
  const out: QuarantineEntry[] = [];
  for await (const e of store.kv.list<QuarantineEntry>({ prefix: keys.quarantinePrefix })) {
    out.push(e.value);
  }
  return out;
}

/** One run record, or `null`. */
export async function loadRun(store: Store, id: string): Promise<RunRecord | null> {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) return null;
  return (await store.kv.get<RunRecord>(keys.runKey(id))).value;
}

/** The name of a record, if it has one and is stored. */
export function nameOf(data: Dataset, kind: Kind | null, code: string | null): string | null {
  if (!kind || !code) return null;
  const record = data.records[kind].get(code) as { name?: unknown } | undefined;
  return typeof record?.name === "string" ? record.name : null;
}

/** Review items filtered by status (`open`, `done` or `all`) and reason (empty: any). */
export function filterReview(
  items: readonly ReviewItem[],
  status: string,
  reason: string,
): ReviewItem[] {
  return items.filter((i) =>
    (status === "all" || i.status === status) && (!reason || i.reason === reason)
  );
}
