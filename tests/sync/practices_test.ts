/**
 * The GP practice part of a sync run, through both sources, against the simulator serving a
 * generated national GP practice set (300 practices with their sub-ICB locations and PCNs) over
 * the seed's ICBs and Welsh boards. Expected values come from the simulator's published records.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import * as keys from "../../lib/keys.ts";
import { readSyncState, runSync } from "../../lib/sync/run.ts";
import { buildGpPractice } from "../../testing/ods_sim/kinds.ts";
import type { OrdOrganisation } from "../../testing/ods_sim/ord_types.ts";
import type { OdsSimulator } from "../../testing/ods_sim/server.ts";
import { Store } from "../../lib/store.ts";
import { loadSeedFile, seedStore } from "../../lib/seed.ts";
import { at, syncWorld } from "./helpers.ts";

const TUESDAY = "2026-11-24T06:00:00Z";
const WEDNESDAY = "2026-11-25T06:00:00Z";
const THURSDAY = "2026-11-26T06:00:00Z";
const CHANGE_DAY = "2026-11-24";
const PRACTICES = 300;

function practicesOf(sim: OdsSimulator): OrdOrganisation[] {
  return [...sim.dataset.records()].filter((o) => o.Roles.Role.some((r) => r.id === "RO76"));
}

function subIcbsOf(sim: OdsSimulator): string[] {
  return [...sim.dataset.records()].filter((o) => o.Roles.Role[0].id === "RO98")
    .map((o) => o.OrgId.extension);
}

/** The target of the record's active relationship `id` in the simulator. */
function activeTarget(sim: OdsSimulator, code: string, id: string): string | undefined {
  return sim.dataset.get(code)?.Rels?.Rel.find((r) => r.id === id && r.Status === "Active")
    ?.Target.OrgId.extension;
}

/** Requests of the practice part of a run: the RO76 searches and pages, and record reads. */
function practiceRequests(sim: OdsSimulator, from: number, codes: ReadonlySet<string>) {
  const log = sim.requests.slice(from);
  const lists = log.filter((r) => r.query.includes("RO76"));
  const records = log.filter((r) => codes.has(r.path.split("/").pop()!));
  return { lists: lists.length, records: records.length };
}

for (const kind of ["ord", "fhir"] as const) {
  Deno.test(`${kind}: the first run stores every GP practice and sub-ICB location ODS has`, async () => {
    const w = await syncWorld(TUESDAY, { gpPractices: PRACTICES });
    try {
      const result = await runSync({
        store: w.store,
        source: w.source(kind),
        now: at(TUESDAY),
        gpPractices: true,
      });
      equal(result.run.outcome, "success");
      equal(result.run.gp_practices?.kind, "baseline");
      const stored = (await w.store.list("general_practice")).map((p) => p.ods_code);
      deepEqual(stored.sort(), practicesOf(w.sim).map((o) => o.OrgId.extension).sort());
      const locations = (await w.store.list("sub_icb_location")).map((s) => s.ods_code);
      deepEqual(locations.sort(), subIcbsOf(w.sim).sort());
      equal((await readSyncState(w.store)).gp_cursor, "2026-11-24");
    } finally {
      await w.close();
    }
  });
}

Deno.test("fhir baseline: the practices cost ceil(records / page size) pages and nothing else", async () => {
  const w = await syncWorld(TUESDAY, { gpPractices: PRACTICES });
  const plain = await Store.open(`${w.dir}/plain.sqlite`);
  try {
    await seedStore(plain, loadSeedFile(), { time: "2024-10-01T00:00:00.000Z" });
    const pageSize = 200;
    const without = await runSync({ store: plain, source: w.source("fhir"), now: at(TUESDAY) });
    const from = w.sim.requests.length;
    const withGp = await runSync({
      store: w.store,
      source: w.source("fhir", { pageSize }),
      now: at(TUESDAY),
      gpPractices: true,
    });
    const records = practicesOf(w.sim).length + subIcbsOf(w.sim).length;
    const pages = Math.ceil(records / pageSize);
    equal(practiceRequests(w.sim, from, new Set()).lists, pages);
    equal(withGp.run.requests, without.run.requests + pages);
  } finally {
    plain.close();
    await w.close();
  }
});

Deno.test("ord baseline: the practices cost their search pages and one request per record", async () => {
  const w = await syncWorld(TUESDAY, { gpPractices: PRACTICES });
  const plain = await Store.open(`${w.dir}/plain.sqlite`);
  try {
    await seedStore(plain, loadSeedFile(), { time: "2024-10-01T00:00:00.000Z" });
    const without = await runSync({ store: plain, source: w.source("ord"), now: at(TUESDAY) });
    const codes = new Set([
      ...practicesOf(w.sim).map((o) => o.OrgId.extension),
      ...subIcbsOf(w.sim),
    ]);
    const from = w.sim.requests.length;
    const withGp = await runSync({
      store: w.store,
      source: w.source("ord"),
      now: at(TUESDAY),
      gpPractices: true,
    });
    const pages = Math.ceil(codes.size / 1000);
    deepEqual(practiceRequests(w.sim, from, codes), { lists: pages, records: codes.size });
    equal(withGp.run.requests, without.run.requests + pages + codes.size);
    const search = w.sim.requests.slice(from).find((r) => r.query.includes("RO76"))!;
    ok(new URLSearchParams(search.query).get("Limit") === "1000", search.query);
  } finally {
    plain.close();
    await w.close();
  }
});

