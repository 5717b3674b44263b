/**
 * `/health`: is KV reachable (a real read), and how did the last sync go. Needs no API key.
 *
 * - `200 {"status": "ok"}`, or `"degraded"` when the sync is in alert mode or its last run
 *   failed (the data is served, but may be going stale);
 * - `503` with an error body when KV cannot be read.
 *
 * @module
 */
import type { Hono } from "hono";
import type { AnswerStats } from "./answers.ts";
import * as keys from "../keys.ts";
import { log } from "../log.ts";
import type { Store } from "../store.ts";
import type { SyncState } from "../sync/state.ts";
import { DRF_DETAIL, errorBody } from "./errors.ts";

/** The body of a healthy (or degraded) answer. */
export interface Health {
  status: "ok" | "degraded";
  checked_at: string;
  /** Why the last write to the store failed, while no later write has succeeded. */
  write_error: string | null;
  data_version: string;
  sync:
    | Pick<
      SyncState,
      "mode" | "cursor" | "alert" | "last_run_at" | "last_outcome" | "last_success_at"
    >
    | null;
  /** The prepared answers of queried routes: counts and bytes (see answers.ts). */
  answer_cache?: AnswerStats;
}

/** Is the service degraded, given the stored sync state? */
export function isDegraded(state: Pick<SyncState, "mode" | "last_outcome"> | null): boolean {
  return state !== null && (state.mode === "alert" || state.last_outcome === "failed");
}

/** Read the health of the store. Throws when KV cannot be read. */
export async function readHealth(store: Store, now: () => Date): Promise<Health> {
  const [state, version] = await store.kv.getMany<[SyncState, unknown]>([
    keys.syncStateKey,
    keys.dataVersionKey,
  ]);
  const s = state.value;
  const failure = store.writeFailure;
  return {
    status: isDegraded(s) || failure ? "degraded" : "ok",
    checked_at: now().toISOString(),
    write_error: failure ? `${failure.problem} (at ${failure.at})` : null,
    data_version: version.versionstamp ?? "0",
    sync: s
      ? {
        mode: s.mode,
        cursor: s.cursor,
        alert: s.alert,
        last_run_at: s.last_run_at,
        last_outcome: s.last_outcome,
        last_success_at: s.last_success_at,
      }
      : null,
  };
}

/** Add `GET /health` to `app`; `answers` gives the answer cache's counts. */
export function registerHealth(
  app: Hono,
  store: Store,
  now: () => Date,
  answers?: () => AnswerStats,
): void {
  app.get("/health", async (c) => {
    c.header("Cache-Control", "no-store");
    try {
      const health = await readHealth(store, now);
      if (answers) health.answer_cache = answers();
      return c.json(health);
    } catch (err) {
      log("error", "health: KV unreachable", { error: err instanceof Error ? err.name : "error" });
      return c.json(
        errorBody(DRF_DETAIL[503], "service unavailable", {
          explanation: "the KV store cannot be read",
        }),
        503,
      );
    }
  });
}
