/**
 * The API over real HTTP (`Deno.serve` + `fetch`) on a KV file: ETags and 304, cache
 * invalidation after writes (also seen by a second instance sharing the KV), API keys, CORS,
 * request logs, `/health` and the JSON 500.
 */
import { deepEqual, equal, match, notEqual, ok, rejects } from "node:assert/strict";
import * as keys from "../../lib/keys.ts";
import { type Snapshot, SnapshotCache } from "../../lib/api/snapshot.ts";
import { Store } from "../../lib/store.ts";
import { nextTurn } from "../../lib/api/turns.ts";
import { INITIAL_SYNC_STATE, type SyncState } from "../../lib/sync/state.ts";
import { organisationRecord } from "../fixtures.ts";
import {
  appFor,
  captureLogs,
  patch,
  put,
  seededStore,
  serve,
  tempStore,
  writeFixture,
} from "./helpers.ts";

const logs = captureLogs();

const KEY = "test-api-key-0123456789";
const OTHER = "test-api-key-9876543210";
const ADMIN = "test-admin-token-0123456789";

Deno.test("HTTP: ETags, 304 and cache invalidation", async (t) => {
  const kv = await tempStore();
  await writeFixture(kv.store);
  // Two instances sharing one KV file; each trusts a data version for 50 ms at most.
  const MAX_AGE = 50;
  const served = serve(appFor(kv.store, [], null, MAX_AGE));
  const second = await Store.open(kv.path);
  const otherInstance = serve(appFor(second, [], null, MAX_AGE));
  const settle = () => new Promise((r) => setTimeout(r, MAX_AGE + 10));
  const get = (path: string, headers: HeadersInit = {}, base = served.url) =>
    fetch(`${base}${path}`, { headers });
  try {
    await t.step("every GET answer carries a strong ETag", async () => {
      for (
        const path of [
          "/organisations/",
          "/organisations/RGT01/",
          "/organisations/?ods_code=RGT01",
          "/organisations/RGT01/history/",
          "/paediatric_diabetes_units/sibling-organisations/RGT01/",
          "/health",
          "/schema/",
          "/docs",
          "/docs/init.js",
        ]
      ) {
        const res = await get(path);
        await res.body?.cancel();
        equal(res.status, 200, path);
        const tag = res.headers.get("etag");
        ok(tag && /^"[^"]+"$/.test(tag), `${path}: ${tag}`);
      }
    });

    await t.step("If-None-Match gives 304 with no body; other queries other tags", async () => {
      const first = await get("/organisations/");
      const tag = first.headers.get("etag")!;
      const body = await first.text();
      const again = await get("/organisations/", { "If-None-Match": tag });
      equal(again.status, 304);
      equal(await again.text(), "");
      equal(again.headers.get("etag"), tag);
      for (const header of [`"x", ${tag}`, `W/${tag}`, "*"]) {
        const res = await get("/organisations", { "If-None-Match": header });
        equal(res.status, 304, header);
        await res.body?.cancel();
      }
      const stale = await get("/organisations/", { "If-None-Match": '"r1.0.0"' });
      equal(stale.status, 200);
      equal(await stale.text(), body);
      const filtered = await get("/organisations/?ods_code=RGT01");
      notEqual(filtered.headers.get("etag"), tag);
      await filtered.body?.cancel();
      const projected = await get("/organisations/RGT01/?fields=name");
      const detail = await get("/organisations/RGT01/");
      notEqual(projected.headers.get("etag"), detail.headers.get("etag"));
      await projected.body?.cancel();
      await detail.body?.cancel();
      const schema = await get("/schema/");
      await schema.body?.cancel();
      const schema304 = await get("/schema/", { "If-None-Match": schema.headers.get("etag")! });
      equal(schema304.status, 304);
      await schema304.body?.cancel();
    });

    await t.step("a write changes the ETag and the content, on every instance", async () => {
      const before = await get("/organisations/RGT01/");
      const tag = before.headers.get("etag")!;
      equal(((await before.json()) as { name: string }).name, "ADDENBROOKE'S HOSPITAL");
      const onOther = await get("/organisations/RGT01/", {}, otherInstance.url);
      equal(onOther.headers.get("etag"), tag);
      await onOther.body?.cancel();

      await patch(kv.store, "organisation", "RGT01", { name: "ADDENBROOKE'S HOSPITAL (NEW)" });
      // The writing instance sees its own write at once.
      const own = await get("/organisations/RGT01/");
      notEqual(own.headers.get("etag"), tag);
      await own.body?.cancel();
      // Other instances within the cache's max age.
      await settle();

      for (const base of [served.url, otherInstance.url]) {
        const after = await get("/organisations/RGT01/", { "If-None-Match": tag }, base);
        equal(after.status, 200, base);
        notEqual(after.headers.get("etag"), tag);
        equal(((await after.json()) as { name: string }).name, "ADDENBROOKE'S HOSPITAL (NEW)");
        const list = await get("/organisations/limited/", {}, base);
        deepEqual(await list.json(), [{ ods_code: "RGT01", name: "ADDENBROOKE'S HOSPITAL (NEW)" }]);
        const trust = await get("/trusts/RGT/", {}, base);
        deepEqual(((await trust.json()) as { organisations: unknown }).organisations, [
          { ods_code: "RGT01", name: "ADDENBROOKE'S HOSPITAL (NEW)" },
        ]);
      }
      // A write through the second instance's store is seen by the first.
      await patch(second, "trust", "RGT", { telephone: "01223 111111" });
      await settle();
      const org = await get("/organisations/RGT01/");
      equal(
        ((await org.json()) as { trust: { telephone: string } }).trust.telephone,
        "01223 111111",
      );
    });

    await t.step("malformed and huge paths over HTTP are JSON 4xx answers", async () => {
      for (const path of ["/organisations/%E0%A4%A/", `/organisations/${"9".repeat(4000)}/`]) {
        const res = await get(path);
        equal(res.status, 400, path.slice(0, 40));
        equal(((await res.json()) as { error: string }).error, "malformed code");
      }
    });

    await t.step("HEAD answers like GET without a body", async () => {
      const res = await fetch(`${served.url}/trusts/RGT/`, { method: "HEAD" });
      equal(res.status, 200);
      ok(res.headers.get("etag"));
      equal(await res.text(), "");
    });

    await t.step("CORS for GET", async () => {
      const res = await get("/organisations/", { Origin: "https://audit.example" });
      equal(res.headers.get("access-control-allow-origin"), "*");
      match(res.headers.get("access-control-expose-headers") ?? "", /ETag/i);
      await res.body?.cancel();
      const pre = await fetch(`${served.url}/organisations/`, {
        method: "OPTIONS",
        headers: {
          Origin: "https://audit.example",
          "Access-Control-Request-Method": "GET",
          "Access-Control-Request-Headers": "ocp-apim-subscription-key",
        },
      });
      equal(pre.status, 204);
      match(pre.headers.get("access-control-allow-headers") ?? "", /Ocp-Apim-Subscription-Key/i);
      await pre.body?.cancel();
    });

    await t.step("one request log line per request, without query values", async () => {
      logs.length = 0;
      const res = await get("/organisations/?name=SECRET-VALUE");
      await res.body?.cancel();
      const line = logs.map((l) => JSON.parse(l)).find((l) => l.msg === "request");
      ok(line, "a request line");
      equal(line.method, "GET");
      equal(line.path, "/organisations/");
      equal(line.status, 200);
      equal(typeof line.ms, "number");
      ok(!logs.join("\n").includes("SECRET-VALUE"));
    });
  } finally {
    await served.close();
    await otherInstance.close();
    second.close();
    await kv.close();
  }
});

