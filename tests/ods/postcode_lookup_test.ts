/**
 * The FHIR `postcode` CodeSystem look-up (lib/ods/postcode_lookup.ts) against the ODS simulator
 * over HTTP: the exact request, the geography read from its `Parameters`, 404s, the API key, an
 * unreachable host and the client renewed after the cool-down.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import type { OdsConfig } from "../../lib/config.ts";
import {
  canonicalPostcode,
  fhirConfigured,
  POSTCODE_SYSTEM,
  PostcodeLookup,
  UNREACHABLE_COOLDOWN_MS,
} from "../../lib/ods/postcode_lookup.ts";
import type { SourceOptions } from "../../lib/ods/source.ts";
import { type OdsSimulator, startOdsSimulator } from "../../testing/ods_sim/server.ts";
import { closedPort } from "./closed_port.ts";

const NOW = "2025-06-10T09:00:00Z";
const FAST: SourceOptions = { backoffBaseMs: 1, backoffMaxMs: 4, retryAfterMaxMs: 10 };

function config(odtBaseUrl: string, over: Partial<OdsConfig> = {}): OdsConfig {
  return {
    source: "ord",
    ordBaseUrl: "http://127.0.0.1:1/ORD/2-0-0",
    odtBaseUrl,
    odtApiKey: null,
    rateLimit: 1000,
    concurrency: 4,
    timeoutMs: 2000,
    retries: 3,
    pageSize: 1000,
    userAgent: "postcode-lookup-test/1.0",
    ...over,
  };
}

async function withSim(
  options: Parameters<typeof startOdsSimulator>[0],
  fn: (sim: OdsSimulator) => Promise<void>,
): Promise<void> {
  const sim = await startOdsSimulator({ now: NOW, ...options });
  try {
    await fn(sim);
  } finally {
    await sim.close();
  }
}

const lookups = (sim: OdsSimulator) =>
  sim.requests.filter((r) => r.path === "/fhir/CodeSystem/$lookup");

Deno.test("canonicalPostcode: any case and spacing to one form; other shapes are null", () => {
  for (const raw of ["CB2 0QQ", "cb20qq", " Cb2   0qQ ", "CB2\t0QQ"]) {
    equal(canonicalPostcode(raw), "CB2 0QQ", raw);
  }
  deepEqual(["M1 1AE", "SW1A 1AA", "EC1A1BB", "LL572PW"].map(canonicalPostcode), [
    "M1 1AE",
    "SW1A 1AA",
    "EC1A 1BB",
    "LL57 2PW",
  ]);
  for (const bad of ["", "CB2", "0QQ", "CB2 0Q", "CB2 0QQQ", "1B2 0QQ", "CB2-0QQ", "ZZZZ9 9ZZ"]) {
    equal(canonicalPostcode(bad), null, bad);
  }
});

Deno.test("FHIR counts as configured with a key, or with a base URL other than production", () => {
  const prod = "https://api.service.nhs.uk/organisation-data-terminology-api/fhir";
  equal(fhirConfigured(config(prod)), false);
  equal(fhirConfigured(config(prod, { odtApiKey: "key" })), true);
  equal(fhirConfigured(config("http://127.0.0.1:8099/fhir")), true);
});

Deno.test("a known postcode: one $lookup of the postcode CodeSystem, its geography read", async () => {
  await withSim({}, async (sim) => {
    const expected = sim.dataset.postcodes.get("CT1 3NG")!;
    const result = await new PostcodeLookup(config(sim.fhirBaseUrl), FAST).lookup("CT1 3NG");
    deepEqual(result, {
      status: "found",
      geography: {
        postcode: "CT1 3NG",
        pco: expected.pco,
        icb: expected.icb,
        nhser: expected.nhser,
        la: expected.la,
        lsoa11: expected.lsoa11,
        gor: expected.gor,
      },
    });
    const [request] = lookups(sim);
    const query = new URLSearchParams(request.query);
    equal(query.get("system"), POSTCODE_SYSTEM);
    equal(query.get("code"), "CT1 3NG");
    equal(lookups(sim).length, 1);
  });
});

Deno.test("a Welsh postcode has a health board and no ICB or region", async () => {
  await withSim({}, async (sim) => {
    const result = await new PostcodeLookup(config(sim.fhirBaseUrl), FAST).lookup("LL57 2PW");
    ok(result.status === "found", JSON.stringify(result));
    equal(result.geography.pco, "7A1");
    equal(result.geography.icb, null);
    equal(result.geography.nhser, null);
    equal(result.geography.la, sim.dataset.postcodes.get("LL57 2PW")!.la);
  });
});

Deno.test("a postcode the simulator doesn't know is not_found", async () => {
  await withSim({}, async (sim) => {
    const result = await new PostcodeLookup(config(sim.fhirBaseUrl), FAST).lookup("ZZ99 9ZZ");
    deepEqual(result, { status: "not_found" });
  });
});

Deno.test("the API key goes in the apikey header; a refused key is an auth error", async () => {
  await withSim({ fhir: { apiKey: "sim-key" } }, async (sim) => {
    const good = new PostcodeLookup(config(sim.fhirBaseUrl, { odtApiKey: "sim-key" }), FAST);
    equal((await good.lookup("CT1 3NG")).status, "found");
    equal(lookups(sim)[0].headers["apikey"], "sim-key");
    const bad = new PostcodeLookup(config(sim.fhirBaseUrl, { odtApiKey: "nope" }), FAST);
    const refused = await bad.lookup("CT1 3NG");
    equal(refused.status === "error" && refused.kind, "auth");
  });
});

Deno.test("an unreachable host is an error whose message leaves the postcode out", async () => {
  const base = `http://127.0.0.1:${closedPort()}/fhir`;
  const result = await new PostcodeLookup(config(base), { ...FAST, breakerThreshold: 1 })
    .lookup("CB2 0QQ");
  ok(result.status === "error", JSON.stringify(result));
  equal(result.kind, "unreachable");
  ok(!result.reason.includes("0QQ"), result.reason);
});

Deno.test("after the cool-down an unreachable host is tried again with a new client", async () => {
  const base = `http://127.0.0.1:${closedPort()}/fhir`;
  let now = Date.parse("2026-01-05T10:00:00Z");
  let attempts = 0;
  const lookup = new PostcodeLookup(config(base), {
    ...FAST,
    breakerThreshold: 1,
    now: () => now,
    fetch: (input, init) => {
      attempts++;
      return fetch(input, init);
    },
  });
  await lookup.lookup("CB2 0QQ");
  equal(attempts, 1); // the breaker opened at once
  await lookup.lookup("CB2 0QQ");
  equal(attempts, 1); // still open: no request
  now += UNREACHABLE_COOLDOWN_MS;
  await lookup.lookup("CB2 0QQ");
  equal(attempts, 2);
});
