/**
 * The sync's HTTP routes: read-only `/sync/status`, `/sync/runs`, `/sync/runs/{id}`,
 * `/sync/review`, and `POST /sync/run` (requires `ADMIN_TOKEN`). The sync itself only exposes
 * functions (`lib/sync/run.ts`, `lib/sync/history.ts`); this module wires them to HTTP.
 *
 * @module
 */
import type { Hono } from "hono";
import * as keys from "../keys.ts";
import { log } from "../log.ts";
import type { PostcodeResolver } from "../ods/postcode_cache.ts";
import type { OdsSource } from "../ods/source.ts";
import type { Store } from "../store.ts";
import { listReview, listRuns, runRows, syncSummary } from "../sync/history.ts";
import { acquireLease, DEFAULT_SYNC_LEASE_TTL_MS, type Lease, SYNC_LEASE } from "../sync/lease.ts";
import { type RunRecord, runSync } from "../sync/run.ts";
import { adminAuth } from "./auth.ts";

/** What the sync routes need. */
export interface SyncRouteDeps {
  store: Store;
  adminToken: string | null;
  /** A fresh source per run. */
  createSource: () => OdsSource;
  /** The lease TTL of runs started by `POST /sync/run` (`SYNC_LEASE_TTL_MS`); default 120 s. */
  leaseTtlMs?: number;
  /** ODS's daily publication time (`ODS_PUBLICATION_TIME`); default 03:00. */
  publicationTime?: string;
  /** Sync GP practices too (`SYNC_GP_PRACTICES`); default false. */
  gpPractices?: boolean;
  /** A postcode look-up per run for the local authority step; none: the step is skipped. */
  createPostcodes?: () => Pick<PostcodeResolver, "resolve"> | null;
  /** The step's look-ups per run (`SYNC_POSTCODE_LOOKUPS`); default 1000. */
  postcodeLookups?: number;
}

/** A run started by `POST /sync/run`, under the lease its handler took. */
function startRun(deps: SyncRouteDeps, lease: Lease, full: boolean) {
  return runSync({
    store: deps.store,
    source: deps.createSource(),
    request: full ? "full" : "auto",
    trigger: "api",
    leaseTtlMs: deps.leaseTtlMs,
    lease,
    publicationTime: deps.publicationTime,
    gpPractices: deps.gpPractices,
    postcodes: deps.createPostcodes?.() ?? null,
    postcodeLookups: deps.postcodeLookups,
  });
}

/**
 * Add the sync routes to `app`.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { createOdsSource } from "../ods/source.ts";
 * import { loadConfig } from "../config.ts";
 * import { Store } from "../store.ts";
 * import { registerSyncRoutes } from "./sync_routes.ts";
 *
 * const config = loadConfig({ KV_PATH: ":memory:" });
 * const store = await Store.open(":memory:");
 * const app = new Hono();
 * registerSyncRoutes(app, {
 *   store,
 *   adminToken: null,
 *   createSource: () => createOdsSource(config.ods),
 *   leaseTtlMs: config.syncLeaseTtlMs,
 * });
 * (await app.request("/sync/status")).status; // 200
 * store.close();
 * ```
 */
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
      pdus_without_organisation: summary.unitsWithoutOrganisation,
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
    // Take the lease before answering, so of two simultaneous requests (on two instances
    // sharing the store) exactly one is accepted and the other gets its 409.
    const lease = await acquireLease(
      store.kv,
      SYNC_LEASE,
      deps.leaseTtlMs ?? DEFAULT_SYNC_LEASE_TTL_MS,
    );
    if (!lease) {
      return c.json({ error: "conflict", detail: "a sync run is already in progress" }, 409);
    }
    const full = c.req.query("full") === "true";
    const wait = c.req.query("wait") === "true";
    const running = startRun(deps, lease, full);
    if (wait) {
      const result = await running;
      return c.json(result.run, result.run.outcome === "failed" ? 502 : 200);
    }
    running.catch((err) => log("error", "sync run crashed", { error: String(err) }));
    return c.json({ status: "started" }, 202);
  });
}
