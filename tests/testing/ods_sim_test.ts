/**
 * Tests of the offline ODS simulator over real HTTP (each test starts its own server on port 0).
 */

import assert from "node:assert/strict";
import { SimClock } from "../../testing/ods_sim/clock.ts";
import { simulateChangeDay } from "../../testing/ods_sim/change_day.ts";
import { OdsDataset } from "../../testing/ods_sim/dataset.ts";
import { MALFORMED_VARIANTS } from "../../testing/ods_sim/faults.ts";
import { SIM_SUCCESSION_EXT, SIM_TARGET_ROLE_EXT } from "../../testing/ods_sim/fhir_resources.ts";
import { generateNational } from "../../testing/ods_sim/national.ts";
import type { OrdOrganisation } from "../../testing/ods_sim/ord_types.ts";
import { simulatedOrdRecord } from "../../testing/ods_sim/record.ts";
import { sampleRJY, sampleRVVKC, sampleRWR } from "../../testing/ods_sim/samples.ts";
import {
  type OdsSimulator,
  type OdsSimulatorOptions,
  startOdsSimulator,
} from "../../testing/ods_sim/server.ts";

const NOW = "2025-06-10T09:00:00Z"; // Tuesday 10:00 BST; today = 2025-06-10
const SAMPLES = new URL("../../testdata/ods/", import.meta.url);

interface Got {
  status: number;
  headers: Headers;
  text: string;
}

async function get(url: string, init?: RequestInit): Promise<Got> {
  const res = await fetch(url, init);
  return { status: res.status, headers: res.headers, text: await res.text() };
}

async function getJson(
  url: string,
  init?: RequestInit,
): Promise<{ status: number; headers: Headers; body: unknown }> {
  const g = await get(url, init);
  return { status: g.status, headers: g.headers, body: g.text ? JSON.parse(g.text) : undefined };
}

function obj(v: unknown): Record<string, unknown> {
  assert.ok(
    typeof v === "object" && v !== null && !Array.isArray(v),
    `not an object: ${JSON.stringify(v)}`,
  );
  return v as Record<string, unknown>;
}

function arr(v: unknown): unknown[] {
  assert.ok(Array.isArray(v), `not an array: ${JSON.stringify(v)}`);
  return v;
}

async function withSim(
  opts: OdsSimulatorOptions,
  fn: (sim: OdsSimulator) => Promise<void>,
): Promise<void> {
  const sim = await startOdsSimulator({ now: NOW, ...opts });
  try {
    await fn(sim);
  } finally {
    await sim.close();
  }
}

async function orgOf(sim: OdsSimulator, code: string): Promise<OrdOrganisation> {
  const r = await getJson(`${sim.ordBaseUrl}/organisations/${code}`);
  assert.equal(r.status, 200);
  return obj(r.body).Organisation as OrdOrganisation;
}

async function syncCodes(sim: OdsSimulator, date: string): Promise<string[]> {
  const r = await getJson(`${sim.ordBaseUrl}/sync?LastChangeDate=${date}`);
  assert.equal(r.status, 200);
  return arr(obj(r.body).Organisations ?? []).map((o) =>
    String(obj(o).OrgLink).split("/").pop() ?? ""
  );
}

Deno.test("ORD organisation endpoint serves the real RVVKC, RWR and RJY samples exactly", async (t) => {
  await withSim({}, async (sim) => {
    for (const code of ["RVVKC", "RWR", "RJY"]) {
      await t.step(`${code} deep-equals the captured record, same key order`, async () => {
        const expected = JSON.parse(
          await Deno.readTextFile(new URL(`${code}.json`, SAMPLES)),
        );
        const g = await get(`${sim.ordBaseUrl}/organisations/${code}`);
        assert.equal(g.status, 200);
        assert.match(g.headers.get("content-type") ?? "", /application\/json/);
        assert.deepEqual(JSON.parse(g.text), expected);
        assert.equal(g.text, JSON.stringify(expected));
      });
    }
    await t.step("sample builders equal the files", async () => {
      for (
        const [code, fn] of [["RVVKC", sampleRVVKC], ["RWR", sampleRWR], [
          "RJY",
          sampleRJY,
        ]] as const
      ) {
        const expected = JSON.parse(
          await Deno.readTextFile(new URL(`${code}.json`, SAMPLES)),
        );
        assert.deepEqual({ Organisation: fn() }, expected);
      }
    });
    await t.step("lookup is case-insensitive", async () => {
      assert.equal((await orgOf(sim, "rvvkc")).OrgId.extension, "RVVKC");
    });
    await t.step("unknown code is 404 with the ORD error body", async () => {
      const r = await getJson(`${sim.ordBaseUrl}/organisations/ZZZ99`);
      assert.equal(r.status, 404);
      assert.deepEqual(r.body, { errorCode: 404, errorText: "Not Found" });
    });
    await t.step(
      "fixture hierarchy: site→trust RE6, trust→ICB RE5, ICB RO261+RO318→region RE5",
      async () => {
        const rvv = await orgOf(sim, "RVV");
        const re5 = rvv.Rels?.Rel.find((r) => r.id === "RE5" && r.Status === "Active");
        assert.equal(re5?.Target.OrgId.extension, "QKS");
        assert.equal(re5?.Target.PrimaryRoleId.id, "RO261");
        const qks = await orgOf(sim, "QKS");
        assert.deepEqual(qks.Roles.Role.map((r) => [r.id, r.primaryRole ?? false]), [[
          "RO261",
          true,
        ], ["RO318", false]]);
        assert.equal(qks.Rels?.Rel[0].Target.PrimaryRoleId.id, "RO209");
        assert.equal((await orgOf(sim, "Y59")).Roles.Role[0].id, "RO209");
        const lhb = await orgOf(sim, "7A1");
        assert.equal(lhb.Roles.Role[0].id, "RO144");
        const wsite = await orgOf(sim, "7A1A4");
        assert.equal(wsite.Rels?.Rel[0].id, "RE6");
        assert.equal(wsite.Rels?.Rel[0].Target.OrgId.extension, "7A1");
        const gp = await orgOf(sim, "G81086");
        assert.deepEqual(gp.Roles.Role.map((r) => r.id), ["RO177", "RO76"]);
        const rza = await orgOf(sim, "RZA");
        assert.equal(rza.Status, "Inactive");
        assert.equal(rza.Succs?.Succ[0].Type, "Successor");
        assert.equal((await orgOf(sim, "RZB")).Succs?.Succ[0].Type, "Predecessor");
        const rzc = await orgOf(sim, "RZC");
        assert.equal(rzc.Status, "Active");
        assert.equal(rzc.Date[0].End, "2025-06-17");
      },
    );
  });
});

