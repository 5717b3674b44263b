/**
 * `/postcodes/{postcode}/` end to end: the app over a real KV file, the FHIR `postcode`
 * CodeSystem served by the ODS simulator over HTTP, and an injected clock for the cache's
 * expiry. Expected geography comes from the simulator's postcode directory.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import type { Hono } from "hono";
import { createApp } from "../../api.ts";
import { loadConfig, type OdsConfig } from "../../lib/config.ts";
import * as keys from "../../lib/keys.ts";
import { FOUND_TTL_MS, NOT_FOUND_TTL_MS } from "../../lib/ods/postcode_cache.ts";
import { type OdsSimulator, startOdsSimulator } from "../../testing/ods_sim/server.ts";
import { closedPort } from "../ods/closed_port.ts";
import { captureLogs, getJson, type TempStore, tempStore, writeFixture } from "./helpers.ts";

const logs = captureLogs();

const SIM_NOW = "2025-06-10T09:00:00Z";
const START = Date.parse("2026-01-05T10:00:00Z");
const DAY = 86_400_000;
const KEY = "postcode-test-key-0123456789";
const STALE = "x-postcode-stale";

/** Cambridge, set in the simulator with the ICB and region the store's fixture holds. */
const CB2 = { postcode: "CB2 0QQ", icb: "QUE", nhser: "Y61" };

interface World {
  sim: OdsSimulator;
  kv: TempStore;
  app: Hono;
  /** Moves the app's clock on. */
  advance(ms: number): void;
  /** `$lookup` requests the simulator has seen. */
  lookups(): number;
}

function odsFor(base: string): OdsConfig {
  return loadConfig({ KV_PATH: ":memory:", ODT_BASE_URL: base, ODS_RATE_LIMIT: "100" }).ods;
}

