/**
 * `/organisations/within_radius/?lat=&long=&radius=` over the real reference seed in a KV file:
 * nearest first with haversine distances computed here from the seeded coordinates, the radius
 * cut-off, the item shape, the 400s, and that the detail route doesn't take `within_radius`.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { createApp } from "../../api.ts";
import type { Organisation } from "../../lib/model.ts";
import { captureLogs, getJson, seededStore, type TempStore } from "./helpers.ts";

captureLogs();

const kv: TempStore = await seededStore();
globalThis.addEventListener("unload", () => {
  kv.store.close();
  Deno.removeSync(kv.path.replace(/\/[^/]+$/, ""), { recursive: true });
});
const app = createApp({ store: kv.store, config: { apiKeys: [], adminToken: null } });
const orgs = await kv.store.list("organisation");
const byCode = new Map(orgs.map((o) => [o.ods_code, o]));
const RGT01 = byCode.get("RGT01")!;

/** The test's own great-circle distance (haversine, mean Earth radius 6,371,008.8 m). */
function metres(a: Organisation, lat: number, long: number): number {
  const r = Math.PI / 180;
  const h = Math.sin((a.latitude! - lat) * r / 2) ** 2 +
    Math.cos(lat * r) * Math.cos(a.latitude! * r) * Math.sin((a.longitude! - long) * r / 2) ** 2;
  return Math.round(2 * 6_371_008.8 * Math.asin(Math.sqrt(h)));
}

type Item = Record<string, unknown> & { ods_code: string; distance_m: number };

async function around(query: string): Promise<Item[]> {
  const { status, body } = await getJson(app, `/organisations/within_radius/?${query}`);
  equal(status, 200, JSON.stringify(body));
  return body as Item[];
}

const at = `lat=${RGT01.latitude}&long=${RGT01.longitude}`;

Deno.test("nearest first, each distance the haversine distance from the seeded coordinates", async () => {
  const items = await around(`${at}&radius=30000`);
  const expected = orgs
    .map((o) => ({ code: o.ods_code, d: metres(o, RGT01.latitude!, RGT01.longitude!) }))
    .filter((x) => x.d <= 30_000)
    .sort((a, b) => a.d - b.d || (a.code < b.code ? -1 : 1));
  ok(expected.length >= 3, "RGT01 has neighbours in the seed");
  deepEqual(items.map((i) => [i.ods_code, i.distance_m]), expected.map((x) => [x.code, x.d]));
  equal(items[0].ods_code, "RGT01");
  equal(items[0].distance_m, 0);
  const second = byCode.get(items[1].ods_code)!;
  equal(items[1].distance_m, metres(second, RGT01.latitude!, RGT01.longitude!));
});

Deno.test("the radius cuts off: an organisation just beyond it is left out", async () => {
  const items = await around(`${at}&radius=30000`);
  const last = items[items.length - 1];
  const inside = await around(`${at}&radius=${last.distance_m + 1}`);
  const outside = await around(`${at}&radius=${last.distance_m - 1}`);
  ok(inside.some((i) => i.ods_code === last.ods_code));
  ok(!outside.some((i) => i.ods_code === last.ods_code));
  ok(outside.every((i) => i.distance_m <= last.distance_m - 1));
});

Deno.test("each item is the /organisations/{ods_code}/ item plus distance_m", async () => {
  const [first] = await around(`${at}&radius=10`);
  const detail = await getJson(app, "/organisations/RGT01/");
  deepEqual(first, { ...(detail.body as object), distance_m: 0 });
  deepEqual(Object.keys(first).slice(-1), ["distance_m"]);
});

Deno.test("a point far from every organisation gets an empty list", async () => {
  deepEqual(await around("lat=0&long=-30&radius=1000000"), []);
});

Deno.test("missing, non-numeric or out-of-range values are a 400 naming each", async () => {
  const cases: [string, string[]][] = [
    ["", ["lat", "long", "radius"]],
    ["lat=52&long=0", ["radius"]],
    ["lat=abc&long=0&radius=10", ["lat"]],
    ["lat=90.5&long=0&radius=10", ["lat"]],
    ["lat=-91&long=0&radius=10", ["lat"]],
    ["lat=52&long=180.1&radius=10", ["long"]],
    ["lat=52&long=-181&radius=10", ["long"]],
    ["lat=52&long=0&radius=0", ["radius"]],
    ["lat=52&long=0&radius=-5", ["radius"]],
    ["lat=52&long=0&radius=1000001", ["radius"]],
    ["lat=0x10&long=Infinity&radius=1e9", ["lat", "long", "radius"]],
  ];
  for (const [query, names] of cases) {
    const { status, body } = await getJson(app, `/organisations/within_radius/?${query}`);
    equal(status, 400, query);
    const b = body as Record<string, unknown>;
    equal(b.error, "invalid query", query);
    deepEqual(Object.keys(b).filter((k) => k !== "detail" && k !== "error"), names, query);
  }
});

Deno.test("the extremes of each range are accepted", async () => {
  for (const query of ["lat=90&long=180&radius=1000000", "lat=-90&long=-180&radius=0.5"]) {
    equal((await getJson(app, `/organisations/within_radius/?${query}`)).status, 200, query);
  }
});

Deno.test("within_radius is not taken for an ODS code, with or without the fast path", async () => {
  const slow = createApp({
    store: kv.store,
    config: { apiKeys: [], adminToken: null },
    fastPath: false,
  });
  for (const a of [app, slow]) {
    const bare = await getJson(a, "/organisations/within_radius/");
    equal((bare.body as Record<string, unknown>).error, "invalid query");
    const noSlash = await getJson(a, `/organisations/within_radius?${at}&radius=10`);
    equal(noSlash.status, 200);
    equal((await getJson(a, "/organisations/RGT01/")).status, 200);
  }
});

Deno.test("ETag and 304, with the data version", async () => {
  const first = await app.request(`/organisations/within_radius/?${at}&radius=5000`);
  await first.body?.cancel();
  const etag = first.headers.get("etag")!;
  ok(etag && first.headers.get("x-data-version"));
  const again = await app.request(`/organisations/within_radius/?${at}&radius=5000`, {
    headers: { "If-None-Match": etag },
  });
  equal(again.status, 304);
  const other = await app.request(`/organisations/within_radius/?${at}&radius=6000`);
  await other.body?.cancel();
  ok(other.headers.get("etag") !== etag);
});

Deno.test("behind the API key when keys are configured", async () => {
  const key = "radius-test-key-0123456789";
  const closed = createApp({ store: kv.store, config: { apiKeys: [key], adminToken: null } });
  const path = `/organisations/within_radius/?${at}&radius=10`;
  equal((await getJson(closed, path)).status, 401);
  const res = await getJson(closed, path, { headers: { "Ocp-Apim-Subscription-Key": key } });
  equal(res.status, 200);
});

Deno.test("/schema/ documents both geography routes", async () => {
  const { body } = await getJson(app, "/schema/");
  const paths = (body as { paths: Record<string, { get: Record<string, unknown> }> }).paths;
  const radius = paths["/organisations/within_radius/"].get;
  deepEqual((radius.parameters as { name: string }[]).map((p) => p.name), [
    "lat",
    "long",
    "radius",
  ]);
  const postcode = paths["/postcodes/{postcode}/"].get;
  deepEqual((postcode.parameters as { in: string }[]).map((p) => p.in), ["path"]);
  for (const status of ["200", "400", "404", "503"]) {
    ok((postcode.responses as Record<string, unknown>)[status], status);
  }
});