Deno.test("Welsh LHB role code is configurable", async () => {
  await withSim({ lhbRole: "RO142" }, async (sim) => {
    assert.equal((await orgOf(sim, "7A1")).Roles.Role[0].id, "RO142");
    assert.equal((await orgOf(sim, "7A1A4")).Rels?.Rel[0].Target.PrimaryRoleId.id, "RO142");
  });
});

Deno.test("ORD sync is inclusive, windowed to 185 days and tolerant shapes for empty days", async (t) => {
  await withSim({}, async (sim) => {
    await t.step("LastChangeDate equal to the record's date is included (>=)", async () => {
      const r = await getJson(`${sim.ordBaseUrl}/sync?LastChangeDate=2025-05-11`);
      assert.equal(r.status, 200);
      assert.equal(r.headers.get("x-total-count"), "4");
      assert.deepEqual(r.body, {
        Organisations: ["RZA", "RZB", "RZC", "RZC01"].map((c) => ({
          OrgLink: `${sim.ordBaseUrl}/organisations/${c}`,
        })),
      });
    });
    await t.step('empty day is {"Organisations":[]} with X-Total-Count 0', async () => {
      const g = await get(`${sim.ordBaseUrl}/sync?LastChangeDate=2025-05-12`);
      assert.equal(g.status, 200);
      assert.equal(g.text, '{"Organisations":[]}');
      assert.equal(g.headers.get("x-total-count"), "0");
    });
    await t.step("future date is 200 and empty", async () => {
      assert.deepEqual(await syncCodes(sim, "2025-07-01"), []);
    });
    await t.step("missing and invalid dates are 406", async () => {
      assert.equal((await get(`${sim.ordBaseUrl}/sync`)).status, 406);
      assert.equal((await get(`${sim.ordBaseUrl}/sync?LastChangeDate=2025-02-30`)).status, 406);
      assert.equal((await get(`${sim.ordBaseUrl}/sync?LastChangeDate=20250601`)).status, 406);
    });
    await t.step("185 days back is accepted, 186 is 406", async () => {
      assert.equal((await get(`${sim.ordBaseUrl}/sync?LastChangeDate=2024-12-07`)).status, 200);
      assert.equal((await get(`${sim.ordBaseUrl}/sync?LastChangeDate=2024-12-06`)).status, 406);
    });
    await t.step("empty shape switchable to {}", async () => {
      sim.ord.emptySyncShape = "object";
      assert.equal((await get(`${sim.ordBaseUrl}/sync?LastChangeDate=2025-05-12`)).text, "{}");
    });
  });
});

Deno.test("changes are invisible until the next publication after the change day", async (t) => {
  await withSim({}, async (sim) => {
    sim.dataset.rename("RVVKC", "KENT AND CANTERBURY HOSPITAL");
    await t.step("same day: not visible", async () => {
      assert.equal((await orgOf(sim, "RVVKC")).Name, "KENT & CANTERBURY HOSPITAL");
      assert.deepEqual(await syncCodes(sim, "2025-06-10"), []);
    });
    await t.step("next day 02:29 UK: still not visible", async () => {
      sim.clock.setLondon("2025-06-11", "02:29");
      assert.equal((await orgOf(sim, "RVVKC")).Name, "KENT & CANTERBURY HOSPITAL");
    });
    await t.step("next day 02:31 UK: visible with LastChangeDate = change day", async () => {
      sim.clock.setLondon("2025-06-11", "02:31");
      const org = await orgOf(sim, "RVVKC");
      assert.equal(org.Name, "KENT AND CANTERBURY HOSPITAL");
      assert.equal(org.LastChangeDate, "2025-06-10");
      assert.deepEqual(await syncCodes(sim, "2025-06-10"), ["RVVKC"]);
      assert.equal(sim.dataset.history.at(-1)?.publishedOn, "2025-06-11");
    });
  });
});

Deno.test("failed assurance delays publication until the delayUntil instant", async () => {
  await withSim({ clock: { delayUntil: "2025-06-13T12:00:00Z" } }, async (sim) => {
    sim.dataset.rename("RWR", "RENAMED TRUST");
    for (const at of ["2025-06-11T03:00:00Z", "2025-06-12T03:00:00Z", "2025-06-13T11:59:00Z"]) {
      sim.clock.set(at);
      assert.equal(
        (await orgOf(sim, "RWR")).Name,
        "HERTFORDSHIRE PARTNERSHIP UNIVERSITY NHS FOUNDATION TRUST",
        at,
      );
    }
    sim.clock.set("2025-06-13T12:01:00Z");
    assert.equal((await orgOf(sim, "RWR")).Name, "RENAMED TRUST");
    assert.equal(sim.dataset.lastPublishedDay, "2025-06-13");
  });
});

Deno.test("working-days calendar publishes Tue–Sat only", async () => {
  // Saturday 2025-06-14 10:00 BST.
  await withSim(
    { now: "2025-06-14T09:00:00Z", clock: { calendar: "workingDays" } },
    async (sim) => {
      sim.dataset.rename("RWR", "WEEKEND CHANGE");
      for (const day of ["2025-06-15", "2025-06-16"]) {
        sim.clock.setLondon(day, "03:00");
        assert.notEqual((await orgOf(sim, "RWR")).Name, "WEEKEND CHANGE", day);
      }
      sim.clock.setLondon("2025-06-17", "03:00");
      assert.equal((await orgOf(sim, "RWR")).Name, "WEEKEND CHANGE");
    },
  );
});

