import { deepEqual, equal, ok } from "node:assert/strict";
import { join } from "node:path";
import * as keys from "../lib/keys.ts";
import { type Kind, KIND_ORDER, type Organisation } from "../lib/model.ts";
import { isStoreEmpty, loadSeedFile, type SeedInfo, seedStore } from "../lib/seed.ts";
import { recordWrite, Store } from "../lib/store.ts";
import { buildSeed, DEFAULT_FROM, PROJECT_ROOT, serializeSeed } from "../scripts/build_seed.ts";
import { readInputs } from "../scripts/seed/reference.ts";
import { renderReport } from "../scripts/seed/report.ts";

const seed = loadSeedFile();
const orgs = new Map(seed.records.organisation.map((o) => [o.ods_code, o]));
const pdus = new Map(seed.records.paediatric_diabetes_unit.map((p) => [p.pz_code, p]));
const trustCodes = new Set(seed.records.trust.map((t) => t.ods_code));
const lhbCodes = new Set(seed.records.local_health_board.map((l) => l.ods_code));

Deno.test("data/seed.json", async (t) => {
  await t.step("has the stated counts", () => {
    const counts = Object.fromEntries(KIND_ORDER.map((k) => [k, seed.records[k].length]));
    deepEqual(counts, {
      country: 5,
      nhs_england_region: 7,
      integrated_care_board: 42,
      local_health_board: 7,
      trust: 242,
      london_borough: 33,
      paediatric_diabetes_network: 12,
      paediatric_diabetes_unit: 173,
      openuk_network: 15,
      organisation: 339,
    });
    equal(seed.memberships.pdu.length, 174);
    equal(seed.memberships.openuk.length, 160);
    equal(seed.memberships.trust_icb.length, 207);
    equal(seed.version, 1);
  });

  await t.step("records carry no updated_at and are sorted by key", () => {
    for (const kind of KIND_ORDER) {
      const list = seed.records[kind] as unknown as Record<string, unknown>[];
      for (const r of list) ok(!("updated_at" in r), `${kind} has updated_at`);
    }
    const codes = seed.records.organisation.map((o) => o.ods_code);
    deepEqual(codes, [...codes].sort());
  });

  await t.step("RGT01 resolves to RGT / QUE / Y61 / PZ041 (PN06) / EPEN / England", () => {
    const o = orgs.get("RGT01")!;
    equal(o.trust_code, "RGT");
    equal(o.local_health_board_code, null);
    equal(o.integrated_care_board_code, "QUE");
    equal(o.nhs_england_region_code, "Y61");
    equal(o.paediatric_diabetes_unit_code, "PZ041");
    equal(pdus.get("PZ041")!.paediatric_diabetes_network_code, "PN06");
    equal(o.openuk_network_code, "EPEN");
    equal(o.country_code, "E92000001");
    equal(o.source, "ods");
    equal(o.latitude, 52.17513275);
    equal(o.address2, "", "empty in the reference, stored as the original stored it");
    equal(o.active, true);
  });

  await t.step("Welsh sites hang off their LHB, with no trust, ICB or region", () => {
    for (const [code, lhb, pz] of [["7A4H1", "7A4", "PZ113"], ["7A3C7", "7A3", "PZ001"]]) {
      const o = orgs.get(code)!;
      equal(o.local_health_board_code, lhb);
      equal(o.trust_code, null);
      equal(o.integrated_care_board_code, null);
      equal(o.nhs_england_region_code, null);
      equal(o.country_code, "W92000004");
      equal(o.paediatric_diabetes_unit_code, pz);
    }
    equal(seed.records.organisation.filter((o) => o.local_health_board_code).length, 28);
  });

  await t.step("Jersey and RCPCH are curated; Jersey's country is JEY, RCPCH has none", () => {
    const jersey = orgs.get("RGT1W")!;
    equal(jersey.source, "curated");
    equal(jersey.trust_code, "RGT", "hangs off its reference parent, as in the original");
    equal(jersey.integrated_care_board_code, "QUE");
    equal(jersey.country_code, "JEY");
    equal(jersey.paediatric_diabetes_unit_code, "PZ248");
    const rcpch = orgs.get("8HV48")!;
    equal(rcpch.source, "curated");
    equal(rcpch.trust_code, null);
    equal(rcpch.country_code, null);
    const countries = seed.records.country.map((c) => c.boundary_identifier);
    ok(countries.includes("JEY"));
    ok(!countries.includes("E92000003"));
  });

  await t.step("London boroughs come from City LONDON + an E09 LocalAuthority", () => {
    const inLondon = seed.records.organisation.filter((o) => o.london_borough_code);
    equal(inLondon.length, 27);
    for (const o of inLondon) equal(o.city, "LONDON");
    equal(orgs.get("8HV48")!.london_borough_code, null, 'City "London": not compared as LONDON');
  });

  await t.step("trust/LHB PDU rows go only to children without their own PDU", () => {
    const direct = new Map<string, string>();
    for (const m of seed.memberships.pdu) {
      if (orgs.has(m.ods_code)) direct.set(m.ods_code, m.pz_code);
    }
    let parentRows = 0;
    for (const m of seed.memberships.pdu) {
      if (orgs.has(m.ods_code)) continue;
      if (!trustCodes.has(m.ods_code) && !lhbCodes.has(m.ods_code)) continue;
      parentRows++;
      const children = seed.records.organisation.filter((o) =>
        o.trust_code === m.ods_code || o.local_health_board_code === m.ods_code
      );
      ok(children.length > 0, m.ods_code);
      for (const c of children) {
        equal(c.paediatric_diabetes_unit_code, direct.get(c.ods_code) ?? m.pz_code, c.ods_code);
      }
    }
    equal(parentRows, 11);
    equal(orgs.get("RM325")!.paediatric_diabetes_unit_code, "PZ015"); // own row, not R0A's PZ136
    equal(orgs.get("R0A03")!.paediatric_diabetes_unit_code, "PZ136");
    equal(orgs.get("RM301")!.paediatric_diabetes_unit_code, "PZ231"); // own row, not RM3's PZ206
    equal(orgs.get("7A2AJ")!.paediatric_diabetes_unit_code, "PZ244"); // LHB row
  });

  await t.step("every unresolved row is listed with a reason", () => {
    const listed = new Set(seed.unresolved.map((u) => `${u.kind} ${u.code} ${u.value}`));
    const missingPdu = seed.memberships.pdu.filter((m) =>
      !orgs.has(m.ods_code) && !trustCodes.has(m.ods_code) && !lhbCodes.has(m.ods_code)
    );
    equal(missingPdu.length, 9);
    for (const m of missingPdu) {
      ok(listed.has(`pdu_membership ${m.ods_code} ${m.pz_code}`), m.ods_code);
    }
    // Organisations with no parent, ICB or OPEN UK network are listed unless curated.
    for (const o of seed.records.organisation) {
      if (o.source === "curated") continue;
      ok(o.trust_code || o.local_health_board_code, `${o.ods_code} has no parent`);
      if (o.trust_code) ok(o.integrated_care_board_code, `${o.ods_code} has no ICB`);
      if (!o.openuk_network_code) ok(listed.has(`organisation_openuk ${o.ods_code} 7A7`));
    }
    // PDU network codes all exist.
    const pns = new Set(seed.records.paediatric_diabetes_network.map((n) => n.pn_code));
    for (const p of seed.records.paediatric_diabetes_unit) {
      const n = p.paediatric_diabetes_network_code;
      ok(n === null || pns.has(n), p.pz_code);
    }
    deepEqual(seed.unresolved.map((u) => u.code).sort(), [
      "7A7BM",
      "R0B0Q",
      "RAE05",
      "RALC7",
      "RGT2X",
      "RJE09",
      "RWP01",
      "RWP31",
      "RX1RA",
      "RXF10",
    ]);
    for (const u of seed.unresolved) ok(u.reason.length > 10);
  });

  await t.step({
    name: "is what build_seed produces from the in-repo reference lists (data/reference/)",
    fn: async () => {
      const result = buildSeed(await readInputs(DEFAULT_FROM));
      deepEqual(result.seed, seed);
      equal(
        serializeSeed(result.seed),
        await Deno.readTextFile(join(PROJECT_ROOT, "data/seed.json")),
        "data/seed.json is stale: run deno task build-seed",
      );
      equal(
        renderReport(result),
        await Deno.readTextFile(join(PROJECT_ROOT, "data/seed-report.md")),
        "data/seed-report.md is stale: run deno task build-seed",
      );
    },
  });
});