for (const kind of ["ord", "fhir"] as const) {
  Deno.test(`${kind}: a daily run applies renamed, closed, re-commissioned, new and PCN-less practices`, async () => {
    const w = await syncWorld(TUESDAY, { gpPractices: PRACTICES });
    try {
      await runSync({
        store: w.store,
        source: w.source(kind),
        now: at(TUESDAY),
        gpPractices: true,
      });
      const english = practicesOf(w.sim).filter((o) =>
        o.Status === "Active" && activeTarget(w.sim, o.OrgId.extension, "RE8")
      ).map((o) => o.OrgId.extension);
      const [renamed, closed, moved, left] = english;
      const from = activeTarget(w.sim, moved, "RE4")!;
      const fromIcb = activeTarget(w.sim, from, "RE5");
      const to = subIcbsOf(w.sim).find((s) => {
        const icb = activeTarget(w.sim, s, "RE5");
        return icb !== undefined && icb !== fromIcb;
      })!;
      w.sim.dataset.rename(renamed, "RENAMED SURGERY", CHANGE_DAY);
      w.sim.dataset.close(closed, "2026-11-23", { on: CHANGE_DAY });
      w.sim.dataset.setCommissioner(moved, to, CHANGE_DAY);
      w.sim.dataset.setPcn(left, null, CHANGE_DAY);
      w.sim.dataset.addRecord(
        buildGpPractice({
          code: "Y99001",
          name: "NEW TOWN MEDICAL CENTRE",
          lastChangeDate: CHANGE_DAY,
          start: CHANGE_DAY,
          address: { AddrLn1: "1 HIGH STREET", Town: "UCKFIELD", PostCode: "TN22 1AB" },
          commissioner: to,
          commissionerSince: CHANGE_DAY,
        }),
        CHANGE_DAY,
      );
      w.sim.clock.set(WEDNESDAY);
      const result = await runSync({
        store: w.store,
        source: w.source(kind),
        now: at(WEDNESDAY),
        gpPractices: true,
      });
      equal(result.run.outcome, "success");
      deepEqual(
        [result.run.gp_practices?.kind, result.run.gp_practices?.query_date],
        ["incremental", CHANGE_DAY],
      );
      const gp = async (code: string) => (await w.store.get("general_practice", code))!;
      equal((await gp(renamed)).name, "RENAMED SURGERY");
      deepEqual([(await gp(closed)).active, (await gp(closed)).operational_end], [
        false,
        "2026-11-23",
      ]);
      const toIcb = activeTarget(w.sim, to, "RE5")!;
      deepEqual(
        [
          (await gp(moved)).commissioner_code,
          (await gp(moved)).integrated_care_board_code,
          (await gp(moved)).nhs_england_region_code,
        ],
        [to, toIcb, activeTarget(w.sim, toIcb, "RE5")],
      );
      equal((await gp(left)).primary_care_network_code, null);
      const added = await gp("Y99001");
      deepEqual([added.name, added.commissioner_code, added.integrated_care_board_code], [
        "NEW TOWN MEDICAL CENTRE",
        to,
        toIcb,
      ]);
      equal((await readSyncState(w.store)).gp_cursor, "2026-11-25");
    } finally {
      await w.close();
    }
  });
}

Deno.test("without gpPractices (SYNC_GP_PRACTICES=false) a run sends ODS no practice request", async () => {
  const w = await syncWorld(TUESDAY, { gpPractices: PRACTICES });
  try {
    const codes = new Set([
      ...practicesOf(w.sim).map((o) => o.OrgId.extension),
      ...subIcbsOf(w.sim),
    ]);
    for (const kind of ["ord", "fhir"] as const) {
      const from = w.sim.requests.length;
      const result = await runSync({ store: w.store, source: w.source(kind), now: at(TUESDAY) });
      equal(result.run.gp_practices, undefined);
      deepEqual(practiceRequests(w.sim, from, codes), { lists: 0, records: 0 });
    }
    deepEqual(await w.store.list("general_practice"), []);
  } finally {
    await w.close();
  }
});

