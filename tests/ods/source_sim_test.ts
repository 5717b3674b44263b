/**
 * The ORD and FHIR sources against the ODS simulator (testing/ods_sim): cost per change, parity of
 * the two sources, and resilience to the simulator's faults.
 */
import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import type { OdsConfig } from "../../lib/config.ts";
import { activeParent, type OdsRecord, REL, ROLE } from "../../lib/ods/record.ts";
import {
  createOdsSource,
  type FetchOutcome,
  OdsError,
  type SourceOptions,
} from "../../lib/ods/source.ts";
import { daysAgo, type OdsSimulator, startOdsSimulator } from "../../testing/ods_sim/server.ts";

const NOW = "2025-06-10T09:00:00Z";
const FAST: SourceOptions = { backoffBaseMs: 1, backoffMaxMs: 4, retryAfterMaxMs: 10 };

function config(sim: OdsSimulator, over: Partial<OdsConfig> = {}): OdsConfig {
  return {
    source: "ord",
    ordBaseUrl: sim.ordBaseUrl,
    odtBaseUrl: sim.fhirBaseUrl,
    odtApiKey: null,
    rateLimit: 1000,
    concurrency: 4,
    timeoutMs: 2000,
    retries: 3,
    pageSize: 1000,
    userAgent: "ods-source-sim-test/1.0",
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

function record(o: FetchOutcome): OdsRecord {
  if (o.status !== "ok") throw new Error(`${o.code}: expected ok, got ${JSON.stringify(o)}`);
  return o.record;
}

const FIXTURES = ["RVVKC", "RWR", "RJY", "RVV", "QKS", "QM7", "Y59", "7A1", "7A1A4", "RZA", "RZB"];

Deno.test("sources against the simulator: cost per change", async (t) => {
  await withSim({ national: { untracked: 3000, recentShare: 0 } }, async (sim) => {
    // Changes made yesterday are published today (as the real API does overnight).
    const day = daysAgo(sim, 1);
    const change = sim.changeDay({ day, changed: 250, tracked: 12 });
    sim.publish();
    const tracked = new Set(sim.national!.tracked);
    const expected = new Set(change.tracked);

    await t.step("ORD: one sync plus one request per tracked change", async () => {
      sim.clearRequests();
      const source = createOdsSource(config(sim), FAST);
      const set = await source.changesSince(day, (c) => tracked.has(c));
      ok(set.seen >= change.codes.length, `seen ${set.seen}`);
      const got = set.outcomes.map((o) => o.code);
      for (const c of expected) ok(got.includes(c), c);
      ok(set.outcomes.every((o) => o.status === "ok"), JSON.stringify(set.outcomes.slice(0, 2)));
      equal(source.stats().requests, 1 + got.length);
      equal(sim.requests.length, 1 + got.length);
      ok(sim.requests.every((r) => r.headers["user-agent"] === "ods-source-sim-test/1.0"));
    });

    await t.step("FHIR: ceil(changes / page size) pages, no per-record fetch", async () => {
      sim.clearRequests();
      const source = createOdsSource(config(sim, { source: "fhir", pageSize: 100 }), FAST);
      const set = await source.changesSince(day, (c) => tracked.has(c));
      ok(set.seen >= change.codes.length);
      const got = set.outcomes.map((o) => o.code);
      for (const c of expected) ok(got.includes(c), c);
      ok(set.outcomes.every((o) => o.status === "ok"), JSON.stringify(set.outcomes.slice(0, 2)));
      const pages = sim.requests.filter((r) => r.query.includes("lastChangeDate")).length;
      equal(pages, Math.ceil(set.seen / 100));
      const lookups = sim.requests.length - pages;
      ok(lookups <= Math.ceil(got.length * 4 / 100) + 1, `lookups ${lookups}`);
      ok(sim.requests.every((r) => !/^\/fhir\/Organization\/[^/]+$/.test(r.path)));
    });

    await t.step("both sources count the day's changes the same way", async () => {
      const ord = await createOdsSource(config(sim), FAST).countChangedOn!(day);
      const fhir = await createOdsSource(config(sim, { source: "fhir" }), FAST).countChangedOn!(
        day,
      );
      ok(ord >= change.codes.length, `ord ${ord}`);
      equal(fhir, ord);
      const earlier = daysAgo(sim, 3);
      equal(
        await createOdsSource(config(sim, { source: "fhir" }), FAST).countChangedOn!(earlier),
        await createOdsSource(config(sim), FAST).countChangedOn!(earlier),
      );
    });
  });
});

Deno.test("sources against the simulator: ORD and FHIR agree", async (t) => {
  await withSim({}, async (sim) => {
    const ord = await createOdsSource(config(sim), FAST).fetchMany(FIXTURES);
    const fhir = await createOdsSource(config(sim, { source: "fhir" }), FAST).fetchMany(FIXTURES);

    await t.step("same core fields for every fixture", () => {
      for (let i = 0; i < FIXTURES.length; i++) {
        const a = record(ord[i]);
        const b = record(fhir[i]);
        const core = (r: OdsRecord) => ({
          code: r.code,
          name: r.name,
          active: r.active,
          lastChangeDate: r.lastChangeDate,
          recordClass: r.recordClass,
          refOnly: r.refOnly,
          primaryRole: r.primaryRole,
          roles: r.roles,
          // The FHIR address has no county (see the next step).
          address: { ...r.address, county: undefined },
          telephone: r.telephone,
          website: r.website,
          email: r.email,
          relationships: r.relationships.map((x) => ({ ...x, targetRole: undefined })),
        });
        deepEqual(core(b), core(a), a.code);
      }
    });

    await t.step("same parents: site → trust, trust → ICB, ICB → region, Welsh site → LHB", () => {
      const parents = (list: FetchOutcome[]) =>
        list.map(record).map((r) => [
          r.code,
          activeParent(r, REL.IS_OPERATED_BY, [ROLE.NHS_TRUST, ...ROLE.LOCAL_HEALTH_BOARD]),
          activeParent(r, REL.IS_LOCATED_IN_THE_GEOGRAPHY_OF, [
            ROLE.STRATEGIC_PARTNERSHIP,
            ROLE.NHS_ENGLAND_REGION,
          ]),
        ]);
      const p = parents(ord);
      deepEqual(parents(fhir), p);
      const of = (code: string) => p.find((x) => x[0] === code);
      deepEqual(of("RVVKC"), ["RVVKC", "RVV", null]);
      deepEqual(of("RVV"), ["RVV", null, "QKS"]);
      deepEqual(of("QKS"), ["QKS", null, "Y59"]);
      equal(of("7A1A4")?.[1], "7A1");
    });

    await t.step("FHIR can't carry the county: its records say so, ORD's give it", () => {
      const i = FIXTURES.indexOf("RVVKC");
      equal(record(ord[i]).address.county, "KENT");
      ok(record(fhir[i]).absent?.includes("county"));
    });

    await t.step("ORD carries successions; the FHIR resource doesn't", () => {
      const rza = record(ord[FIXTURES.indexOf("RZA")]);
      ok(rza.successions.some((s) => s.type === "Successor" && s.target === "RZB"));
      deepEqual(record(fhir[FIXTURES.indexOf("RZA")]).successions, []);
    });
  });
});

Deno.test("sources against the simulator: faults", async (t) => {
  await withSim({}, async (sim) => {
    const ord = () => createOdsSource(config(sim), FAST);

    await t.step("429 + Retry-After, 5xx, truncated, HTML and resets are retried", async () => {
      const kinds = [
        { kind: "status", status: 429, retryAfter: 1 },
        { kind: "status", status: 500 },
        { kind: "status", status: 503 },
        { kind: "truncate" },
        { kind: "html", status: 200 },
        { kind: "html", status: 502 },
        { kind: "reset", afterBytes: 10 },
      ] as const;
      for (const action of kinds) {
        sim.faults.clear();
        sim.faults.add({ path: "/ORD/2-0-0/organisations/*", nth: 1, ...action });
        const source = ord();
        const out = await source.fetchOne("RVVKC");
        equal(out.status, "ok", `${JSON.stringify(action)} → ${JSON.stringify(out)}`);
        deepEqual(source.stats(), { requests: 2, retries: 1 }, JSON.stringify(action));
      }
      sim.faults.clear();
    });

    await t.step("a fault that persists ends as an error outcome, not an exception", async () => {
      sim.faults.add({ path: "/ORD/2-0-0/organisations/RWR", kind: "status", status: 502 });
      const out = await ord().fetchOne("RWR");
      ok(out.status === "error" && out.reason.includes("502"), JSON.stringify(out));
      sim.faults.clear();
    });

    await t.step("malformed records: invalid only when the record really is", async () => {
      const expect: Record<string, FetchOutcome["status"]> = {
        missingRoles: "invalid",
        twoPrimaryRoles: "invalid",
        missingGeoLoc: "ok",
        missingContacts: "ok",
        missingRels: "ok",
        relBareObject: "ok",
        stringUniqueRoleId: "ok",
        unknownRoleCode: "ok",
      };
      for (const [variant, status] of Object.entries(expect)) {
        sim.faults.clear();
        sim.faults.add({
          path: "/ORD/2-0-0/organisations/*",
          kind: "malformed",
          variant: variant as "missingRoles",
        });
        equal((await ord().fetchOne("RVVKC")).status, status, variant);
      }
      sim.faults.clear();
    });

    await t.step(
      "dangling and duplicate OrgLinks: not_found once, duplicates fetched once",
      async () => {
        sim.faults.add({ path: "/ORD/2-0-0/sync", kind: "danglingOrgLink", code: "ZZ404" });
        sim.faults.add({ path: "/ORD/2-0-0/sync", kind: "duplicateOrgLinks" });
        sim.clearRequests();
        const since = new Date(Date.parse(NOW) - 60 * 86_400_000).toISOString().slice(0, 10);
        const set = await ord().changesSince(since, (c) => c === "ZZ404" || c.startsWith("RZ"));
        const codes = set.outcomes.map((o) => `${o.code}:${o.status}`);
        ok(codes.includes("ZZ404:not_found"), codes.join());
        equal(new Set(codes).size, codes.length);
        equal(sim.requests.length, 1 + codes.length);
        sim.faults.clear();
      },
    );

    await t.step("a date outside the 185-day sync window → OdsError window", async () => {
      await rejects(
        ord().changesSince("2024-01-01", () => true),
        (e: unknown) => e instanceof OdsError && e.kind === "window",
      );
    });

    await t.step("an empty day served as {} → nothing to fetch", async () => {
      sim.ord.emptySyncShape = "object";
      const tomorrow = new Date(Date.parse(NOW) + 86_400_000).toISOString().slice(0, 10);
      deepEqual(await ord().changesSince(tomorrow, () => true), { seen: 0, outcomes: [] });
      sim.ord.emptySyncShape = "array";
    });
  });
});

Deno.test("sources against the simulator: FHIR key, size cap and rate limit", async (t) => {
  await withSim({ fhir: { apiKey: "sim-key" } }, async (sim) => {
    await t.step("missing or wrong apikey → OdsError auth", async () => {
      const source = createOdsSource(config(sim, { source: "fhir", odtApiKey: "nope" }), FAST);
      await rejects(
        source.changesSince("2025-06-01", () => true),
        (e: unknown) => e instanceof OdsError && e.kind === "auth",
      );
    });

    await t.step("422 too-costly → pages again with a smaller _count", async () => {
      sim.fhir.maxResponseBytes = 40_000;
      sim.clearRequests();
      const source = createOdsSource(
        config(sim, { source: "fhir", odtApiKey: "sim-key", pageSize: 1000 }),
        FAST,
      );
      const since = new Date(Date.parse(NOW) - 3650 * 86_400_000).toISOString().slice(0, 10);
      const set = await source.changesSince(since, (c) => FIXTURES.includes(c));
      ok(set.outcomes.every((o) => o.status === "ok"));
      equal(set.outcomes.length, FIXTURES.length);
      ok(sim.requests.some((r) => r.status === 422));
      sim.fhir.maxResponseBytes = 10 * 1024 * 1024;
    });

    await t.step(
      "the client's rate limit keeps it under the simulator's token bucket",
      async () => {
        sim.faults.rateLimit = { perSecond: 40, burst: 2 };
        sim.clearRequests();
        const source = createOdsSource(config(sim, { rateLimit: 25, concurrency: 8 }), FAST);
        const out = await source.fetchMany(FIXTURES);
        ok(out.every((o) => o.status === "ok"));
        equal(sim.requests.filter((r) => r.faults.includes("rateLimit")).length, 0);
        equal(source.stats().retries, 0);
        sim.faults.rateLimit = null;
      },
    );
  });
});