Deno.test("clock calendar: skip dates, weekdays, bank holidays and London time", () => {
  const clock = new SimClock({
    now: "2025-12-24T12:00:00Z",
    skipDates: ["2025-12-27"],
    skipWeekdays: [0],
  });
  clock.set("2025-12-29T12:00:00Z");
  // 25th, 26th published; 27th skipped; 28th is a Sunday.
  assert.deepEqual(clock.duePublications("2025-12-24"), ["2025-12-25", "2025-12-26", "2025-12-29"]);
  clock.configure({ skipBankHolidays: true });
  assert.deepEqual(clock.duePublications("2025-12-24"), ["2025-12-29"]);
  // Winter: 02:30 London = 02:30Z; summer: 01:30Z.
  assert.equal(clock.publicationInstant("2025-01-15").toISOString(), "2025-01-15T02:30:00.000Z");
  assert.equal(clock.publicationInstant("2025-07-15").toISOString(), "2025-07-15T01:30:00.000Z");
  clock.set("2025-06-10T23:30:00Z");
  assert.equal(clock.today(), "2025-06-11");
});

Deno.test("future date checker flips status and stamps LastChangeDate on the publish date", async (t) => {
  await withSim({}, async (sim) => {
    await t.step("trust with future End becomes Inactive on its End date", async () => {
      sim.clock.setLondon("2025-06-16", "03:00");
      assert.equal((await orgOf(sim, "RZC")).Status, "Active");
      sim.clock.setLondon("2025-06-17", "03:00");
      const rzc = await orgOf(sim, "RZC");
      assert.equal(rzc.Status, "Inactive");
      assert.equal(rzc.LastChangeDate, "2025-06-17");
      assert.equal(rzc.Roles.Role[0].Status, "Inactive");
      assert.ok((await syncCodes(sim, "2025-06-17")).includes("RZC"));
    });
    await t.step("future-dated reparent activates the new RE6 on its start date", async () => {
      sim.dataset.reparent("RVVKC", "RZB", "2025-06-17", { effective: "2025-06-20" });
      sim.clock.setLondon("2025-06-18", "03:00");
      let site = await orgOf(sim, "RVVKC");
      const fresh = () => site.Rels?.Rel.find((r) => r.Target.OrgId.extension === "RZB");
      assert.equal(fresh()?.Status, "Inactive");
      assert.equal(site.LastChangeDate, "2025-06-17");
      sim.clock.setLondon("2025-06-20", "03:00");
      site = await orgOf(sim, "RVVKC");
      assert.equal(fresh()?.Status, "Active");
      assert.equal(site.LastChangeDate, "2025-06-20");
      const old = site.Rels?.Rel.find((r) => r.Target.OrgId.extension === "RVV");
      assert.equal(old?.Status, "Inactive");
      assert.equal(old?.Date[0].End, "2025-06-19");
    });
  });
});

Deno.test("mutation helpers produce real-shaped changes", async (t) => {
  await withSim({}, async (sim) => {
    const ds = sim.dataset;
    ds.reparent("RVVKC", "RZB", "2025-06-09");
    ds.setIcb("RVV", "QM7", "2025-06-09");
    ds.close("RWR", "2025-06-08", { successor: "RZB", on: "2025-06-09" });
    ds.setAddress("RJY", {
      AddrLn1: "NEW ROAD",
      Town: "WIGAN",
      PostCode: "WN1 1AA",
      Country: "ENGLAND",
    }, "2025-06-09");
    ds.setContacts("RVV", [{ type: "tel", value: "01227 000000" }], "2025-06-09");
    sim.publish();
    await t.step("reparent ends the old RE6 and adds an active one", async () => {
      const rels = (await orgOf(sim, "RVVKC")).Rels?.Rel ?? [];
      assert.deepEqual(
        rels.map((r) => [r.Target.OrgId.extension, r.Status, r.Date[0].End ?? null]),
        [
          ["RVV", "Inactive", "2025-06-08"],
          ["RZB", "Active", null],
        ],
      );
      assert.equal(rels[1].Target.PrimaryRoleId.id, "RO197");
    });
    await t.step("setIcb switches the active RE5 target", async () => {
      const rels = (await orgOf(sim, "RVV")).Rels?.Rel ?? [];
      const active = rels.filter((r) => r.id === "RE5" && r.Status === "Active");
      assert.deepEqual(active.map((r) => [r.Target.OrgId.extension, r.Target.PrimaryRoleId]), [
        ["QM7", { id: "RO261", uniqueRoleId: 300786 }],
      ]);
    });
    await t.step("close sets Inactive + End and links successor both ways", async () => {
      const rwr = await orgOf(sim, "RWR");
      assert.equal(rwr.Status, "Inactive");
      assert.equal(rwr.Date[0].End, "2025-06-08");
      assert.equal(rwr.LastChangeDate, "2025-06-09");
      assert.deepEqual(rwr.Succs?.Succ.at(-1)?.Type, "Successor");
      assert.equal(rwr.Succs?.Succ.at(-1)?.Target.OrgId.extension, "RZB");
      const rzb = await orgOf(sim, "RZB");
      assert.ok(
        rzb.Succs?.Succ.some((s) => s.Type === "Predecessor" && s.Target.OrgId.extension === "RWR"),
      );
    });
    await t.step("address and contacts replaced", async () => {
      assert.equal((await orgOf(sim, "RJY")).GeoLoc?.Location.AddrLn1, "NEW ROAD");
      assert.deepEqual((await orgOf(sim, "RVV")).Contacts?.Contact, [{
        type: "tel",
        value: "01227 000000",
      }]);
    });
    await t.step("sync from the change day lists every changed code once", async () => {
      assert.deepEqual(await syncCodes(sim, "2025-06-09"), ["RJY", "RVV", "RVVKC", "RWR", "RZB"]);
    });
  });
});

