/**
 * Tests of the simulator's GP practices and postcode geography over real HTTP: the national GP
 * practice set (built once, 15,000 practices), the ORD paged `Roles=RO76` search and the NPDA
 * audit's look-ups, the FHIR `roleCode=RO76` pages, the FHIR `postcode` CodeSystem `$lookup`,
 * and practice mutations through the control API (on a small set).
 */

import assert from "node:assert/strict";
import { geographyTable } from "../../testing/ods_sim/geography.ts";
import { generateNational } from "../../testing/ods_sim/national.ts";
import type { OrdOrganisation, OrdRel } from "../../testing/ods_sim/ord_types.ts";
import { POSTCODE_SYSTEM } from "../../testing/ods_sim/postcodes.ts";
import { type OdsSimulator, startOdsSimulator } from "../../testing/ods_sim/server.ts";

const NOW = "2025-06-10T09:00:00Z"; // today = 2025-06-10
const PRACTICES = 15_000;
const LOOKUP = `CodeSystem/$lookup?system=${POSTCODE_SYSTEM}`;

type Json = Record<string, unknown>;

async function getJson(url: string): Promise<{ status: number; headers: Headers; body: Json }> {
  const res = await fetch(url);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : {} };
}

async function control(sim: OdsSimulator, path: string, body: unknown): Promise<Json> {
  const res = await fetch(`${sim.controlUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  assert.equal(res.status, 200, JSON.stringify(json));
  return json;
}

function activeRel(org: OrdOrganisation, id: string): OrdRel | undefined {
  return org.Rels?.Rel.find((r) => r.id === id && r.Status === "Active");
}

function rows(body: Json): Json[] {
  assert.ok(Array.isArray(body.Organisations), JSON.stringify(body).slice(0, 200));
  return body.Organisations as Json[];
}

/** `{name: value}` of a `$lookup` answer's geography properties. */
function geoProps(body: Json): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of body.parameter as Json[]) {
    if (p.name !== "property") continue;
    const parts = p.part as Json[];
    const value = parts.find((x) => x.name === "value")?.valueCoding as { code: string };
    out[String(parts[0].valueCode)] = value.code;
  }
  return out;
}

function practicesOf(sim: OdsSimulator): OrdOrganisation[] {
  return [...sim.dataset.records()].filter((o) => o.Roles.Role.some((r) => r.id === "RO76"));
}

Deno.test("GP practice set: ORD search, FHIR pages and postcode geography", async (t) => {
  const sim = await startOdsSimulator({
    now: NOW,
    national: { untracked: 0, gpPractices: PRACTICES, seed: 3 },
  });
  const ord = sim.ordBaseUrl;
  const all = practicesOf(sim);
  const active = all.filter((o) => o.Status === "Active");
  try {
    await t.step(
      "Roles=RO76 counts every practice in X-Total-Count, rows in the summary shape",
      async () => {
        const r = await getJson(`${ord}/organisations?Roles=RO76&Limit=1000`);
        assert.equal(r.status, 200);
        const total = Number(r.headers.get("x-total-count"));
        assert.ok(total >= PRACTICES, String(total));
        assert.equal(total, all.length); // the generated set plus the fixture practice G81086
        assert.equal(r.headers.get("returned-records"), "1000");
        assert.equal(rows(r.body).length, 1000);
        const row = rows(r.body)[0];
        assert.deepEqual(Object.keys(row), [
          "Name",
          "OrgId",
          "Status",
          "OrgRecordClass",
          "PostCode",
          "LastChangeDate",
          "PrimaryRoleId",
          "PrimaryRoleDescription",
          "OrgLink",
        ]);
        assert.equal(typeof row.OrgId, "string");
        assert.equal(row.PrimaryRoleId, "RO177");
        assert.equal(row.PrimaryRoleDescription, "PRESCRIBING COST CENTRE");
        assert.equal(row.OrgLink, `${ord}/organisations/${row.OrgId}`);
      },
    );

    await t.step("PrimaryRoleId=RO76 returns nothing (RO76 is never a primary role)", async () => {
      const r = await getJson(`${ord}/organisations?PrimaryRoleId=RO76&Limit=1000`);
      assert.equal(r.status, 200);
      assert.deepEqual(r.body, { Organisations: [] });
      assert.equal(r.headers.get("x-total-count"), "0");
      assert.equal(r.headers.get("next-page"), null);
    });

    await t.step("Offset=0 is a 406", async () => {
      const r = await getJson(`${ord}/organisations?Roles=RO76&Limit=1000&Offset=0`);
      assert.equal(r.status, 406);
    });

    await t.step("following Next-Page to the end returns every practice exactly once", async () => {
      let url: string | null = `${ord}/organisations?Roles=RO76&Limit=1000`;
      const seen: string[] = [];
      let pages = 0;
      let total = 0;
      while (url) {
        const r = await getJson(url);
        assert.equal(r.status, 200);
        total = Number(r.headers.get("x-total-count"));
        for (const row of rows(r.body)) seen.push(String(row.OrgId));
        url = r.headers.get("next-page");
        pages++;
      }
      assert.equal(pages, Math.ceil(total / 1000));
      assert.equal(seen.length, total);
      assert.equal(new Set(seen).size, total);
      assert.deepEqual(new Set(seen), new Set(all.map((o) => o.OrgId.extension)));
    });

    await t.step("Status=Active counts the active practices only", async () => {
      const r = await getJson(`${ord}/organisations?Roles=RO76&Status=Active&Limit=1000`);
      assert.equal(Number(r.headers.get("x-total-count")), active.length);
      assert.ok(rows(r.body).every((row) => row.Status === "Active"));
    });

    await t.step(
      "the NPDA look-up by postcode finds the active practice (any case and spacing)",
      async () => {
        const gp = active.find((o) => o.OrgId.extension.startsWith("Y"))!;
        const pc = gp.GeoLoc!.Location.PostCode!;
        const q = pc.replace(" ", "").toLowerCase();
        const r = await getJson(
          `${ord}/organisations/?PostCode=${q}&Status=Active&PrimaryRoleId=RO177`,
        );
        assert.equal(r.status, 200);
        const found = rows(r.body);
        assert.ok(found.some((row) => row.OrgId === gp.OrgId.extension));
        assert.ok(found.every((row) => row.PostCode === pc && row.Status === "Active"));
      },
    );

    await t.step(
      "the NPDA look-up by code answers the practice, 404 for an unknown code",
      async () => {
        const code = active[0].OrgId.extension;
        const r = await getJson(`${ord}/organisations/${code}`);
        assert.equal(r.status, 200);
        const org = r.body.Organisation as OrdOrganisation;
        assert.deepEqual(org.Roles.Role.map((x) => [x.id, x.primaryRole ?? false]), [
          ["RO177", true],
          ["RO76", false],
        ]);
        assert.equal((await getJson(`${ord}/organisations/Q99999`)).status, 404);
      },
    );

    await t.step(
      "a partial outward code matches the first segment only (LS1, not LS10)",
      async () => {
        assert.ok(all.some((o) => o.GeoLoc?.Location.PostCode?.startsWith("LS10 ")));
        const r = await getJson(`${ord}/organisations?Roles=RO76&PostCode=LS1&Limit=1000`);
        const found = rows(r.body);
        assert.ok(found.length > 0);
        assert.ok(found.every((row) => String(row.PostCode).startsWith("LS1 ")), "only LS1 x");
      },
    );

    await t.step("RE4 → a sub-ICB location (RO98 + RO319) → RE5 an ICB → RE5 a region", () => {
      const english = active.filter((o) => o.GeoLoc?.Location.Country === "ENGLAND");
      for (const gp of english.slice(0, 200)) {
        const re4 = activeRel(gp, "RE4")!;
        assert.equal(re4.Target.PrimaryRoleId.id, "RO98");
        const loc = sim.dataset.get(re4.Target.OrgId.extension)!;
        assert.deepEqual(loc.Roles.Role.map((r) => r.id), ["RO98", "RO319"]);
        const icb = sim.dataset.get(activeRel(loc, "RE5")!.Target.OrgId.extension)!;
        assert.equal(icb.Roles.Role[0].id, "RO261");
        const region = sim.dataset.get(activeRel(icb, "RE5")!.Target.OrgId.extension)!;
        assert.equal(region.Roles.Role[0].id, "RO209");
      }
    });

    await t.step("most active English practices are partners of a PCN (RE8 → RO272)", () => {
      const english = active.filter((o) => o.GeoLoc?.Location.Country === "ENGLAND");
      const inPcn = english.filter((o) => activeRel(o, "RE8"));
      assert.ok(inPcn.length > english.length * 0.8, `${inPcn.length} of ${english.length}`);
      const pcn = sim.dataset.get(activeRel(inPcn[0], "RE8")!.Target.OrgId.extension)!;
      assert.equal(pcn.Roles.Role[0].id, "RO272");
    });

    await t.step("Welsh practices are commissioned by their local health board", () => {
      const welsh = active.filter((o) => o.GeoLoc?.Location.Country === "WALES");
      assert.ok(welsh.length > 300, String(welsh.length));
      for (const gp of welsh) {
        assert.match(activeRel(gp, "RE4")!.Target.OrgId.extension, /^7A\d$/);
        assert.equal(activeRel(gp, "RE8"), undefined);
      }
    });

    await t.step("a share are closed: Inactive with an operational End in the past", () => {
      const closed = all.filter((o) => o.Status === "Inactive");
      assert.ok(closed.length > all.length * 0.2, String(closed.length));
      for (const o of closed) {
        const end = o.Date.find((d) => d.Type === "Operational")?.End;
        assert.ok(end && end <= "2025-06-10", o.OrgId.extension);
      }
    });

    await t.step("several practices share a postcode; postcodes spread over many districts", () => {
      const count = new Map<string, number>();
      for (const o of all) {
        const pc = o.GeoLoc!.Location.PostCode!;
        count.set(pc, (count.get(pc) ?? 0) + 1);
      }
      assert.ok([...count.values()].some((n) => n > 1));
      const districts = new Set([...count.keys()].map((pc) => pc.split(" ")[0]));
      assert.ok(districts.size > 500, String(districts.size));
    });

    await t.step("FHIR roleCode=RO76 pages: ceil(n / _count), each practice once", async () => {
      let url: string | undefined = `${sim.fhirBaseUrl}/Organization?roleCode=RO76&_count=1000`;
      const ids: string[] = [];
      let pages = 0;
      while (url) {
        const r = await getJson(url);
        assert.equal(r.status, 200);
        assert.equal(r.body.total, all.length);
        for (const e of (r.body.entry as Json[]) ?? []) ids.push(String((e.resource as Json).id));
        url = (r.body.link as { relation: string; url: string }[])
          .find((l) => l.relation === "next")?.url;
        pages++;
      }
      assert.equal(pages, Math.ceil(all.length / 1000));
      assert.equal(new Set(ids).size, all.length);
    });

    await t.step(
      "FHIR practice: role extensions RO177 and RO76, RE4/RE8 as affiliations",
      async () => {
        const gp = active.find((o) => activeRel(o, "RE8"))!;
        const code = gp.OrgId.extension;
        const r = await getJson(
          `${sim.fhirBaseUrl}/Organization?_id=${code}` +
            `&_revinclude=OrganizationAffiliation:primary-organization`,
        );
        const entries = r.body.entry as { resource: Json; search: { mode: string } }[];
        const org = entries.find((e) => e.search.mode === "match")!.resource;
        const roles = (org.extension as Json[]).filter((e) =>
          String(e.url).endsWith("OrganisationRole")
        )
          .map((e) => ((e.extension as Json[])[1].valueCodeableConcept as Json).coding)
          .map((c) => (c as { code: string }[])[0].code);
        assert.deepEqual(roles, ["RO177", "RO76"]);
        const affs = entries.filter((e) => e.search.mode === "include").map((e) => e.resource);
        const target = (rel: string) =>
          affs.find((a) =>
            a.active === true &&
            ((a.code as Json[])[0].coding as { code: string }[])[0].code === rel
          )?.participatingOrganization as { identifier: { value: string } } | undefined;
        assert.equal(target("RE4")?.identifier.value, activeRel(gp, "RE4")!.Target.OrgId.extension);
        assert.equal(target("RE8")?.identifier.value, activeRel(gp, "RE8")!.Target.OrgId.extension);
      },
    );

    await t.step(
      "$lookup of a practice's postcode agrees with its sub-ICB → ICB → region",
      async () => {
        const gp = active.find((o) => o.GeoLoc?.Location.Country === "ENGLAND")!;
        const pc = gp.GeoLoc!.Location.PostCode!;
        const r = await getJson(`${sim.fhirBaseUrl}/${LOOKUP}&code=${pc}&property=*`);
        assert.equal(r.status, 200);
        assert.equal(r.body.resourceType, "Parameters");
        const params = r.body.parameter as Json[];
        assert.deepEqual(params.slice(0, 5).map((p) => p.name), [
          "code",
          "display",
          "name",
          "system",
          "version",
        ]);
        assert.equal(params[0].valueCode, pc);
        const geo = geoProps(r.body);
        const sub = activeRel(gp, "RE4")!.Target.OrgId.extension;
        const icb = activeRel(sim.dataset.get(sub)!, "RE5")!.Target.OrgId.extension;
        const region = activeRel(sim.dataset.get(icb)!, "RE5")!.Target.OrgId.extension;
        assert.equal(geo.PCO, sub);
        assert.equal(geo.ICB, icb);
        assert.equal(geo.NHSER, region);
        assert.match(geo.LA, /^[0-9A-Z]{3,5}$/);
        assert.match(geo.LSOA11, /^E01\d{6}$/);
      },
    );

    await t.step(
      "$lookup answers the tracked sites' postcodes too (England and Wales)",
      async () => {
        const kent = await getJson(`${sim.fhirBaseUrl}/${LOOKUP}&code=CT1 3NG`);
        assert.equal(kent.status, 200);
        assert.equal(geoProps(kent.body).ICB, "QKS"); // RVVKC's trust RVV → QKS
        const wales = await getJson(`${sim.fhirBaseUrl}/${LOOKUP}&code=LL57 2PW`);
        const geo = geoProps(wales.body);
        assert.equal(geo.PCO, "7A1");
        assert.equal(geo.ICB, undefined);
        assert.match(geo.LA, /^W06\d{6}$/);
      },
    );

    await t.step("$lookup of an unknown postcode is a 404 not-found OperationOutcome", async () => {
      const r = await getJson(`${sim.fhirBaseUrl}/${LOOKUP}&code=ZZ99 9ZZ`);
      assert.equal(r.status, 404);
      assert.equal(r.body.resourceType, "OperationOutcome");
      assert.equal((r.body.issue as Json[])[0].code, "not-found");
    });

    await t.step(
      "$lookup matches the code as written (CB2 0QQ) unless told to normalise",
      async () => {
        const pc = active[0].GeoLoc!.Location.PostCode!;
        const loose = pc.replace(" ", "").toLowerCase();
        assert.equal((await getJson(`${sim.fhirBaseUrl}/${LOOKUP}&code=${loose}`)).status, 404);
        await control(sim, "/config", { fhir: { postcodeMatch: "normalised" } });
        assert.equal((await getJson(`${sim.fhirBaseUrl}/${LOOKUP}&code=${loose}`)).status, 200);
        await control(sim, "/config", { fhir: { postcodeMatch: "exact" } });
      },
    );
  } finally {
    await sim.close();
  }
});

Deno.test("the GP set is deterministic from the seed and off by default", () => {
  const a = generateNational({ today: "2025-06-10", untracked: 50, gpPractices: 300, seed: 9 });
  const b = generateNational({ today: "2025-06-10", untracked: 50, gpPractices: 300, seed: 9 });
  assert.deepEqual(a.records, b.records);
  assert.equal(a.gpPractices.length, 300);
  const plain = generateNational({ today: "2025-06-10", untracked: 50, seed: 9 });
  assert.deepEqual([plain.gpPractices, plain.subIcbs, plain.pcns, plain.postcodes], [
    [],
    [],
    [],
    [],
  ]);
  assert.ok(!plain.records.some((r) => r.Roles.Role[0].id === "RO98"));
  // Without the set the untracked filler keeps its RO76 practices; with it they are cost centres.
  assert.ok(plain.records.some((r) => r.Roles.Role.some((x) => x.id === "RO76")));
  const filler = new Set(a.untracked);
  assert.ok(
    !a.records.some((r) =>
      filler.has(r.OrgId.extension) && r.Roles.Role.some((x) => x.id === "RO76")
    ),
  );
  assert.equal(geographyTable().icbs.length, 42);
});

Deno.test("practice mutations through the control API, dated like the others", async (t) => {
  const sim = await startOdsSimulator({
    now: NOW,
    national: { untracked: 0, gpPractices: 300, seed: 5 },
  });
  const gps = practicesOf(sim).filter((o) => activeRel(o, "RE8") && o.OrgId.extension !== "G81086");
  const [renamed, closed, moved, left] = gps.map((o) => o.OrgId.extension);
  const subIcbs = sim.national!.subIcbs;
  const mutate = (body: Json) => control(sim, "/mutate", { on: "2025-06-10", ...body });
  const changed = [renamed, closed, moved, left, "Y99001"];
  // The changed practices, and nothing else but what the future date checker stamped that night.
  const assertChanged = (codes: string[], expected: string[]) => {
    for (const c of expected) assert.ok(codes.includes(c), c);
    for (const c of codes.filter((x) => !expected.includes(x))) {
      assert.equal(sim.dataset.get(c)?.LastChangeDate, "2025-06-11", c);
    }
  };
  try {
    await t.step("changes made today are invisible until the next publication", async () => {
      await mutate({ op: "rename", code: renamed, name: "RENAMED SURGERY" });
      await mutate({ op: "close", code: closed, endDate: "2025-06-09" });
      const to = subIcbs.find((s) =>
        s !== activeRel(sim.dataset.get(moved)!, "RE4")!.Target.OrgId.extension
      )!;
      await mutate({ op: "setCommissioner", code: moved, commissioner: to });
      await mutate({ op: "setPcn", code: left, pcn: null });
      await mutate({
        op: "addPractice",
        code: "Y99001",
        name: "NEW TOWN MEDICAL CENTRE",
        commissioner: "97R",
        postcode: "TN22 1AB",
        town: "UCKFIELD",
        telephone: "01825 700000",
      });
      await control(sim, "/mutate", { op: "deletePostcode", postcode: "LL57 2PW" });
      const r = await getJson(`${sim.ordBaseUrl}/sync?LastChangeDate=2025-06-10`);
      assert.deepEqual(rows(r.body), []);
      assert.equal((await getJson(`${sim.ordBaseUrl}/organisations/Y99001`)).status, 404);
    });

    await t.step("the next day's sync lists every changed practice", async () => {
      await control(sim, "/clock", { now: "2025-06-11T02:30:00Z" }); // 03:30 BST: published
      const r = await getJson(`${sim.ordBaseUrl}/sync?LastChangeDate=2025-06-10`);
      const codes = rows(r.body).map((l) => String(l.OrgLink).split("/").pop()!);
      assertChanged(codes, changed);
    });

    await t.step("FHIR lastChangeDate pages list them too", async () => {
      const r = await getJson(
        `${sim.fhirBaseUrl}/Organization?lastChangeDate=ge2025-06-10&roleCode=RO76&_count=100`,
      );
      assertChanged(
        (r.body.entry as { resource: Json }[]).map((e) => String(e.resource.id)),
        changed,
      );
    });

    await t.step("each change is in the published records", async () => {
      const org = async (code: string) =>
        (await getJson(`${sim.ordBaseUrl}/organisations/${code}`)).body
          .Organisation as OrdOrganisation;
      assert.equal((await org(renamed)).Name, "RENAMED SURGERY");
      const c = await org(closed);
      assert.equal(c.Status, "Inactive");
      assert.equal(c.Date[0].End, "2025-06-09");
      const m = await org(moved);
      const re4s = m.Rels!.Rel.filter((r) => r.id === "RE4");
      assert.deepEqual(re4s.map((r) => r.Status), ["Inactive", "Active"]);
      assert.equal(re4s[0].Date[0].End, "2025-06-09");
      assert.equal(activeRel(await org(left), "RE8"), undefined);
      const added = await org("Y99001");
      assert.equal(activeRel(added, "RE4")?.Target.PrimaryRoleId.id, "RO98");
      assert.equal(added.LastChangeDate, "2025-06-10");
    });

    await t.step("a new practice's postcode is known; a deleted postcode is not", async () => {
      const added = await getJson(`${sim.fhirBaseUrl}/${LOOKUP}&code=TN22 1AB`);
      assert.equal(added.status, 200);
      assert.equal(geoProps(added.body).PCO, "97R");
      assert.equal((await getJson(`${sim.fhirBaseUrl}/${LOOKUP}&code=LL57 2PW`)).status, 404);
    });
  } finally {
    await sim.close();
  }
});
