import { deepEqual, equal, ok } from "node:assert/strict";
import { createApp } from "../../api.ts";
import { acquireLease } from "../../lib/sync/lease.ts";
import { registerSyncRoutes } from "../../lib/api/sync_routes.ts";
import { Store } from "../../lib/store.ts";
import { runSync, SYNC_LEASE } from "../../lib/sync/run.ts";
import { applyDemoChanges } from "../../testing/ods_sim/seeded.ts";
import { at, syncWorld } from "../sync/helpers.ts";

const TUESDAY = "2026-11-24T06:00:00Z";
const WEDNESDAY = "2026-11-25T06:00:00Z";
const ADMIN = "admin-token-0123456789";

Deno.test("sync routes expose status, runs, reports and the review list over HTTP", async (t) => {
  const w = await syncWorld(TUESDAY);
  const app = createApp({
    store: w.store,
    config: { apiKeys: [], adminToken: ADMIN },
    extraRoutes: (a) =>
      registerSyncRoutes(a, { store: w.store, adminToken: ADMIN, createSource: () => w.source() }),
  });
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, app.fetch);
  const base = `http://127.0.0.1:${server.addr.port}`;
  const get = async (path: string) => {
    const res = await fetch(base + path);
    return { status: res.status, body: await res.json() };
  };
  try {
    await runSync({ store: w.store, source: w.source(), now: at(TUESDAY) });
    applyDemoChanges(w.sim, w.seed, "2026-11-24");
    w.sim.clock.set(WEDNESDAY);
    const second = await runSync({ store: w.store, source: w.source(), now: at(WEDNESDAY) });

    await t.step("/sync/status reports the cursor and the algorithm state", async () => {
      const { status, body } = await get("/sync/status");
      equal(status, 200);
      equal(body.cursor, "2026-11-25");
      equal(body.mode_description, "business as usual");
      equal(body.last_run.id, second.run.id);
      ok(body.review_open > 0);
    });
    await t.step("/sync/runs lists runs newest first; one run has its diff", async () => {
      const { body } = await get("/sync/runs");
      equal(body.length, 2);
      equal(body[0].id, second.run.id);
      const one = await get(`/sync/runs/${second.run.id}`);
      equal(one.status, 200);
      ok(one.body.changes.some((c: { field: string }) => c.field === "name"));
      equal((await get("/sync/runs/nope")).status, 404);
      equal((await get("/sync/runs?limit=abc")).status, 400);
    });
    await t.step("/sync/review lists items with merge commands", async () => {
      const { body } = await get("/sync/review?status=open");
      ok(
        body.some((i: { reason: string; commands: string[] }) =>
          i.reason === "closure" && i.commands[0].startsWith("deno task merge")
        ),
      );
      equal((await get("/sync/review?status=maybe")).status, 400);
    });
    await t.step("POST /sync/run needs the admin token", async () => {
      equal((await fetch(`${base}/sync/run`, { method: "POST" }).then(drain)).status, 401);
      const wrong = await fetch(`${base}/sync/run`, {
        method: "POST",
        headers: { authorization: "Bearer wrong-token-0123456789" },
      }).then(drain);
      equal(wrong.status, 401);
    });
    await t.step("POST /sync/run refuses while another run holds the lease", async () => {
      const lease = await acquireLease(w.store.kv, SYNC_LEASE, 5_000);
      ok(lease);
      try {
        const res = await fetch(`${base}/sync/run`, {
          method: "POST",
          headers: { authorization: `Bearer ${ADMIN}` },
        }).then(drain);
        equal(res.status, 409);
      } finally {
        await lease.release();
      }
    });
    await t.step("POST /sync/run?wait=true runs a sync and returns its record", async () => {
      const res = await fetch(`${base}/sync/run?wait=true`, {
        method: "POST",
        headers: { authorization: `Bearer ${ADMIN}` },
      });
      const body = await res.json();
      ok(["success", "empty"].includes(body.outcome), body.outcome);
      equal(body.trigger, "api");
    });
    await t.step("/health turns degraded after a failed run", async () => {
      w.sim.faults.add({ path: "/ORD/2-0-0/sync", kind: "status", status: 503 });
      const failed = await runSync({ store: w.store, source: w.source(), now: at(WEDNESDAY) });
      equal(failed.run.outcome, "failed");
      const { body } = await get("/health");
      equal(body.status, "degraded");
      equal(body.sync.last_outcome, "failed");
    });
  } finally {
    await server.shutdown();
    await w.close();
  }
});