Deno.test("HTTP: API keys", async (t) => {
  const kv = await tempStore();
  await writeFixture(kv.store);
  const served = serve(appFor(kv.store, [KEY, OTHER], ADMIN));
  const get = (path: string, headers: HeadersInit = {}) =>
    fetch(`${served.url}${path}`, { headers });
  try {
    await t.step("no key, a wrong key or a bad header is a 401 JSON error", async () => {
      // DRF's two messages: nothing usable sent, or a key that is wrong.
      const missing = "Authentication credentials were not provided.";
      const wrong = "Incorrect authentication credentials.";
      const cases: [Record<string, string>, string][] = [
        [{}, missing],
        [{ "Ocp-Apim-Subscription-Key": "wrong" }, wrong],
        [{ "Ocp-Apim-Subscription-Key": KEY.replace(/.$/, "X") }, wrong],
        [{ Authorization: `Basic ${btoa(`user:${KEY}`)}` }, missing],
        [{ Authorization: `Bearer ${KEY}x` }, wrong],
        [{ Authorization: "Bearer" }, missing],
      ];
      for (const [headers, detail] of cases) {
        const res = await get("/organisations/RGT01/", headers);
        equal(res.status, 401, JSON.stringify(headers));
        const body = await res.json();
        deepEqual(Object.keys(body), ["detail", "error", "explanation"]);
        equal(body.detail, detail, JSON.stringify(headers));
        ok(res.headers.get("www-authenticate"));
      }
      const unknown = await get("/nope/");
      equal(unknown.status, 401);
      await unknown.body?.cancel();
    });

    await t.step("either header with a configured key is accepted", async () => {
      const cases: Record<string, string>[] = [
        { "Ocp-Apim-Subscription-Key": KEY },
        { "Ocp-Apim-Subscription-Key": OTHER },
        { Authorization: `Bearer ${KEY}` },
        { Authorization: `bearer ${OTHER}` },
      ];
      for (const headers of cases) {
        const res = await get("/organisations/RGT01/", headers);
        equal(res.status, 200, JSON.stringify(headers));
        await res.body?.cancel();
      }
    });

    await t.step("the admin token is no read key (separate roles)", async () => {
      const admin: Record<string, string>[] = [
        { Authorization: `Bearer ${ADMIN}` },
        { "Ocp-Apim-Subscription-Key": ADMIN },
      ];
      for (const headers of admin) {
        const res = await get("/organisations/RGT01/", headers);
        equal(res.status, 401, JSON.stringify(headers));
        await res.body?.cancel();
      }
    });

    await t.step("health, schema and docs need no key", async () => {
      for (
        const path of [
          "/health",
          "/health/",
          "/schema",
          "/schema/",
          "/docs",
          "/docs/",
          "/docs/init.js",
        ]
      ) {
        const res = await get(path);
        equal(res.status, 200, path);
        await res.body?.cancel();
      }
      const doc = await (await get("/schema/")).json() as {
        components: { securitySchemes: Record<string, { name?: string }> };
      };
      equal(doc.components.securitySchemes.subscriptionKey.name, "Ocp-Apim-Subscription-Key");
    });

    await t.step("keys never appear in logs", () => {
      const all = logs.join("\n");
      for (const secret of [KEY, OTHER, ADMIN]) ok(!all.includes(secret));
    });
  } finally {
    await served.close();
    await kv.close();
  }
});

