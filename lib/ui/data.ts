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
import type { ReviewItem } from "../sync/review.ts";
import { type SyncSummary, syncSummary } from "../sync/history.ts";
import type { RunRecord } from "../sync/run.ts";

/** Everything the status page shows: record counts and the sync summary. */
export interface StatusData extends SyncSummary {
  counts: Record<Kind, number>;
  /** Organisations that are active in ODS (or curated and active). */
  activeOrganisations: number;
}

/** Read the status summary. */
export async function loadStatus(store: Store): Promise<StatusData> {
  const [counts, active, summary] = await Promise.all([
    store.counts(),
    store.codesBy("organisation", "active", true),
    syncSummary(store),
  ]);
  return { counts, activeOrganisations: active.length, ...summary };
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