Deno.test("practices follow their sub-ICB location to another ICB", async () => {
  const w = await syncWorld(TUESDAY, { gpPractices: PRACTICES });
  try {
    await runSync({ store: w.store, source: w.source(), now: at(TUESDAY), gpPractices: true });
    const practices = practicesOf(w.sim).filter((o) => o.Status === "Active");
    const location = activeTarget(w.sim, practices[0].OrgId.extension, "RE4")!;
    const before = activeTarget(w.sim, location, "RE5");
    const icb = w.sim.national!.geography!.icbs.values().find((i) => i.code !== before)!.code;
    w.sim.dataset.setIcb(location, icb, CHANGE_DAY);
    w.sim.clock.set(WEDNESDAY);
    const result = await runSync({
      store: w.store,
      source: w.source(),
      now: at(WEDNESDAY),
      gpPractices: true,
    });
    equal(result.run.outcome, "success");
    const members = practices.filter((o) =>
      activeTarget(w.sim, o.OrgId.extension, "RE4") === location
    );
    ok(members.length > 1);
    for (const o of members) {
      const stored = await w.store.get("general_practice", o.OrgId.extension);
      equal(stored?.integrated_care_board_code, icb, o.OrgId.extension);
      equal(stored?.nhs_england_region_code, activeTarget(w.sim, icb, "RE5") ?? null);
    }
  } finally {
    await w.close();
  }
});

for (const kind of ["ord", "fhir"] as const) {
  Deno.test(`${kind}: a practice whose dates contradict each other is quarantined, the rest applied`, async () => {
    const w = await syncWorld(TUESDAY, { gpPractices: PRACTICES });
    try {
      await runSync({
        store: w.store,
        source: w.source(kind),
        now: at(TUESDAY),
        gpPractices: true,
      });
      const bad = buildGpPractice({
        code: "Y99002",
        name: "UNDATED SURGERY",
        lastChangeDate: CHANGE_DAY,
        start: CHANGE_DAY,
        address: { PostCode: "TN22 1AB" },
        commissioner: subIcbsOf(w.sim)[0],
      });
      bad.Rels!.Rel[0].Date = [];
      w.sim.dataset.addRecord(bad, CHANGE_DAY);
      const renamed = practicesOf(w.sim)[1].OrgId.extension;
      w.sim.dataset.rename(renamed, "STILL APPLIED SURGERY", CHANGE_DAY);
      w.sim.clock.set(WEDNESDAY);
      const result = await runSync({
        store: w.store,
        source: w.source(kind),
        now: at(WEDNESDAY),
        gpPractices: true,
      });
      equal(result.run.outcome, "success", "a quarantined record does not fail the run");
      deepEqual(result.run.quarantined, [{
        code: "Y99002",
        reason: "relationship RE4 to " + subIcbsOf(w.sim)[0] + " has no start date",
      }]);
      equal(await w.store.get("general_practice", "Y99002"), null);
      equal((await w.store.kv.get<{ gp: boolean }>(keys.quarantineKey("Y99002"))).value?.gp, true);
      equal((await w.store.get("general_practice", renamed))?.name, "STILL APPLIED SURGERY");
    } finally {
      await w.close();
    }
  });
}

Deno.test("ord: a quarantined practice is retried by the next run and applied once valid", async () => {
  const w = await syncWorld(TUESDAY, { gpPractices: PRACTICES });
  try {
    await runSync({ store: w.store, source: w.source(), now: at(TUESDAY), gpPractices: true });
    const code = practicesOf(w.sim)[2].OrgId.extension;
    w.sim.dataset.rename(code, "MALFORMED TODAY SURGERY", CHANGE_DAY);
    w.sim.clock.set(WEDNESDAY);
    const fault = w.sim.faults.add({
      path: `/ORD/2-0-0/organisations/${code}`,
      kind: "malformed",
      variant: "twoPrimaryRoles",
    });
    const first = await runSync({
      store: w.store,
      source: w.source(),
      now: at(WEDNESDAY),
      gpPractices: true,
    });
    deepEqual(first.run.quarantined.map((q) => q.code), [code]);
    w.sim.faults.remove(fault);
    w.sim.clock.set(THURSDAY);
    await runSync({ store: w.store, source: w.source(), now: at(THURSDAY), gpPractices: true });
    equal((await w.store.get("general_practice", code))?.name, "MALFORMED TODAY SURGERY");
    equal((await w.store.kv.get(keys.quarantineKey(code))).value, null);
  } finally {
    await w.close();
  }
});

Deno.test("ord: a practice ODS fails to serve fails the run: neither cursor moves", async () => {
  const w = await syncWorld(TUESDAY, { gpPractices: PRACTICES });
  try {
    await runSync({ store: w.store, source: w.source(), now: at(TUESDAY), gpPractices: true });
    const code = practicesOf(w.sim)[3].OrgId.extension;
    w.sim.dataset.rename(code, "UNREACHABLE SURGERY", CHANGE_DAY);
    w.sim.clock.set(WEDNESDAY);
    w.sim.faults.add({ path: `/ORD/2-0-0/organisations/${code}`, kind: "status", status: 503 });
    const result = await runSync({
      store: w.store,
      source: w.source(),
      now: at(WEDNESDAY),
      gpPractices: true,
    });
    equal(result.run.outcome, "failed");
    ok(result.run.errors.some((e) => e.startsWith(`${code}: `)), result.run.errors.join("; "));
    const state = await readSyncState(w.store);
    deepEqual([state.cursor, state.gp_cursor], ["2026-11-24", "2026-11-24"]);
  } finally {
    await w.close();
  }
});