Deno.test("HTTP: /health", async (t) => {
  const kv = await tempStore();
  await writeFixture(kv.store);
  const served = serve(appFor(kv.store));
  const health = async () => {
    const res = await fetch(`${served.url}/health`);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  try {
    await t.step("ok before any sync", async () => {
      const { status, body } = await health();
      equal(status, 200);
      equal(body.status, "ok");
      equal(body.sync, null);
      equal(body.data_version, await kv.store.dataVersion());
    });
    await t.step("degraded when the sync is in alert or its last run failed", async () => {
      const state = (s: Partial<SyncState>) =>
        kv.store.kv.set(keys.syncStateKey, { ...INITIAL_SYNC_STATE, ...s });
      await state({ last_outcome: "success" });
      equal((await health()).body.status, "ok");
      await state({ mode: "alert", alert: "no data for 3 working days" });
      equal((await health()).body.status, "degraded");
      await state({ mode: "bau", last_outcome: "failed" });
      const { status, body } = await health();
      equal(status, 200);
      equal(body.status, "degraded");
      equal((body.sync as SyncState).last_outcome, "failed");
    });
  } finally {
    await served.close();
    await kv.close();
  }
});

Deno.test("HTTP: KV unreachable gives 503 on /health and a bare JSON 500 elsewhere", async () => {
  const kv = await tempStore();
  await writeFixture(kv.store);
  const app = appFor(kv.store);
  const served = serve(app);
  try {
    kv.store.close();
    const health = await fetch(`${served.url}/health`);
    equal(health.status, 503);
    deepEqual(Object.keys(await health.json()), ["detail", "error", "explanation"]);
    const res = await fetch(`${served.url}/organisations/`);
    equal(res.status, 500);
    deepEqual(await res.json(), {
      detail: "A server error occurred.",
      error: "internal server error",
    });
  } finally {
    await served.close();
    await Deno.remove(kv.path.replace(/\/kv\.sqlite$/, ""), { recursive: true });
  }
});

Deno.test("snapshot cache: built once per data version", async () => {
  const kv = await tempStore();
  try {
    await writeFixture(kv.store);
    const cache = new SnapshotCache(kv.store);
    const [a, b] = await Promise.all([cache.current(), cache.current()]);
    equal(a, b);
    equal(await cache.current(), a);
    equal(cache.builds, 1);
    equal(a.view("organisations_limited"), a.view("organisations_limited"));
    await patch(kv.store, "organisation", "RGT01", { city: "CAMBS" });
    const c = await cache.current();
    notEqual(c, a);
    notEqual(c.version, a.version);
    equal(cache.builds, 2);
    match(c.view("organisations").json, /"city":"CAMBS"/);
  } finally {
    await kv.close();
  }
});

Deno.test("snapshot: a view built in slices lets other turns in and equals the one built at once", async () => {
  const kv = await seededStore();
  try {
    const snap = await new SnapshotCache(kv.store).current();
    const sliced = snap.buildInSlices("organisations", 0);
    await nextTurn();
    ok(!snap.builtViews.includes("organisations"), "still building after a turn");
    await sliced;
    const atOnce = await new SnapshotCache(kv.store).current();
    equal(snap.view("organisations").json, atOnce.view("organisations").json);
    ok(snap.view("organisations").rows.length > 1);
  } finally {
    await kv.close();
  }
});

Deno.test("snapshot cache: trusts a version for maxAgeMs, except after its own process's writes", async () => {
  const kv = await tempStore();
  const other = await Store.open(kv.path);
  try {
    await writeFixture(kv.store);
    const cache = new SnapshotCache(kv.store, { maxAgeMs: 60_000 });
    const first = await cache.current();
    // Another process's write: not seen until the version is read again.
    await patch(other, "organisation", "RGT01", { city: "ELSEWHERE" });
    equal(await cache.current(), first);
    // A write through this process's store: seen at once.
    await patch(kv.store, "organisation", "RGT01", { county: "CAMBS" });
    const next = await cache.current();
    notEqual(next, first);
    match(next.view("organisations").json, /"city":"ELSEWHERE"/);
    match(next.view("organisations").json, /"county":"CAMBS"/);
    // With maxAgeMs 0 every call reads the version.
    const eager = new SnapshotCache(kv.store, { maxAgeMs: 0 });
    await eager.current();
    await patch(other, "organisation", "RGT01", { city: "THIRD PLACE" });
    match((await eager.current()).view("organisations").json, /"city":"THIRD PLACE"/);
  } finally {
    other.close();
    await kv.close();
  }
});

Deno.test("snapshot cache: while a newer snapshot is built, requests get the previous one", async () => {
  const kv = await tempStore();
  try {
    await writeFixture(kv.store);
    const during: Promise<Snapshot>[] = [];
    const cache = new SnapshotCache(kv.store, {
      maxAgeMs: 60_000,
      onBuild: () => during.push(cache.current()),
    });
    const first = await cache.current();
    await patch(kv.store, "organisation", "RGT01", { city: "CAMBS" });
    const next = await cache.current(); // finds no build under way: starts one and waits for it
    equal(during.length, 2);
    equal(await during[1], first, "a request during the build got the previous snapshot");
    match(next.view("organisations").json, /"city":"CAMBS"/);
    equal(await cache.current(), next);
  } finally {
    await kv.close();
  }
});

Deno.test("snapshot cache: within the rebuild interval a commit is served from the last build", async () => {
  const kv = await tempStore();
  try {
    await writeFixture(kv.store);
    const cache = new SnapshotCache(kv.store, {
      maxAgeMs: 60_000,
      minRebuildIntervalMs: 60_000,
    });
    const first = await cache.current();
    await patch(kv.store, "organisation", "RGT01", { city: "CAMBS" });
    equal(await cache.current(), first, "answered from the last build");
    equal(cache.builds, 1, "no build yet: one is scheduled for the end of the interval");
    cache.close();
  } finally {
    await kv.close();
  }
});

Deno.test("snapshot cache: under steady requests the version is confirmed ahead of time, never waited for", async () => {
  const kv = await tempStore();
  const other = await Store.open(kv.path);
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  try {
    await writeFixture(kv.store);
    const cache = new SnapshotCache(kv.store, { maxAgeMs: 1000 });
    const first = await cache.current();
    await sleep(600); // past half its age: answered at once, a version read starts behind it
    equal(cache.peek(), first);
    await sleep(600); // 1.2 s after the first read, but 0.6 s after the one made ahead
    equal(cache.peek(), first, "confirmed again in the background");
    // Another process writes: the next read ahead (or, at the latest, after maxAgeMs) finds it.
    await patch(other, "organisation", "RGT01", { city: "ELSEWHERE" });
    await sleep(1500);
    equal(cache.peek(), null, "without requests the confirmation lapses");
    match((await cache.current()).view("organisations").json, /"city":"ELSEWHERE"/);
  } finally {
    other.close();
    await kv.close();
  }
});

Deno.test("HTTP: /health turns degraded, naming why, while writes to the store fail", async () => {
  const kv = await tempStore();
  const app = appFor(kv.store);
  try {
    equal((await (await app.request("/health")).json()).status, "ok");
    // A real write failure: a record over KV's 64 KiB value limit.
    const huge = { ...organisationRecord("RGT01"), name: "X".repeat(70_000) };
    await rejects(() => put(kv.store, "organisation", "RGT01", huge));
    const degraded = await (await app.request("/health")).json();
    equal(degraded.status, "degraded");
    ok(String(degraded.write_error).length > 0, JSON.stringify(degraded));
    // The next write that succeeds clears it.
    await put(kv.store, "organisation", "RGT01", organisationRecord("RGT01"));
    const again = await (await app.request("/health")).json();
    equal(again.status, "ok");
    equal(again.write_error, null);
  } finally {
    await kv.close();
  }
});