Deno.test("deleted records 404, vanish from sync and appear in notifications and FHIR deletion list", async () => {
  await withSim({}, async (sim) => {
    sim.dataset.delete("RZC01", "2025-06-09");
    sim.dataset.addRecord(simulatedOrdRecord({
      code: "NEW01",
      name: "NEW SITE",
      primaryRole: "RO198",
      start: "2025-06-01",
      lastChangeDate: "2025-06-09",
    }));
    assert.equal((await get(`${sim.ordBaseUrl}/organisations/RZC01`)).status, 200);
    sim.publish();
    assert.equal((await get(`${sim.ordBaseUrl}/organisations/RZC01`)).status, 404);
    assert.equal((await orgOf(sim, "NEW01")).orgRecordClass, "RC2");
    assert.ok(!(await syncCodes(sim, "2025-05-11")).includes("RZC01"));
    const n = await getJson(`${sim.ordBaseUrl}/notifications`);
    assert.deepEqual(n.body, {
      DeletedOrganisations: [{
        OrgID: "RZC01",
        PrimaryRoleId: "RO198",
        reason: { code: 3, description: "HUMAN ERROR" },
        time: "2025-06-09 00:00:00",
        type: { code: 1, description: "Machine" },
      }],
    });
    const list = obj((await getJson(`${sim.fhirBaseUrl}/List/Organization-deletion`)).body);
    assert.equal(list.resourceType, "List");
    assert.deepEqual(list.entry, [{
      date: "2025-06-09T00:00:00+00:00",
      item: {
        type: "Organization",
        identifier: { system: "https://fhir.nhs.uk/Id/ods-organization-code", value: "RZC01" },
      },
    }]);
  });
});

Deno.test("ORD search filters and pages with X-Total-Count, Returned-Records and Next-Page", async (t) => {
  await withSim({}, async (sim) => {
    await t.step("following Next-Page collects X-Total-Count records", async () => {
      let next: string | null = `${sim.ordBaseUrl}/organisations?Roles=RO197,RO198&Limit=2`;
      const seen: string[] = [];
      let total = -1;
      while (next) {
        const r = await getJson(next);
        assert.equal(r.status, 200);
        total = Number(r.headers.get("x-total-count"));
        const page = arr(obj(r.body).Organisations);
        assert.equal(r.headers.get("returned-records"), String(page.length));
        seen.push(...page.map((o) => String(obj(o).OrgId)));
        next = r.headers.get("next-page");
      }
      assert.equal(seen.length, total);
      assert.deepEqual(seen, ["RJY", "RVV", "RVVKC", "RWR", "RZA", "RZB", "RZC", "RZC01"]);
    });
    await t.step("summary items have the real §1.2 shape", async () => {
      const r = await getJson(`${sim.ordBaseUrl}/organisations?Name=hertfordshire partnership`);
      assert.deepEqual(obj(r.body).Organisations, [{
        Name: "HERTFORDSHIRE PARTNERSHIP UNIVERSITY NHS FOUNDATION TRUST",
        OrgId: "RWR",
        Status: "Active",
        OrgRecordClass: "RC1",
        PostCode: "AL10 8YE",
        LastChangeDate: "2020-04-06",
        PrimaryRoleId: "RO197",
        PrimaryRoleDescription: "NHS TRUST",
        OrgLink: `${sim.ordBaseUrl}/organisations/RWR`,
      }]);
    });
    await t.step("default page is 20, Offset=0 and Limit>1000 are 406", async () => {
      assert.equal((await get(`${sim.ordBaseUrl}/organisations?Offset=0`)).status, 406);
      assert.equal((await get(`${sim.ordBaseUrl}/organisations?Limit=1001`)).status, 406);
      const r = await getJson(`${sim.ordBaseUrl}/organisations`);
      assert.equal(arr(obj(r.body).Organisations).length, Math.min(20, sim.dataset.size));
    });
    const codes = async (q: string) =>
      arr(obj((await getJson(`${sim.ordBaseUrl}/organisations?${q}`)).body).Organisations).map((
        o,
      ) => obj(o).OrgId);
    await t.step("role, status, class, postcode and relationship filters", async () => {
      assert.deepEqual(await codes("PrimaryRoleId=RO76"), []);
      assert.deepEqual(await codes("NonPrimaryRoleId=RO76"), ["G81086"]);
      assert.deepEqual(await codes("PrimaryRoleId=RO261"), ["QKS", "QM7"]);
      assert.deepEqual(await codes("Roles=RO197&Status=inactive"), ["RJY", "RZA"]);
      assert.deepEqual(await codes("OrgRecordClass=RC2&PostCode=CT1"), ["RVVKC"]);
      assert.deepEqual(await codes("PostCode=ct13ng"), ["RVV", "RVVKC"]);
      assert.deepEqual(await codes("RelTypeId=RE5&TargetOrgId=QKS&RelStatus=active"), [
        "RVV",
        "RZB",
      ]);
      assert.deepEqual(await codes("LastChangeDate=2025-05-11&Limit=100"), [
        "RZA",
        "RZB",
        "RZC",
        "RZC01",
      ]);
      assert.equal(
        (await get(`${sim.ordBaseUrl}/organisations?LastChangeDate=2020-01-01`)).status,
        406,
      );
    });
  });
});

