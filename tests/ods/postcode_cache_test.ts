/**
 * The postcode cache (lib/ods/postcode_cache.ts) over a real KV file and the simulator's FHIR
 * `postcode` CodeSystem: concurrent look-ups share one request, and `localAuthorityOf` reads
 * what the cache holds without asking FHIR.
 */
import { equal } from "node:assert/strict";
import type { OdsConfig } from "../../lib/config.ts";
import { localAuthorityOf, PostcodeResolver } from "../../lib/ods/postcode_cache.ts";
import { PostcodeLookup } from "../../lib/ods/postcode_lookup.ts";
import { type OdsSimulator, startOdsSimulator } from "../../testing/ods_sim/server.ts";

function config(sim: OdsSimulator): OdsConfig {
  return {
    source: "fhir",
    ordBaseUrl: sim.ordBaseUrl,
    odtBaseUrl: sim.fhirBaseUrl,
    odtApiKey: null,
    rateLimit: 1000,
    concurrency: 4,
    timeoutMs: 2000,
    retries: 1,
    pageSize: 1000,
    userAgent: "postcode-cache-test/1.0",
  };
}

async function withCache(
  fn: (sim: OdsSimulator, kv: Deno.Kv, resolver: PostcodeResolver) => Promise<void>,
): Promise<void> {
  const sim = await startOdsSimulator({ now: "2025-06-10T09:00:00Z" });
  const dir = await Deno.makeTempDir({ prefix: "postcode_cache_" });
  const kv = await Deno.openKv(`${dir}/kv.sqlite`);
  try {
    const lookup = new PostcodeLookup(config(sim));
    await fn(sim, kv, new PostcodeResolver({ kv, lookup }));
  } finally {
    kv.close();
    await sim.close();
    await Deno.remove(dir, { recursive: true });
  }
}

const lookups = (sim: OdsSimulator) =>
  sim.requests.filter((r) => r.path === "/fhir/CodeSystem/$lookup").length;

Deno.test("concurrent look-ups of one postcode share one FHIR request", async () => {
  await withCache(async (sim, _kv, resolver) => {
    const answers = await Promise.all([1, 2, 3].map(() => resolver.resolve("CT1 3NG")));
    equal(lookups(sim), 1);
    for (const a of answers) equal(a.status, "found");
  });
});

Deno.test("localAuthorityOf: the cached postcode's local authority, any case and spacing", async () => {
  await withCache(async (sim, kv, resolver) => {
    equal(await localAuthorityOf({ kv }, "CT1 3NG"), null); // not cached yet
    await resolver.resolve("CT1 3NG");
    const requests = lookups(sim);
    equal(await localAuthorityOf({ kv }, "ct13ng"), sim.dataset.postcodes.get("CT1 3NG")!.la);
    equal(lookups(sim), requests); // read from the cache only
  });
});

Deno.test("localAuthorityOf: null for a postcode ODS doesn't know, or not a postcode", async () => {
  await withCache(async (_sim, kv, resolver) => {
    equal((await resolver.resolve("ZZ99 9ZZ")).status, "not_found");
    equal(await localAuthorityOf({ kv }, "ZZ99 9ZZ"), null);
    equal(await localAuthorityOf({ kv }, "nonsense"), null);
  });
});
