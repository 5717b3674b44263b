/**
 * The original's orders on a freshly seeded store (issue #12 item 4): lists as its views order
 * them (names by code point, ties by code; the boundary lists by name descending), and the
 * organisations nested anywhere by name. Expected orders are worked out from the 2024 reference
 * names, not taken from this service's answers.
 */
import { deepEqual, equal } from "node:assert/strict";
import { body, seededApp } from "./seeded.ts";

const app = await seededApp();

type Coded = { ods_code: string; name: string };
const codes = (list: { ods_code: string }[]) => list.map((o) => o.ods_code);

/** Names sorted by code point (as PostgreSQL's C collation and the original compare them). */
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

Deno.test("organisations are by name; two sites of one name by code (ST MARY'S HOSPITAL)", async () => {
  const list = await body<Coded[]>(app, "/organisations/");
  const names = list.map((o) => o.name);
  deepEqual(names, [...names].sort(byCodePoint));
  const stMarys = list.filter((o) => o.name === "ST MARY'S HOSPITAL");
  deepEqual(codes(stMarys), ["R1F01", "RP1A1"]);
});

Deno.test("ICBs are by their ONS name, code point order: Bath … West Yorkshire", async () => {
  const list = await body<Coded[]>(app, "/integrated_care_boards/");
  equal(list[0].ods_code, "QOX"); // NHS Bath and North East Somerset, Swindon and Wiltshire
  equal(list.at(-1)!.ods_code, "QWO"); // NHS West Yorkshire
  // "NHS North Central London" (a space after "North") comes before "NHS Northamptonshire".
  const north = codes(list).filter((c) => ["QMJ", "QPM"].includes(c));
  deepEqual(north, ["QMJ", "QPM"]);
});

Deno.test("trusts and OPEN UK networks are by name", async () => {
  const trusts = (await body<Coded[]>(app, "/trusts/")).map((t) => t.name);
  deepEqual(trusts, [...trusts].sort(byCodePoint));
  const networks = (await body<{ name: string; boundary_identifier: string }[]>(
    app,
    "/openuk_networks/",
  )).map((n) => n.name);
  deepEqual(networks, [...networks].sort(byCodePoint));
});

Deno.test("local health boards are by name descending: Swansea Bay … Aneurin Bevan", async () => {
  const list = await body<Coded[]>(app, "/local_health_boards/");
  deepEqual(codes(list), ["7A3", "7A7", "7A2", "7A5", "7A4", "7A1", "7A6"]);
});

Deno.test("NHS England regions are by name descending: South West … East of England", async () => {
  const list = await body<{ region_code: string }[]>(app, "/nhs_england_regions/");
  deepEqual(list.map((r) => r.region_code), ["Y58", "Y59", "Y62", "Y63", "Y60", "Y56", "Y61"]);
});

Deno.test("countries are by name descending: Wales, Scotland, Northern Ireland, Jersey, England", async () => {
  const list = await body<{ boundary_identifier: string }[]>(app, "/countries/");
  deepEqual(list.map((c) => c.boundary_identifier), [
    "W92000004",
    "S92000003",
    "N92000002",
    "JEY",
    "E92000001",
  ]);
});

Deno.test("London boroughs are by name descending: Westminster first, Barking and Dagenham last", async () => {
  const list = await body<{ gss_code: string }[]>(app, "/london_boroughs/");
  equal(list.length, 33);
  equal(list[0].gss_code, "E09000033");
  equal(list.at(-1)!.gss_code, "E09000002");
});

Deno.test("PDUs are by PZ code and diabetes networks by PN code", async () => {
  const units = (await body<{ pz_code: string }[]>(app, "/paediatric_diabetes_units/"))
    .map((u) => u.pz_code);
  deepEqual(units, [...units].sort(byCodePoint));
  const networks = (await body<{ pn_code: string }[]>(app, "/paediatric_diabetes_networks/"))
    .map((n) => n.pn_code);
  deepEqual(networks, [
    "PN01",
    "PN02",
    "PN03",
    "PN04",
    "PN05",
    "PN06",
    "PN07",
    "PN08",
    "PN09",
    "PN10",
    "PN11",
    "PN12",
  ]);
});

Deno.test("an ICB's organisations are by name, not code (QUE: ADDENBROOKE'S … PETERBOROUGH)", async () => {
  const icb = await body<{ organisations: Coded[] }>(
    app,
    "/integrated_care_boards/QUE/organisations/",
  );
  deepEqual(codes(icb.organisations), ["RGT01", "RGN90", "RGT1W", "RGN80"]);
});

Deno.test("a region's organisations are by name", async () => {
  const region = await body<{ organisations: Coded[] }>(
    app,
    "/nhs_england_regions/organisations/Y61/",
  );
  const names = region.organisations.map((o) => o.name);
  deepEqual(names, [...names].sort(byCodePoint));
});

Deno.test("a health board's organisations are by name (7A4: NOAHS ARK before UNIVERSITY HOSPITAL LLANDOUGH)", async () => {
  const lhb = await body<{ organisations: Coded[] }>(
    app,
    "/local_health_boards/organisations/7A4/",
  );
  deepEqual(codes(lhb.organisations), ["7A4H1", "7A4C1"]);
});

Deno.test("a trust's organisations are by name (RGT: ADDENBROOKE'S, JERSEY GENERAL)", async () => {
  const trust = await body<{ organisations: Coded[] }>(app, "/trusts/RGT/");
  deepEqual(codes(trust.organisations), ["RGT01", "RGT1W"]);
});

Deno.test("a PDU's organisations are by name, the primary one wherever its name puts it (PZ024)", async () => {
  const unit = await body<{ organisations: Coded[] }>(
    app,
    "/paediatric_diabetes_units/organisations/PZ024/",
  );
  // BUCKLAND, KENT & CANTERBURY, QUEEN ELIZABETH THE QUEEN MOTHER, ROYAL VICTORIA, WILLIAM HARVEY
  deepEqual(codes(unit.organisations), ["RVV02", "RVVKC", "RVV09", "RVV03", "RVV01"]);
});

Deno.test("sibling-organisations are by name (PZ167: FURNESS GENERAL before ROYAL LANCASTER)", async () => {
  const [unit] = await body<{ organisations: Coded[] }[]>(
    app,
    "/paediatric_diabetes_units/sibling-organisations/RTX02/",
  );
  deepEqual(codes(unit.organisations), ["RTXBU", "RTX02"]);
});

Deno.test("a borough's organisations are by name", async () => {
  for (
    const b of await body<{ organisations: Coded[] }[]>(app, "/london_boroughs/organisations/")
  ) {
    const names = b.organisations.map((o) => o.name);
    deepEqual(names, [...names].sort(byCodePoint));
  }
});
