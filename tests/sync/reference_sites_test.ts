/**
 * The first run that reaches ODS creates the sites the 2024 PDU list names that the 2024
 * organisation list lacks (issue #12, item 1), against the simulator's seeded world.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { Hono } from "hono";
import * as keys from "../../lib/keys.ts";
import { registerSyncRoutes } from "../../lib/api/sync_routes.ts";
import { listReview } from "../../lib/sync/history.ts";
import { runSync } from "../../lib/sync/run.ts";
import { appFor } from "../api/helpers.ts";
import { at, syncWorld } from "./helpers.ts";

const TUESDAY = "2026-11-24T06:00:00Z";

/**
 * Each site, the trust its code names, the unit whose row names it (`data/seed.json`
 * `memberships.pdu`; the issue lists the first eight) and the OPEN UK network of that trust's
 * reference row (`memberships.openuk`).
 */
const SITES = [
  { code: "RALC7", trust: "RAL", pdu: "PZ014", network: "NTPEN" },
  { code: "RX1RA", trust: "RX1", pdu: "PZ042", network: "CEWT" },
  { code: "RJE09", trust: "RJE", pdu: "PZ065", network: "NWEIG" },
  { code: "RWP01", trust: "RWP", pdu: "PZ073", network: "BRPNF" },
  { code: "RWP31", trust: "RWP", pdu: "PZ084", network: "BRPNF" },
  { code: "RAE05", trust: "RAE", pdu: "PZ105", network: "YPEN" },
  { code: "R0B0Q", trust: "R0B", pdu: "PZ141", network: "PENNEC" },
  { code: "RXF10", trust: "RXF", pdu: "PZ226", network: "YPEN" },
  { code: "RGT2X", trust: "RGT", pdu: "PZ010", network: "EPEN" },
];

/** The units whose only sites those are (the list). */
const WITHOUT_ORGANISATION = [
  "PZ014",
  "PZ042",
  "PZ065",
  "PZ073",
  "PZ084",
  "PZ105",
  "PZ141",
  "PZ226",
];

for (const kind of ["ord", "fhir"] as const) {
  Deno.test(`${kind}: the first run creates each site the PDU list names under its trust, ICB and region`, async () => {
    const w = await syncWorld(TUESDAY);
    try {
      const result = await runSync({ store: w.store, source: w.source(kind), now: at(TUESDAY) });
      equal(result.run.outcome, "success");
      for (const s of SITES) {
        const org = await w.store.get("organisation", s.code);
        ok(org, `${s.code} created`);
        const trust = await w.store.get("trust", s.trust);
        const icb = await w.store.get("integrated_care_board", trust!.integrated_care_board_code!);
        equal(org.trust_code, s.trust, s.code);
        equal(org.integrated_care_board_code, trust!.integrated_care_board_code, s.code);
        equal(org.nhs_england_region_code, icb!.nhs_england_region_code, s.code);
        equal(org.country_code, "E92000001", s.code);
        equal(org.source, "ods", s.code);
      }
    } finally {
      await w.close();
    }
  });
}

Deno.test("a created site joins the unit whose row names it", async () => {
  const w = await syncWorld(TUESDAY);
  try {
    await runSync({ store: w.store, source: w.source(), now: at(TUESDAY) });
    for (const s of SITES) {
      const org = await w.store.get("organisation", s.code);
      equal(org?.paediatric_diabetes_unit_code, s.pdu, s.code);
    }
  } finally {
    await w.close();
  }
});

Deno.test("a created site joins its trust's OPEN UK network", async () => {
  const w = await syncWorld(TUESDAY);
  try {
    await runSync({ store: w.store, source: w.source(), now: at(TUESDAY) });
    for (const s of SITES) {
      const org = await w.store.get("organisation", s.code);
      equal(org?.openuk_network_code, s.network, s.code);
    }
  } finally {
    await w.close();
  }
});

Deno.test("each created site goes on the review list once; a later run neither re-creates nor re-reviews it", async () => {
  const w = await syncWorld(TUESDAY);
  try {
    await runSync({ store: w.store, source: w.source(), now: at(TUESDAY) });
    const items = (await listReview(w.store)).filter((i) => i.reason === "new_site");
    deepEqual(items.map((i) => i.code).sort(), SITES.map((s) => s.code).sort());
    const ralc7 = items.find((i) => i.code === "RALC7")!;
    equal(ralc7.facts.pdu, "PZ014");
    equal(ralc7.facts.network, "NTPEN");

    const again = await runSync({
      store: w.store,
      source: w.source(),
      request: "full",
      now: at(TUESDAY),
    });
    equal(again.run.outcome, "success");
    equal(again.run.created, 0);
    equal((await listReview(w.store)).filter((i) => i.reason === "new_site").length, SITES.length);
    equal((await w.store.history("organisation", "RALC7")).length, 1);
  } finally {
    await w.close();
  }
});

Deno.test("a site the PDU list names is not created again once a maintainer deleted it", async () => {
  const w = await syncWorld(TUESDAY);
  try {
    // As `deno task merge -o RALC7 --delete` leaves it.
    await w.store.kv.set(keys.tombstoneKey("organisation", "RALC7"), {
      record: { ods_code: "RALC7" },
      deleted_at: "2026-11-20T10:00:00.000Z",
      run_id: "merge-1",
    });
    await runSync({ store: w.store, source: w.source(), now: at(TUESDAY) });
    equal(await w.store.get("organisation", "RALC7"), null);
    ok(await w.store.get("organisation", "RX1RA"), "the others are created");
  } finally {
    await w.close();
  }
});

Deno.test('a created site without a telephone number in ODS has telephone ""', async () => {
  const w = await syncWorld(TUESDAY);
  try {
    await runSync({ store: w.store, source: w.source(), now: at(TUESDAY) });
    equal((await w.store.get("organisation", "RALC7"))?.telephone, "");
  } finally {
    await w.close();
  }
});

Deno.test("/sync/status lists the PDUs without an organisation until the first run creates their sites", async () => {
  const w = await syncWorld(TUESDAY);
  const app = new Hono();
  registerSyncRoutes(app, { store: w.store, adminToken: null, createSource: () => w.source() });
  const status = async () => (await (await app.request("/sync/status")).json());
  try {
    deepEqual((await status()).pdus_without_organisation, WITHOUT_ORGANISATION);
    await runSync({ store: w.store, source: w.source(), now: at(TUESDAY) });
    deepEqual((await status()).pdus_without_organisation, []);
  } finally {
    await w.close();
  }
});

Deno.test("after the first run every unit of /paediatric_diabetes_units/parent/ has its organisation and parent", async () => {
  const w = await syncWorld(TUESDAY);
  try {
    await runSync({ store: w.store, source: w.source(), now: at(TUESDAY) });
    const res = await appFor(w.store).request("/paediatric_diabetes_units/parent/");
    const units = await res.json() as {
      pz_code: string;
      primary_organisation: { ods_code: string } | null;
      parent: { ods_code: string } | null;
    }[];
    equal(units.length, w.seed.records.paediatric_diabetes_unit.length, "no unit left out");
    for (const u of units) {
      ok(u.primary_organisation?.ods_code, u.pz_code);
      if (u.pz_code === "PZ999") equal(u.parent, null, "the RCPCH's own unit");
      else ok(u.parent?.ods_code, u.pz_code);
    }
  } finally {
    await w.close();
  }
});