async function control(sim: OdsSimulator, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${sim.controlUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  equal(res.status, 200, await res.text());
}

async function withWorld(
  fn: (w: World) => Promise<void>,
  over: { apiKeys?: string[] } = {},
): Promise<void> {
  const sim = await startOdsSimulator({ now: SIM_NOW });
  const kv = await tempStore();
  try {
    await writeFixture(kv.store);
    await control(sim, "/mutate", { op: "setPostcode", ...CB2 });
    let now = START;
    const app = createApp({
      store: kv.store,
      config: { apiKeys: over.apiKeys ?? [], adminToken: null, ods: odsFor(sim.fhirBaseUrl) },
      now: () => new Date(now),
    });
    await fn({
      sim,
      kv,
      app,
      advance: (ms) => now += ms,
      lookups: () => sim.requests.filter((r) => r.path === "/fhir/CodeSystem/$lookup").length,
    });
  } finally {
    await kv.close();
    await sim.close();
  }
}

Deno.test("a known postcode: its ICB, region, local authority and LSOA, named from the store", async () => {
  await withWorld(async ({ sim, app }) => {
    const geo = sim.dataset.postcodes.get("CB2 0QQ")!;
    const { status, body, headers } = await getJson(app, "/postcodes/CB2%200QQ/");
    equal(status, 200);
    deepEqual(body, {
      postcode: "CB2 0QQ",
      country: { boundary_identifier: "E92000001", name: "England" },
      primary_care_organisation: { ods_code: geo.pco, name: null },
      integrated_care_board: {
        ods_code: "QUE",
        name: "NHS Cambridgeshire and Peterborough Integrated Care Board",
      },
      nhs_england_region: { region_code: "Y61", name: "East of England" },
      local_authority: geo.la,
      lsoa_2011: geo.lsoa11,
      government_office_region: geo.gor,
      fetched_at: new Date(START).toISOString(),
    });
    ok(headers.get("etag"));
    ok(headers.get("x-data-version"));
    equal(headers.get(STALE), null);
  });
});

Deno.test("the request log never holds the postcode asked for (it may be a patient's)", async () => {
  await withWorld(async ({ app }) => {
    logs.length = 0;
    await (await app.request("/postcodes/CB2%200QQ/")).body?.cancel();
    const line = logs.map((l) => JSON.parse(l)).find((l) => l.route === "/postcodes/:postcode");
    equal(line?.path, "/postcodes/…/");
    ok(!logs.some((l) => /CB2/i.test(l)), logs.join("\n"));
  });
});

Deno.test("a code the store doesn't hold is answered with a null name", async () => {
  await withWorld(async ({ sim, app }) => {
    const geo = sim.dataset.postcodes.get("CT1 3NG")!; // ICB QKS: not in the fixture
    const { status, body } = await getJson(app, "/postcodes/CT1 3NG/");
    equal(status, 200);
    deepEqual((body as Record<string, unknown>).integrated_care_board, {
      ods_code: geo.icb,
      name: null,
    });
  });
});

Deno.test("case and spacing don't matter: one cache entry, one FHIR request", async () => {
  await withWorld(async ({ app, kv, lookups }) => {
    const first = await getJson(app, "/postcodes/cb20qq/");
    const second = await getJson(app, "/postcodes/%20Cb2%20%200qQ%20/");
    equal(first.status, 200);
    deepEqual(second.body, first.body);
    equal(lookups(), 1);
    const cached = await Array.fromAsync(kv.store.kv.list({ prefix: keys.postcodePrefix }));
    deepEqual(cached.map((e) => e.key), [["postcode", "CB2 0QQ"]]);
  });
});

Deno.test("a postcode ODS doesn't know is a 404, cached for a day", async () => {
  await withWorld(async ({ app, lookups, advance }) => {
    const first = await getJson(app, "/postcodes/ZZ99 9ZZ/");
    equal(first.status, 404);
    deepEqual(Object.keys(first.body as object), [
      "detail",
      "error",
      "postcode",
      "explanation",
      "fetched_at",
    ]);
    equal((first.body as Record<string, unknown>).detail, "Not found.");
    equal((await getJson(app, "/postcodes/zz999zz/")).status, 404);
    equal(lookups(), 1);
    advance(NOT_FOUND_TTL_MS);
    equal((await getJson(app, "/postcodes/ZZ99 9ZZ/")).status, 404);
    equal(lookups(), 2);
  });
});

Deno.test("a value that is not a postcode is a 400 in DRF's error shape, asking FHIR nothing", async () => {
  await withWorld(async ({ app, lookups }) => {
    for (const bad of ["NOT-A-POSTCODE", "12345", "CB2"]) {
      const { status, body } = await getJson(app, `/postcodes/${bad}/`);
      equal(status, 400, bad);
      deepEqual(body, {
        detail: "Malformed postcode.",
        error: "malformed postcode",
        postcode: ["expected a UK postcode, e.g. CB2 0QQ (case and spacing don't matter)"],
      });
    }
    equal(lookups(), 0);
  });
});

Deno.test("without the FHIR API configured the route is a 503 naming ODT_API_KEY", async () => {
  const kv = await tempStore();
  try {
    const production = loadConfig({ KV_PATH: ":memory:" }).ods; // no key, production base URL
    for (const config of [{}, { ods: production }]) {
      const app = createApp({
        store: kv.store,
        config: { apiKeys: [], adminToken: null, ...config },
      });
      const { status, body } = await getJson(app, "/postcodes/CB2 0QQ/");
      equal(status, 503);
      const b = body as Record<string, string>;
      equal(b.error, "postcode look-up not configured");
      ok(b.explanation.includes("ODT_API_KEY"), b.explanation);
    }
  } finally {
    await kv.close();
  }
});

Deno.test("an entry is fetched again once 30 days old (injected clock)", async () => {
  await withWorld(async ({ sim, app, lookups, advance }) => {
    const first = await getJson(app, "/postcodes/CB2 0QQ/");
    const la = (first.body as Record<string, unknown>).local_authority;
    await control(sim, "/mutate", { op: "setPostcode", ...CB2, la: "999" });
    advance(FOUND_TTL_MS - 1);
    const cached = await getJson(app, "/postcodes/CB2 0QQ/");
    equal(lookups(), 1);
    equal((cached.body as Record<string, unknown>).local_authority, la);
    advance(1);
    const refetched = await getJson(app, "/postcodes/CB2 0QQ/");
    equal(lookups(), 2);
    const body = refetched.body as Record<string, unknown>;
    equal(body.local_authority, "999");
    equal(body.fetched_at, new Date(START + FOUND_TTL_MS).toISOString());
    ok(refetched.headers.get("etag") !== cached.headers.get("etag"));
  });
});

Deno.test("an expired entry whose refresh fails is served stale, marked X-Postcode-Stale", async () => {
  await withWorld(async ({ sim, app, advance }) => {
    const fresh = await getJson(app, "/postcodes/CB2 0QQ/");
    sim.faults.add({ path: "/fhir/CodeSystem/*", kind: "status", status: 503 });
    advance(FOUND_TTL_MS + DAY);
    const stale = await getJson(app, "/postcodes/CB2 0QQ/");
    equal(stale.status, 200);
    equal(stale.headers.get(STALE), "true");
    deepEqual(stale.body, fresh.body);
  });
});

Deno.test("FHIR unreachable with nothing cached is a 503 with Retry-After", async () => {
  const kv = await tempStore();
  try {
    const ods = odsFor(`http://127.0.0.1:${closedPort()}/fhir`);
    const app = createApp({ store: kv.store, config: { apiKeys: [], adminToken: null, ods } });
    const { status, body, headers } = await getJson(app, "/postcodes/CB2 0QQ/");
    equal(status, 503);
    equal((body as Record<string, string>).error, "postcode look-up unavailable");
    equal(headers.get("retry-after"), "60");
  } finally {
    await kv.close();
  }
});

Deno.test("behind the API key; ETag and 304 like the other routes", async () => {
  await withWorld(async ({ app }) => {
    equal((await app.request("/postcodes/CB2 0QQ/")).status, 401);
    const auth = { "Ocp-Apim-Subscription-Key": KEY };
    const ok200 = await app.request("/postcodes/CB2 0QQ/", { headers: auth });
    equal(ok200.status, 200);
    await ok200.body?.cancel();
    const etag = ok200.headers.get("etag")!;
    const again = await app.request("/postcodes/CB2 0QQ/", {
      headers: { ...auth, "If-None-Match": etag },
    });
    equal(again.status, 304);
  }, { apiKeys: [KEY] });
});

Deno.test("other methods are a 405", async () => {
  await withWorld(async ({ app }) => {
    const res = await app.request("/postcodes/CB2 0QQ/", { method: "POST" });
    equal(res.status, 405);
    equal(res.headers.get("allow"), "GET, HEAD, OPTIONS");
  });
});