/** Versionstamps of every record and of the seed marker. */
async function stamps(store: Store): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const kind of KIND_ORDER) {
    for await (const e of store.kv.list({ prefix: keys.recordPrefix(kind) })) {
      out.set(JSON.stringify(e.key), e.versionstamp);
    }
  }
  const info = await store.kv.get(keys.seedInfoKey);
  out.set("seed", info.versionstamp ?? "none");
  return out;
}

function total(counts: Record<Kind, number>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

Deno.test("seedStore into a KV file", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "seed_test_" });
  const store = await Store.open(join(dir, "kv.sqlite3"));
  const all = total(Object.fromEntries(
    KIND_ORDER.map((k) => [k, seed.records[k].length]),
  ) as Record<Kind, number>);
  try {
    await t.step("creates every record and the seed marker", async () => {
      ok(await isStoreEmpty(store));
      const r = await seedStore(store, seed, { runId: "seed-1", time: "2026-01-01T00:00:00Z" });
      equal(r.changes, all);
      equal(r.skipped, 0);
      deepEqual(r.created, await store.counts());
      ok(!(await isStoreEmpty(store)));
      const o = await store.get("organisation", "RGT01");
      equal(o?.updated_at, "2026-01-01T00:00:00Z");
      equal(o?.trust_code, "RGT");
      const rgt = await store.codesBy("organisation", "trust_code", "RGT");
      ok(rgt.includes("RGT01"));
      ok(rgt.includes("RGT1W"), "Jersey General Hospital hangs off RGT, as in the original");
      const history = await store.history("organisation", "RGT01");
      equal(history.length, 1);
      equal(history[0].cause, "seed");
      equal(history[0].op, "create");
      const info = (await store.kv.get<SeedInfo>(keys.seedInfoKey)).value;
      equal(info?.version, 1);
      equal(info?.loaded_at, "2026-01-01T00:00:00Z");
      equal(info?.counts.organisation, 339);
    });

    await t.step("a second run makes no changes and leaves versionstamps alone", async () => {
      const before = await stamps(store);
      const r = await seedStore(store, seed, { time: "2026-01-02T00:00:00Z" });
      equal(r.changes, 0);
      equal(total(r.created), 0);
      equal(r.skipped, all);
      deepEqual(await stamps(store), before);
    });

    await t.step("a tombstoned record is not recreated", async () => {
      const current = await store.get("organisation", "RGT01");
      ok(current);
      await store.write([{
        writes: [recordWrite("organisation", "RGT01", () => null)],
        extra: () => ({ set: [[keys.tombstoneKey("organisation", "RGT01"), current]] }),
      }], { cause: "merge", runId: "delete-1" });
      equal(await store.get("organisation", "RGT01"), null);
      const r = await seedStore(store, seed);
      equal(r.changes, 0);
      equal(await store.get("organisation", "RGT01"), null);
    });

    await t.step("an existing, changed record is not overwritten", async () => {
      await store.write([{
        writes: [
          recordWrite(
            "organisation",
            "7A4H1",
            (o: Organisation | null) => o ? { ...o, name: "RENAMED BY SYNC" } : undefined,
          ),
        ],
      }], { cause: "sync", runId: "sync-1" });
      const r = await seedStore(store, seed);
      equal(r.changes, 0);
      equal((await store.get("organisation", "7A4H1"))?.name, "RENAMED BY SYNC");
    });

    await t.step("a missing record is filled in on the next run", async () => {
      await store.write([{
        writes: [recordWrite("paediatric_diabetes_unit", "PZ001", () => null)],
      }], { cause: "merge", runId: "delete-2" });
      const r = await seedStore(store, seed);
      equal(r.changes, 1);
      equal(r.created.paediatric_diabetes_unit, 1);
      equal((await store.get("paediatric_diabetes_unit", "PZ001"))?.source, "curated");
    });
  } finally {
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno task seed on a store file that is no Deno KV database exits 5 naming it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "seed-cli-" });
  try {
    await Deno.writeTextFile(`${dir}/store.sqlite`, "not a database\n");
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "scripts/seed.ts", "--kv", `${dir}/store.sqlite`],
      cwd: PROJECT_ROOT,
      stdout: "null",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    equal(out.code, 5, stderr);
    ok(stderr.includes("not a Deno KV database"), stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