Deno.test("a second run is refused while one holds the lease, and the cursor is untouched", async () => {
  const w = await syncWorld(TUESDAY);
  try {
    const lease = await acquireLease(w.store.kv, SYNC_LEASE, 5_000);
    ok(lease);
    try {
      const r = await runSync({ store: w.store, source: w.source(), now: at(TUESDAY) });
      equal(r.run.outcome, "busy");
      equal(r.state.cursor, null);
    } finally {
      await lease.release();
    }
    const r = await runSync({ store: w.store, source: w.source(), now: at(TUESDAY) });
    equal(r.run.outcome, "success");
  } finally {
    await w.close();
  }
});

async function drain(res: Response): Promise<Response> {
  await res.body?.cancel();
  return res;
}

Deno.test("POST /sync/run is refused, never open, when no ADMIN_TOKEN is configured", async () => {
  const w = await syncWorld(TUESDAY);
  try {
    const app = createApp({
      store: w.store,
      config: { apiKeys: [], adminToken: null },
      extraRoutes: (a) =>
        registerSyncRoutes(a, { store: w.store, adminToken: null, createSource: () => w.source() }),
    });
    const res = await app.request("/sync/run", {
      method: "POST",
      headers: { authorization: "Bearer anything-at-all-0123456789" },
    });
    equal(res.status, 403);
    equal((await res.json()).error, "forbidden");
    equal(w.sim.requests.length, 0, "no sync started");
  } finally {
    await w.close();
  }
});

Deno.test("with API keys set, POST /sync/run takes the admin token and refuses a read key", async () => {
  const w = await syncWorld(TUESDAY);
  const KEY = "read-key-0123456789abc";
  try {
    const app = createApp({
      store: w.store,
      config: { apiKeys: [KEY], adminToken: ADMIN },
      extraRoutes: (a) =>
        registerSyncRoutes(a, {
          store: w.store,
          adminToken: ADMIN,
          createSource: () => w.source(),
        }),
    });
    const post = (token: string) =>
      app.request("/sync/run?wait=true", {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
      });
    const withKey = await post(KEY);
    equal(withKey.status, 401, "a read key doesn't start runs");
    await withKey.body?.cancel();
    const withToken = await post(ADMIN);
    equal((await withToken.json()).trigger, "api", "the admin token does, without an API key");
  } finally {
    await w.close();
  }
});

Deno.test("of two simultaneous POST /sync/run on two instances, one starts and one gets 409", async () => {
  const w = await syncWorld(TUESDAY);
  const second = await Store.open(w.kvPath);
  try {
    const instance = (store: Store) =>
      createApp({
        store,
        config: { apiKeys: [], adminToken: ADMIN },
        extraRoutes: (a) =>
          registerSyncRoutes(a, { store, adminToken: ADMIN, createSource: () => w.source() }),
      });
    const post = (app: ReturnType<typeof createApp>) =>
      app.request("/sync/run?wait=true", {
        method: "POST",
        headers: { authorization: `Bearer ${ADMIN}` },
      });
    const answers = await Promise.all([post(instance(w.store)), post(instance(second))]);
    const statuses = answers.map((r) => r.status).sort();
    for (const r of answers) await r.body?.cancel();
    deepEqual(statuses, [200, 409]);
  } finally {
    second.close();
    await w.close();
  }
});
