/**
 * `SYNC_LEASE_TTL_MS` reaches the runs the service starts (`POST /sync/run` and cron), not
 * only the CLI's. ODS is a real server that holds its first answer until the lease is read.
 */
import { ok } from "node:assert/strict";
import { createApp } from "../../api.ts";
import { registerSyncRoutes } from "../../lib/api/sync_routes.ts";
import { createOdsSource } from "../../lib/ods/source.ts";
import { leaseHolder, SYNC_LEASE } from "../../lib/sync/lease.ts";
import { registerCronJobs } from "../../lib/sync/schedule.ts";
import { type SyncWorld, syncWorld } from "./helpers.ts";

const TTL_MS = 987_000;
const ADMIN = "admin-token-0123456789";

/** An ODS that answers 503, but only once `release()` is called; `asked` resolves on the first request. */
function heldOds() {
  const asked = Promise.withResolvers<void>();
  const gate = Promise.withResolvers<void>();
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async () => {
    asked.resolve();
    await gate.promise;
    return new Response("{}", { status: 503, headers: { "content-type": "application/json" } });
  });
  return {
    origin: `http://127.0.0.1:${server.addr.port}`,
    asked: asked.promise,
    release: () => gate.resolve(),
    close: () => server.shutdown(),
  };
}

function sourceAt(w: SyncWorld, origin: string) {
  return () =>
    createOdsSource({ ...w.odsConfig("ord"), ordBaseUrl: `${origin}/ORD/2-0-0`, retries: 0 });
}

/** The lease's lifetime as it was taken. */
async function leaseTtl(w: SyncWorld): Promise<number> {
  const lease = await leaseHolder(w.store.kv, SYNC_LEASE);
  ok(lease, "a run holds the lease");
  return lease.expires_at - Date.parse(lease.acquired_at);
}

// Bug caught: POST /sync/run always took a 120 s lease whatever SYNC_LEASE_TTL_MS said.
Deno.test("POST /sync/run takes the lease for the configured TTL", async () => {
  const w = await syncWorld("2026-11-24T06:00:00Z");
  const ods = heldOds();
  try {
    const app = createApp({
      store: w.store,
      config: { apiKeys: [], adminToken: ADMIN },
      extraRoutes: (a) =>
        registerSyncRoutes(a, {
          store: w.store,
          adminToken: ADMIN,
          createSource: sourceAt(w, ods.origin),
          leaseTtlMs: TTL_MS,
        }),
    });
    const response = app.request("/sync/run?wait=true", {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    await ods.asked;
    const ttl = await leaseTtl(w);
    ods.release();
    await (await response).body?.cancel();
    ok(Math.abs(ttl - TTL_MS) < 1000, `lease of ${ttl} ms`);
  } finally {
    ods.release();
    await ods.close();
    await w.close();
  }
});

// Bug caught: cron runs always took a 120 s lease whatever SYNC_LEASE_TTL_MS said.
Deno.test("the cron jobs take the lease for the configured TTL", async () => {
  const w = await syncWorld("2026-11-24T06:00:00Z");
  const ods = heldOds();
  try {
    const jobs = new Map<string, () => Promise<void>>();
    registerCronJobs(
      { store: w.store, createSource: sourceAt(w, ods.origin), leaseTtlMs: TTL_MS },
      (name, _schedule, handler) => jobs.set(name, handler),
    );
    const daily = jobs.get("ods-sync-daily")!();
    await ods.asked;
    const ttl = await leaseTtl(w);
    ods.release();
    await daily;
    ok(Math.abs(ttl - TTL_MS) < 1000, `lease of ${ttl} ms`);
  } finally {
    ods.release();
    await ods.close();
    await w.close();
  }
});
