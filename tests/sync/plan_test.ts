import { deepEqual, equal } from "node:assert/strict";
import { odsAddress, odsRecord } from "../fixtures.ts";
import type { Organisation } from "../../lib/model.ts";
import type { OdsRecord } from "../../lib/ods/record.ts";
import { type CurrentState, networkLookup, planWrites, trackedCodes } from "../../lib/sync/plan.ts";
import { loadSeedFile } from "../../lib/seed.ts";

const seed = loadSeedFile();

function currentFromSeed(): CurrentState {
  const byKey = <T>(rows: T[], key: (r: T) => string) =>
    new Map(rows.map((r) => [key(r), { ...r, updated_at: "" }]));
  const r = seed.records;
  return {
    organisation: byKey(r.organisation, (o) => o.ods_code),
    trust: byKey(r.trust, (t) => t.ods_code),
    local_health_board: byKey(r.local_health_board, (l) => l.ods_code),
    integrated_care_board: byKey(r.integrated_care_board, (i) => i.ods_code),
    nhs_england_region: byKey(r.nhs_england_region, (g) => g.region_code),
  } as CurrentState;
}

function trustRecord(code: string, icb: string): OdsRecord {
  return odsRecord(code, {
    name: "A TRUST",
    address: odsAddress({ country: "ENGLAND" }),
    relationships: [{
      id: "RE5",
      target: icb,
      targetRole: "RO261",
      active: true,
      operational: { start: "2026-04-01", end: null },
      legal: { start: null, end: null },
    }],
  });
}

Deno.test("the sync tracks only ODS-backed records, never curated ones", () => {
  const held = trackedCodes(currentFromSeed());
  equal(held.has("RGT01"), true);
  equal(held.has("RGT1W"), false, "Jersey is curated");
  equal(held.has("8HV48"), false, "RCPCH is curated");
  deepEqual(held.get("7A7")?.sort(), ["local_health_board", "trust"], "Powys is both");
});

Deno.test("when a trust moves ICB, its sites follow in groups of their own", () => {
  const current = currentFromSeed();
  const groups = planWrites({
    records: new Map([["RGT", { kinds: ["trust"], record: trustRecord("RGT", "QUY") }]]),
    current,
    quarantined: new Map(),
    quarantine: [],
    newParents: new Set(),
    networkOfParent: () => null,
    on: "2026-11-25",
    runId: "r",
    time: "t",
    makeId: () => "id",
    onReview: () => {},
  });
  const codes = groups.map((g) => g.writes.map((w) => `${w.kind}:${w.code}`).join());
  equal(codes[0], "trust:RGT", "the trust first");
  const sites = seed.records.organisation.filter((o) => o.trust_code === "RGT").map((o) =>
    `organisation:${o.ods_code}`
  );
  deepEqual(codes.slice(1).sort(), sites.sort());
  // Each follower update derives the ICB from the trust's planned state.
  const rgt01 = groups.find((g) => g.writes[0].code === "RGT01")!;
  const next = rgt01.writes[0].update(
    { ...current.organisation.get("RGT01")! } as never,
  ) as Organisation;
  equal(next.integrated_care_board_code, "QUY");
});

Deno.test("a parent's OPEN UK network is the one most of its organisations have", () => {
  const look = networkLookup([
    { trust_code: "T", local_health_board_code: null, openuk_network_code: "A" },
    { trust_code: "T", local_health_board_code: null, openuk_network_code: "B" },
    { trust_code: "T", local_health_board_code: null, openuk_network_code: "B" },
  ] as Organisation[]);
  equal(look("T"), "B");
  equal(look("X"), null);
});

// Bug caught (tests/sync/crash_test.ts): a run killed after moving RGT to another ICB but
// before its sites followed left them on the old ICB for good, since the next run saw RGT as
// unchanged.
Deno.test("sites an interrupted run left on their trust's old ICB follow on the next run", () => {
  const current = currentFromSeed();
  current.trust.set("RGT", { ...current.trust.get("RGT")!, integrated_care_board_code: "QUY" });
  const groups = planWrites({
    records: new Map([["RGT", { kinds: ["trust"], record: trustRecord("RGT", "QUY") }]]),
    current,
    quarantined: new Map(),
    quarantine: [],
    newParents: new Set(),
    networkOfParent: () => null,
    on: "2026-11-25",
    runId: "r",
    time: "t",
    makeId: () => "id",
    onReview: () => {},
  });
  const followers = groups.slice(1).map((g) => g.writes[0].code).sort();
  const sites = seed.records.organisation.filter((o) => o.trust_code === "RGT").map((o) =>
    o.ods_code
  );
  deepEqual(followers, sites.sort());
});

// Bug caught: every run rewriting the sites of every trust it read, moved or not.
Deno.test("sites already on their trust's ICB and region do not follow", () => {
  const current = currentFromSeed();
  const icb = current.trust.get("RGT")!.integrated_care_board_code!;
  const groups = planWrites({
    records: new Map([["RGT", { kinds: ["trust"], record: trustRecord("RGT", icb) }]]),
    current,
    quarantined: new Map(),
    quarantine: [],
    newParents: new Set(),
    networkOfParent: () => null,
    on: "2026-11-25",
    runId: "r",
    time: "t",
    makeId: () => "id",
    onReview: () => {},
  });
  equal(groups.length, 1, "the trust only");
});
