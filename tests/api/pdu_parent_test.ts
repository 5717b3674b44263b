/**
 * `/paediatric_diabetes_units/parent/` on a freshly seeded store (issue #12 items 1, 5 and 6):
 * the original's primary organisation and parent, the RCPCH's own unit with no parent, and the
 * units whose only sites are missing from the 2024 organisation list left out (never
 * `primary_organisation: null`) until the sync creates them.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { getJson } from "./helpers.ts";
import { body, seededApp } from "./seeded.ts";

const app = await seededApp();

interface Unit {
  pz_code: string;
  paediatric_diabetes_network: { pn_code: string; name: string } | null;
  parent: { ods_code: string; name: string } | null;
  primary_organisation: { ods_code: string; name: string } | null;
}

const unit = (pz: string) => body<Unit>(app, `/paediatric_diabetes_units/${pz}/parent/`);

/** The 2024 units whose sites are not in the 2024 organisation list (pz_codes.json rows). */
const WITHOUT_SITES = ["PZ014", "PZ042", "PZ065", "PZ073", "PZ084", "PZ105", "PZ141", "PZ226"];

Deno.test("parent: the six fixed primary organisations of the original", async () => {
  const fixed: [string, string][] = [
    ["PZ024", "RVV01"],
    ["PZ050", "RVR07"],
    ["PZ099", "RWH01"],
    ["PZ136", "R0A03"],
    ["PZ206", "RM321"],
    ["PZ230", "RXC01"],
  ];
  for (const [pz, ods] of fixed) equal((await unit(pz)).primary_organisation?.ods_code, ods, pz);
});

Deno.test("parent: otherwise the first organisation by name (PZ167 is RTXBU Furness General)", async () => {
  deepEqual((await unit("PZ167")).primary_organisation, {
    ods_code: "RTXBU",
    name: "FURNESS GENERAL HOSPITAL",
  });
});

Deno.test("parent: a Welsh unit's first by name (PZ244 is 7A2AJ Bronglais) and its health board", async () => {
  const u = await unit("PZ244");
  equal(u.primary_organisation?.ods_code, "7A2AJ");
  deepEqual(u.parent, {
    ods_code: "7A2",
    boundary_identifier: "W11000025",
    name: "Hywel Dda University Health Board",
  });
});

Deno.test("parent: the parent is the primary organisation's trust (PZ024: RVV)", async () => {
  const u = await unit("PZ024");
  equal(u.parent?.ods_code, "RVV");
  equal(u.parent?.name, "EAST KENT HOSPITALS UNIVERSITY NHS FOUNDATION TRUST");
});

Deno.test("parent: PZ999, the RCPCH's own unit, is 8HV48 with parent null", async () => {
  const u = await unit("PZ999");
  equal(u.parent, null);
  equal(u.primary_organisation?.ods_code, "8HV48");
});

Deno.test("parent: Jersey's unit PZ248 has Jersey General Hospital and trust RGT", async () => {
  const u = await unit("PZ248");
  equal(u.primary_organisation?.ods_code, "RGT1W");
  equal(u.parent?.ods_code, "RGT");
  deepEqual(u.paediatric_diabetes_network, { pn_code: "PN01", name: "Jersey" });
});

Deno.test("parent: the list leaves out the 8 units with no organisation yet", async () => {
  const list = await body<Unit[]>(app, "/paediatric_diabetes_units/parent/");
  const listed = new Set(list.map((u) => u.pz_code));
  for (const pz of WITHOUT_SITES) ok(!listed.has(pz), pz);
  equal(list.length, 173 - WITHOUT_SITES.length);
});

Deno.test("parent: no listed unit has primary_organisation null", async () => {
  const list = await body<Unit[]>(app, "/paediatric_diabetes_units/parent/");
  for (const u of list) ok(u.primary_organisation !== null, u.pz_code);
});

Deno.test("parent: ?pz_code= of a unit with no organisation is an empty list", async () => {
  deepEqual(await body(app, "/paediatric_diabetes_units/parent/?pz_code=PZ014"), []);
});

Deno.test("parent: the detail of a unit with no organisation is a 404 saying why", async () => {
  const { status, body: b } = await getJson(app, "/paediatric_diabetes_units/PZ014/parent/");
  equal(status, 404);
  const e = b as { detail: string; pz_code: string; explanation: string };
  equal(e.detail, "Not found.");
  equal(e.pz_code, "PZ014");
  ok(e.explanation.includes("no organisation"));
});

Deno.test("parent: the unit itself is still listed with its network (PZ014)", async () => {
  const [u] = await body<{ pz_code: string }[]>(app, "/paediatric_diabetes_units/?pz_code=PZ014");
  equal(u.pz_code, "PZ014");
});