Deno.test("ORD reference endpoints use the real shapes", async () => {
  await withSim({}, async (sim) => {
    const roles = obj((await getJson(`${sim.ordBaseUrl}/roles/RO197`)).body);
    assert.deepEqual(roles, {
      Roles: [{ id: "RO197", code: "197", displayName: "NHS TRUST", primaryRole: "true" }],
    });
    const all = arr(obj((await getJson(`${sim.ordBaseUrl}/roles`)).body).Roles);
    assert.ok(all.some((r) => obj(r).id === "RO318" && obj(r).primaryRole === "false"));
    assert.deepEqual((await getJson(`${sim.ordBaseUrl}/rels/RE6`)).body, {
      Relationships: [{ id: "RE6", code: "6", displayName: "IS OPERATED BY" }],
    });
    assert.deepEqual((await getJson(`${sim.ordBaseUrl}/recordclasses/RC2`)).body, {
      RecordClasses: [{ id: "RC2", code: "2", displayName: "HSCSite" }],
    });
    assert.equal((await get(`${sim.ordBaseUrl}/roles/RO1234`)).status, 404);
    assert.deepEqual((await getJson(`${sim.ordBaseUrl}/notifications`)).body, {
      DeletedOrganisations: [],
    });
  });
});

/** The ORD record equivalent of the real FHIR RR8 sample. */
function rr8(): OrdOrganisation {
  return {
    Name: "LEEDS TEACHING HOSPITALS NHS TRUST",
    Date: [{ Type: "Operational", Start: "1998-04-01" }, { Type: "Legal", Start: "1998-04-01" }],
    OrgId: {
      root: "2.16.840.1.113883.2.1.3.2.4.18.48",
      assigningAuthorityName: "HSCIC",
      extension: "RR8",
    },
    Status: "Active",
    LastChangeDate: "2023-11-14",
    orgRecordClass: "RC1",
    GeoLoc: {
      Location: {
        AddrLn1: "ST. JAMES'S UNIVERSITY HOSPITAL",
        AddrLn2: "BECKETT STREET",
        Town: "LEEDS",
        PostCode: "LS9 7TF",
        Country: "ENGLAND",
        UPRN: 72016246,
      },
    },
    Contacts: {
      Contact: [{ type: "tel", value: "0113 243 3144" }, {
        type: "http",
        value: "HTTPS://WWW.LEEDSTH.NHS.UK/",
      }],
    },
    Roles: {
      Role: [{
        id: "RO197",
        uniqueRoleId: 37525,
        primaryRole: true,
        Date: [{ Type: "Operational", Start: "1998-04-01" }, {
          Type: "Legal",
          Start: "1998-04-01",
        }],
        Status: "Active",
      }],
    },
  };
}

Deno.test("FHIR Organization read matches the real RR8 resource", async (t) => {
  await withSim(
    { records: [rr8(), sampleRVVKC(), sampleRWR()], fhir: { apiKey: "k1" } },
    async (sim) => {
      const h = { headers: { apikey: "k1" } };
      await t.step("RR8 deep-equals the spec sample apart from load metadata", async () => {
        const expected = obj(
          JSON.parse(await Deno.readTextFile(new URL("fhir-Organization-RR8.json", SAMPLES))),
        );
        const r = await getJson(`${sim.fhirBaseUrl}/Organization/RR8`, h);
        assert.equal(r.status, 200);
        assert.match(r.headers.get("content-type") ?? "", /application\/fhir\+json/);
        const got = obj(r.body);
        const gotMeta = obj(got.meta);
        assert.deepEqual(gotMeta.profile, obj(expected.meta).profile);
        assert.deepEqual({ ...got, meta: null }, { ...expected, meta: null });
      });
      await t.step("successions are carried in the simulator succession extension", async () => {
        const res = obj((await getJson(`${sim.fhirBaseUrl}/Organization/RWR`, h)).body);
        const succ = arr(res.extension).map(obj).filter((e) => e.url === SIM_SUCCESSION_EXT);
        assert.equal(succ.length, 2);
        const parts = arr(succ[0].extension).map(obj);
        assert.deepEqual(parts.find((p) => p.url === "type")?.valueCode, "Predecessor");
        assert.deepEqual(obj(parts.find((p) => p.url === "target")?.valueIdentifier).value, "RQJ");
      });
      await t.step("unknown id is 404 OperationOutcome HAPI-2001", async () => {
        const r = await getJson(`${sim.fhirBaseUrl}/Organization/XXX1`, h);
        assert.equal(r.status, 404);
        const issue = obj(arr(obj(r.body).issue)[0]);
        assert.equal(obj(r.body).resourceType, "OperationOutcome");
        assert.equal(issue.diagnostics, "HAPI-2001: Resource Organization/XXX1 is not known");
      });
      await t.step("missing or wrong apikey is 401 with an empty body", async () => {
        for (const init of [undefined, { headers: { apikey: "nope" } }]) {
          const g = await get(`${sim.fhirBaseUrl}/Organization/RR8`, init);
          assert.equal(g.status, 401);
          assert.equal(g.text, "");
        }
      });
    },
  );
});

