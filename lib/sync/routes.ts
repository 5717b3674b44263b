/**
 * Sync routes: read-only `/sync/status`, `/sync/runs`, `/sync/runs/{id}`, `/sync/review`, and
 * `POST /sync/run` (requires `ADMIN_TOKEN`).
 *
 * @module
 */
import type { Hono } from "hono";
import { adminAuth } from "../api/auth.ts";
import * as keys from "../keys.ts";
import { log } from "../log.ts";
import type { OdsSource } from "../ods/source.ts";
import type { Store } from "../store.ts";
import { leaseHolder } from "./lease.ts";
import type { ReviewItem } from "./review.ts";
import type { DiffRow } from "./report.ts";
import { type QuarantineEntry, readSyncState, type RunRecord, runSync, SYNC_LEASE } from "./run.ts";
import type { SyncState } from "./state.ts";
import { MAX_EMPTY_WORKING_DAYS } from "./defensive.ts";

/** What the sync routes need. */
export interface SyncRouteDeps {
  store: Store;
  adminToken: string | null;
  createSource: () => OdsSource;
}

/** The most recent runs, newest first. */
export async function listRuns(store: Store, limit = 50): Promise<RunRecord[]> {
  const out: RunRecord[] = [];
  for await (
    const e of store.kv.list<RunRecord>({ prefix: keys.runPrefix }, { reverse: true, limit })
  ) out.push(e.value);
  return out;
}

/** One run's diff rows. */
export async function runRows(store: Store, runId: string): Promise<DiffRow[]> {
  const out: DiffRow[] = [];
  for await (const e of store.kv.list<DiffRow[]>({ prefix: keys.runReportPrefix(runId) })) {
    out.push(...e.value);
  }
  return out;
}

/** The review list, newest first. */
export async function listReview(store: Store): Promise<ReviewItem[]> {
  const out: ReviewItem[] = [];
  for await (
    const e of store.kv.list<ReviewItem>({ prefix: keys.reviewPrefix }, { reverse: true })
  ) {
    out.push(e.value);
  }
  return out;
}

/** Every quarantined ODS record, by code. */
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
}

/** Read the sync summary. */
export async function syncSummary(store: Store): Promise<SyncSummary> {
  const [state, runs, review, quarantined, lease] = await Promise.all([
    readSyncState(store),
    listRuns(store, 1),
    listReview(store),
    listQuarantine(store),
    leaseHolder(store.kv, SYNC_LEASE),
  ]);
  return {
    state,
    modeDescription: describeMode(state),
    lastRun: runs[0] ?? null,
    reviewOpen: review.filter((i) => i.status === "open").length,
    quarantined: quarantined.length,
    running: lease !== null,
  };
}

/** A human description of the defensive algorithm state. */
export function describeMode(state: SyncState): string {
  if (state.mode === "alert") return "alert";
  if (state.mode === "requery") {
    return `re-querying day ${state.empty_days.length} of ${MAX_EMPTY_WORKING_DAYS}`;
  }
  return "business as usual";
}

/** Add the sync routes to `app`. */
export function registerSyncRoutes(app: Hono, deps: SyncRouteDeps): void {
  const { store } = deps;
  const notFound = (detail: string) => ({ error: "not found", detail });

  app.get("/sync/status", async (c) => {
    const { state, ...summary } = await syncSummary(store);
    return c.json({
      cursor: state.cursor,
      mode: state.mode,
      mode_description: summary.modeDescription,
      empty_days: state.empty_days,
      alert: state.alert,
      last_run: summary.lastRun,
      last_success_at: state.last_success_at,
      running: summary.running,
      review_open: summary.reviewOpen,
      quarantined: summary.quarantined,
    });
  });

  app.get("/sync/runs", async (c) => {
    const limit = Number(c.req.query("limit") ?? "50");
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      return c.json({ error: "bad request", detail: "limit must be a whole number 1-1000" }, 400);
    }
    return c.json(await listRuns(store, limit));
  });

  app.get("/sync/runs/:id", async (c) => {
    const id = c.req.param("id");
    // Run ids are short; a huge one would exceed KV's key size limit (a 500), so it is just
    // not found (and not echoed).
    if (id.length > 64) return c.json(notFound("no such run"), 404);
    const run = (await store.kv.get<RunRecord>(keys.runKey(id))).value;
    if (!run) return c.json(notFound(`no run ${id}`), 404);
    return c.json({ ...run, changes: await runRows(store, id) });
  });

  app.get("/sync/review", async (c) => {
    const status = c.req.query("status");
    if (status && status !== "open" && status !== "done") {
      return c.json({ error: "bad request", detail: "status must be open or done" }, 400);
    }
    const items = await listReview(store);
    return c.json(status ? items.filter((i) => i.status === status) : items);
  });

  app.post("/sync/run", adminAuth(deps.adminToken), async (c) => {
    if (await leaseHolder(store.kv, SYNC_LEASE)) {
      return c.json({ error: "conflict", detail: "a sync run is already in progress" }, 409);
    }
    const full = c.req.query("full") === "true";
    const wait = c.req.query("wait") === "true";
    const running = runSync({
      store,
      source: deps.createSource(),
      request: full ? "full" : "auto",
      trigger: "api",
    });
    if (wait) {
      const result = await running;
      return c.json(result.run, result.run.outcome === "failed" ? 502 : 200);
    }
    running.catch((err) => log("error", "sync run crashed", { error: String(err) }));
    return c.json({ status: "started" }, 202);
  });
}