Deno.test("FHIR Organization search: lastChangeDate prefixes, identifiers, paging and _revinclude", async (t) => {
  await withSim({}, async (sim) => {
    const ids = async (q: string) => {
      const r = await getJson(`${sim.fhirBaseUrl}/Organization?${q}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const b = obj(r.body);
      return arr(b.entry ?? []).map(obj).filter((e) => obj(e.search).mode === "match").map((e) =>
        obj(e.resource).id
      );
    };
    await t.step("gt/lt compound, ge/le/eq and plain equality", async () => {
      assert.deepEqual(await ids("lastChangeDate=gt2025-05-10&lastChangeDate=lt2025-05-12"), [
        "RZA",
        "RZB",
        "RZC",
        "RZC01",
      ]);
      assert.deepEqual(await ids("lastChangeDate=2023-07-04"), ["QKS", "QM7"]);
      assert.deepEqual(await ids("lastChangeDate=eq2020-04-06"), ["RWR"]);
      assert.deepEqual(await ids("lastChangeDate=ge2023-08-22&lastChangeDate=le2023-08-22"), [
        "G81086",
      ]);
      assert.deepEqual(await ids("lastChangeDate=gt2025-05-11"), []);
    });
    await t.step("bad date is 400 HAPI-1940", async () => {
      const r = await getJson(`${sim.fhirBaseUrl}/Organization?lastChangeDate=gt2025-13-01`);
      assert.equal(r.status, 400);
      assert.match(String(obj(arr(obj(r.body).issue)[0]).diagnostics), /^HAPI-1940/);
    });
    await t.step("unknown search parameter is 400 HAPI-0524", async () => {
      const r = await getJson(`${sim.fhirBaseUrl}/Organization?count=2`);
      assert.equal(r.status, 400);
      assert.match(String(obj(arr(obj(r.body).issue)[0]).diagnostics), /^HAPI-0524/);
    });
    await t.step("identifier with system and comma-OR; _id comma-OR", async () => {
      assert.deepEqual(
        await ids("identifier=https://fhir.nhs.uk/Id/ods-organization-code|RWR,RJY"),
        ["RJY", "RWR"],
      );
      assert.deepEqual(await ids("_id=RVVKC,QKS"), ["QKS", "RVVKC"]);
    });
    await t.step("_count/_offset with link.next and total", async () => {
      let next: string | null = `${sim.fhirBaseUrl}/Organization?roleCode=RO197&_count=2`;
      const seen: unknown[] = [];
      let total = 0;
      while (next) {
        const b = obj((await getJson(next)).body);
        assert.equal(b.type, "searchset");
        total = Number(b.total);
        seen.push(...arr(b.entry ?? []).map((e) => obj(obj(e).resource).id));
        next = String(arr(b.link).map(obj).find((l) => l.relation === "next")?.url ?? "") || null;
      }
      assert.deepEqual(seen, ["RJY", "RVV", "RWR", "RZA", "RZB", "RZC"]);
      assert.equal(total, 6);
      const def = obj((await getJson(`${sim.fhirBaseUrl}/Organization`)).body);
      assert.equal(arr(def.entry).length, Math.min(20, sim.dataset.size));
    });
    await t.step("_revinclude adds the matched orgs' affiliations as include entries", async () => {
      const b = obj(
        (await getJson(
          `${sim.fhirBaseUrl}/Organization?_id=RVVKC&_revinclude=OrganizationAffiliation:primary-organization`,
        )).body,
      );
      const entries = arr(b.entry).map(obj);
      assert.deepEqual(entries.map((e) => obj(e.search).mode), ["match", "include"]);
      const aff = obj(entries[1].resource);
      assert.equal(aff.resourceType, "OrganizationAffiliation");
      assert.equal(aff.id, "15806");
      assert.equal(aff.active, true);
      assert.deepEqual(aff.period, { start: "1999-04-01" });
      assert.equal(obj(aff.organization).reference, "Organization/RVVKC");
      assert.equal(obj(aff.participatingOrganization).reference, "Organization/RVV");
      assert.deepEqual(obj(arr(aff.code)[0]).coding, [{
        system:
          "https://digital.nhs.uk/services/organisation-data-service/CodeSystem/ODSRelationship",
        code: "RE6",
        display: "IS OPERATED BY",
      }]);
      const role = arr(aff.extension).map(obj).find((e) => e.url === SIM_TARGET_ROLE_EXT);
      assert.equal(obj(role?.valueCoding).code, "RO197");
    });
  });
});

Deno.test("FHIR OrganizationAffiliation search by primary-organization with _include", async () => {
  await withSim({}, async (sim) => {
    const b = obj(
      (await getJson(
        `${sim.fhirBaseUrl}/OrganizationAffiliation?primary-organization=RWR&active=true&_include=OrganizationAffiliation:participating-organization`,
      )).body,
    );
    assert.equal(b.total, 1);
    const entries = arr(b.entry).map(obj);
    assert.equal(
      obj(obj(entries[0].resource).participatingOrganization).reference,
      "Organization/QM7",
    );
    assert.equal(obj(entries[1].resource).resourceType, "Organization");
    assert.equal(obj(entries[1].search).mode, "include");
    const all = obj(
      (await getJson(`${sim.fhirBaseUrl}/OrganizationAffiliation?primary-organization=RWR`)).body,
    );
    assert.equal(all.total, 7);
    const one = await getJson(`${sim.fhirBaseUrl}/OrganizationAffiliation/696688`);
    assert.equal(obj(one.body).id, "696688");
  });
});

Deno.test("FHIR rate limit (429) and response size cap (422 too-costly)", async () => {
  await withSim(
    { fhir: { rateLimit: { limit: 3, windowMs: 300_000 }, maxResponseBytes: 6000 } },
    async (sim) => {
      const one = await getJson(`${sim.fhirBaseUrl}/Organization?_count=1`);
      assert.equal(one.status, 200);
      const big = await getJson(`${sim.fhirBaseUrl}/Organization?_count=20`);
      assert.equal(big.status, 422);
      assert.deepEqual(big.body, {
        resourceType: "OperationOutcome",
        issue: [{
          severity: "error",
          code: "too-costly",
          details: { text: "Response exceeds APIM size limit" },
          diagnostics: "Response exceeds APIM size limit",
        }],
      });
      assert.equal((await get(`${sim.fhirBaseUrl}/Organization/RWR`)).status, 200);
      assert.equal((await get(`${sim.fhirBaseUrl}/Organization/RWR`)).status, 429);
    },
  );
});

Deno.test("fault injection", async (t) => {
  await withSim({}, async (sim) => {
    const sync = `${sim.ordBaseUrl}/sync?LastChangeDate=2025-05-11`;
    await t.step("429 with Retry-After on the 2nd call only", async () => {
      sim.faults.add({ path: "*/sync", nth: 2, kind: "status", status: 429, retryAfter: 7 });
      assert.equal((await get(sync)).status, 200);
      const g = await get(sync);
      assert.equal(g.status, 429);
      assert.equal(g.headers.get("retry-after"), "7");
      assert.equal((await get(sync)).status, 200);
      sim.faults.clear();
    });
    await t.step("5xx statuses", async () => {
      for (const status of [500, 502, 503, 504]) {
        const id = sim.faults.add({
          path: "/ORD/2-0-0/organisations/*",
          kind: "status",
          status,
          times: 1,
        });
        assert.equal((await get(`${sim.ordBaseUrl}/organisations/RWR`)).status, status);
        assert.equal((await get(`${sim.ordBaseUrl}/organisations/RWR`)).status, 200);
        sim.faults.remove(id);
      }
    });
    await t.step("connection reset aborts the body", async () => {
      sim.faults.add({ path: "*/sync", kind: "reset", afterBytes: 10, times: 1 });
      const res = await fetch(sync);
      await assert.rejects(res.text());
      assert.equal((await get(sync)).status, 200);
    });
    await t.step("slow response delays by at least ms", async () => {
      sim.faults.add({ path: "*/roles", kind: "delay", ms: 150, times: 1 });
      const t0 = performance.now();
      assert.equal((await get(`${sim.ordBaseUrl}/roles`)).status, 200);
      assert.ok(performance.now() - t0 >= 140);
    });
    await t.step("truncated JSON body", async () => {
      sim.faults.add({ path: "*/sync", kind: "truncate", times: 1 });
      const g = await get(sync);
      assert.equal(g.status, 200);
      assert.throws(() => JSON.parse(g.text));
    });
    await t.step("HTML error page with 200 and 502", async () => {
      for (const status of [200, 502]) {
        sim.faults.add({ path: "*/sync", kind: "html", status, times: 1 });
        const g = await get(sync);
        assert.equal(g.status, status);
        assert.match(g.headers.get("content-type") ?? "", /text\/html/);
        assert.match(g.text, /^<!DOCTYPE html>/);
      }
    });
    await t.step("malformed record variants", async () => {
      const fetchWith = async (variant: (typeof MALFORMED_VARIANTS)[number]) => {
        sim.faults.add({ path: "*/organisations/RWR", kind: "malformed", variant, times: 1 });
        return obj(obj((await getJson(`${sim.ordBaseUrl}/organisations/RWR`)).body).Organisation);
      };
      assert.equal((await fetchWith("missingRoles")).Roles, undefined);
      assert.equal((await fetchWith("missingGeoLoc")).GeoLoc, undefined);
      assert.equal((await fetchWith("missingContacts")).Contacts, undefined);
      assert.equal((await fetchWith("missingRels")).Rels, undefined);
      const two = arr(obj((await fetchWith("twoPrimaryRoles")).Roles).Role).filter((r) =>
        obj(r).primaryRole === true
      );
      assert.equal(two.length, 2);
      assert.ok(!Array.isArray(obj((await fetchWith("relBareObject")).Rels).Rel));
      const s = obj(arr(obj((await fetchWith("stringUniqueRoleId")).Roles).Role)[0]);
      assert.equal(typeof s.uniqueRoleId, "string");
      const u = obj(arr(obj((await fetchWith("unknownRoleCode")).Roles).Role)[0]);
      assert.equal(u.id, "RO999");
      assert.equal((await orgOf(sim, "RWR")).Roles.Role[0].id, "RO197");
    });
    await t.step("OrgLink to a code that 404s", async () => {
      sim.faults.add({ path: "*/sync", kind: "danglingOrgLink", code: "GONE1", times: 1 });
      const codes = await syncCodes(sim, "2025-05-11");
      assert.ok(codes.includes("GONE1"));
      assert.equal((await get(`${sim.ordBaseUrl}/organisations/GONE1`)).status, 404);
    });
    await t.step("duplicate OrgLinks", async () => {
      sim.faults.add({ path: "*/sync", kind: "duplicateOrgLinks", count: 1, times: 1 });
      assert.deepEqual(await syncCodes(sim, "2025-05-11"), ["RZA", "RZB", "RZC", "RZC01", "RZA"]);
    });
    await t.step("stale replica serves the prior published version", async () => {
      sim.dataset.rename("RJY", "NEWER NAME", "2025-06-09");
      sim.publish();
      sim.faults.add({ path: "*/organisations/RJY", kind: "stale", times: 1 });
      const stale = await orgOf(sim, "RJY");
      assert.equal(stale.Name, "WIGAN AND LEIGH HEALTH SERVICES NHS TRUST");
      assert.equal(stale.LastChangeDate, "2020-03-19");
      assert.equal((await orgOf(sim, "RJY")).Name, "NEWER NAME");
    });
    await t.step("probability faults are deterministic for a seed", async () => {
      const pattern = async () => {
        sim.faults.reset(99);
        sim.faults.add({ path: "*/rels", kind: "status", status: 503, probability: 0.5 });
        const out: number[] = [];
        for (let i = 0; i < 12; i++) out.push((await get(`${sim.ordBaseUrl}/rels`)).status);
        return out;
      };
      const a = await pattern();
      assert.deepEqual(await pattern(), a);
      assert.ok(a.includes(503) && a.includes(200));
      sim.faults.reset();
    });
    await t.step("global token bucket returns 429 when exceeded", async () => {
      sim.faults.rateLimit = { perSecond: 5 };
      const statuses = await Promise.all(
        Array.from({ length: 8 }, () => get(`${sim.ordBaseUrl}/rels`)),
      );
      assert.equal(statuses.filter((g) => g.status === 429).length, 3);
      assert.ok(
        statuses.filter((g) => g.status === 429).every((g) => g.headers.get("retry-after") === "1"),
      );
      sim.faults.rateLimit = null;
    });
    await t.step("fixed latency knob", async () => {
      sim.faults.latencyMs = 60;
      const t0 = performance.now();
      await get(`${sim.ordBaseUrl}/rels`);
      assert.ok(performance.now() - t0 >= 55);
      sim.faults.latencyMs = 0;
    });
  });
});

Deno.test("slow responses are cancelled cleanly when the simulator closes", async () => {
  const sim = await startOdsSimulator({ now: NOW });
  sim.faults.add({ path: "*", kind: "delay", ms: 60_000 });
  const pending = get(`${sim.ordBaseUrl}/rels`);
  await new Promise((r) => setTimeout(r, 50));
  await sim.close();
  assert.equal((await pending).status, 200);
});

Deno.test("request log records method, path, query, headers, time and status", async () => {
  await withSim({}, async (sim) => {
    await get(`${sim.ordBaseUrl}/sync?LastChangeDate=2025-06-01`, {
      headers: { "user-agent": "sync-test/1" },
    });
    await get(`${sim.ordBaseUrl}/organisations/NOPE`);
    await get(`${sim.controlUrl}/state`);
    assert.equal(sim.requests.length, 2);
    const [a, b] = sim.requests;
    assert.equal(a.method, "GET");
    assert.equal(a.path, "/ORD/2-0-0/sync");
    assert.equal(new URLSearchParams(a.query).get("LastChangeDate"), "2025-06-01");
    assert.equal(a.headers["user-agent"], "sync-test/1");
    assert.equal(a.time, "2025-06-10T09:00:00.000Z");
    assert.equal(a.status, 200);
    assert.equal(b.status, 404);
    const viaHttp = arr((await getJson(`${sim.controlUrl}/requests?path=*/sync`)).body);
    assert.equal(viaHttp.length, 1);
    sim.clearRequests();
    assert.equal(sim.requests.length, 0);
  });
});

Deno.test("control API drives clock, mutations, faults, publication and reset over HTTP", async () => {
  await withSim({}, async (sim) => {
    const post = (path: string, body: unknown) =>
      getJson(`${sim.controlUrl}${path}`, { method: "POST", body: JSON.stringify(body) });
    assert.equal(
      (await post("/mutate", { op: "rename", code: "RWR", name: "VIA CONTROL" })).status,
      200,
    );
    assert.notEqual((await orgOf(sim, "RWR")).Name, "VIA CONTROL");
    const c = await post("/clock", { advanceDays: 1 });
    assert.deepEqual(obj(c.body).published, ["2025-06-11"]);
    assert.equal((await orgOf(sim, "RWR")).Name, "VIA CONTROL");
    const f = await post("/faults", { path: "*/rels", kind: "status", status: 503, times: 1 });
    assert.equal(arr(obj(f.body).ids).length, 1);
    assert.equal((await get(`${sim.ordBaseUrl}/rels`)).status, 503);
    assert.equal((await post("/faults", { path: "*", kind: "bogus" })).status, 400);
    await post("/mutate", { op: "delete", code: "RJY", on: "2025-06-10" });
    assert.deepEqual(obj((await post("/publish", {})).body).deleted, ["RJY"]);
    await post("/faults/config", { latencyMs: 1 });
    assert.equal(sim.faults.latencyMs, 1);
    await post("/config", { ord: { emptySyncShape: "object" } });
    assert.equal(sim.ord.emptySyncShape, "object");
    const state = obj((await post("/reset", {})).body);
    assert.equal(obj(state.clock).today, "2025-06-10");
    assert.equal(sim.faults.latencyMs, 0);
    assert.equal(sim.ord.emptySyncShape, "array");
    assert.equal(sim.requests.length, 0);
    assert.equal((await orgOf(sim, "RJY")).Name, "WIGAN AND LEIGH HEALTH SERVICES NHS TRUST");
  });
});

Deno.test("national generator is fast, deterministic and drives a day of K changes", async (t) => {
  await t.step("30k untracked + tracked hierarchy in well under 2 s, deterministic", () => {
    const t0 = performance.now();
    const a = generateNational({ today: "2025-06-10", seed: 5 });
    assert.ok(performance.now() - t0 < 2000, `took ${performance.now() - t0} ms`);
    assert.equal(a.untracked.length, 30_000);
    assert.ok(a.trusts.length >= 200 && a.sites.length >= 1000 && a.icbs.length === 42);
    const b = generateNational({ today: "2025-06-10", seed: 5, untracked: 200 });
    const c = generateNational({ today: "2025-06-10", seed: 5, untracked: 200 });
    assert.deepEqual(b.records, c.records);
  });
  await t.step(
    "a day of K changes of which T are tracked becomes visible after publication",
    async () => {
      await withSim({ national: { untracked: 2000, seed: 3 } }, async (sim) => {
        const r = sim.changeDay({ changed: 300, tracked: 12 });
        assert.equal(r.codes.length, 300);
        assert.equal(r.tracked.length, 12);
        assert.deepEqual(await syncCodes(sim, "2025-06-10"), []);
        sim.clock.setLondon("2025-06-11", "03:00");
        const codes = await syncCodes(sim, "2025-06-10");
        for (const c of r.codes) assert.ok(codes.includes(c), c);
      });
    },
  );
  await t.step(
    "a very large sync (>= 10k OrgLinks) is served in one unpaged response",
    async () => {
      await withSim({ national: { untracked: 11_000, seed: 4 } }, async (sim) => {
        sim.changeDay({ changed: 10_000, tracked: 100, day: "2025-06-09" });
        sim.publish();
        const t0 = performance.now();
        const r = await getJson(`${sim.ordBaseUrl}/sync?LastChangeDate=2025-06-09`);
        const n = arr(obj(r.body).Organisations).length;
        assert.ok(n >= 10_000, String(n));
        assert.equal(r.headers.get("x-total-count"), String(n));
        assert.ok(performance.now() - t0 < 2000);
      });
    },
  );
  await t.step("dataset helper works without a server", () => {
    const n = generateNational({ today: "2025-06-10", untracked: 100 });
    const ds = new OdsDataset({ records: n.records, today: () => "2025-06-10" });
    const r = simulateChangeDay(ds, {
      day: "2025-06-10",
      changed: 20,
      tracked: 5,
      trackedCodes: n.tracked,
      untrackedCodes: n.untracked,
    });
    assert.equal(ds.pending().length, 20);
    assert.equal(ds.publish("2025-06-11").applied.length, r.codes.length);
  });
});
