/**
 * The National Paediatric Diabetes Audit's calls on a freshly seeded store, parsed the way its
 * code parses them (`project/npda/general_functions`, 2024): its PDU seeding command reads
 * `pdu["primary_organisation"]["ods_code"]` and `(pdu.get("parent") or {}).get("ods_code")`
 * for every unit of `/paediatric_diabetes_units/parent` (it raised a `TypeError` when a unit had
 * `primary_organisation: null`), `get_nhs_organisation` reads `/organisations/?ods_code=`'s
 * first item into its `OrganisationRCPCH`, and the organisation choices come from
 * `/organisations/limited`. The units whose sites are missing are left out of `/parent`, so
 * nothing needs skipping.
 */
import { equal, ok } from "node:assert/strict";
import { body, seededApp } from "./seeded.ts";

const app = await seededApp();

type Json = Record<string, unknown>;

/** Python's `d[key]`: a `KeyError` or `TypeError` when it is missing or `d` is not a dict. */
function item(d: unknown, key: string): unknown {
  if (d === null || typeof d !== "object" || Array.isArray(d)) {
    throw new TypeError(`'${d === null ? "NoneType" : typeof d}' object is not subscriptable`);
  }
  if (!(key in d)) throw new Error(`KeyError: '${key}'`);
  return (d as Json)[key];
}

/** The seeding command's reading of one unit (its `defaults`). */
function seedUnit(pdu: Json) {
  const parent = (pdu.parent ?? {}) as Json;
  return {
    pz_code: item(pdu, "pz_code") as string,
    lead_organisation_ods_code: item(item(pdu, "primary_organisation"), "ods_code") as string,
    lead_organisation_name: item(item(pdu, "primary_organisation"), "name") as string,
    parent_ods_code: (parent.ods_code ?? null) as string | null,
    parent_name: (parent.name ?? null) as string | null,
  };
}

/** `OrganisationRCPCH.from_json` of an English organisation (every key it indexes). */
function organisationFromJson(data: Json): void {
  for (const key of ["ods_code", "name", "address1", "city", "county", "latitude", "longitude"]) {
    item(data, key);
  }
  for (const key of ["postcode", "geocode_coordinates", "active"]) item(data, key);
  item(item(data, "paediatric_diabetes_unit"), "pz_code");
  const trust = item(data, "trust");
  for (const key of ["ods_code", "name", "address_line_1", "address_line_2", "town"]) {
    item(trust, key);
  }
  for (const key of ["postcode", "country", "active"]) item(trust, key);
  for (const key of ["boundary_identifier", "name", "ods_code"]) {
    item(item(data, "integrated_care_board"), key);
  }
  for (const key of ["region_code", "publication_date", "boundary_identifier", "name"]) {
    item(item(data, "nhs_england_region"), key);
  }
  for (const key of ["name", "boundary_identifier", "country", "publication_date"]) {
    item(item(data, "openuk_network"), key);
  }
  for (const key of ["boundary_identifier", "name"]) item(item(data, "country"), key);
}

const units = (await body<Json[]>(app, "/paediatric_diabetes_units/parent")).map(seedUnit);

Deno.test("audit client: every unit of /paediatric_diabetes_units/parent has a lead organisation", () => {
  ok(units.length > 0);
  for (const u of units) ok(u.lead_organisation_ods_code && u.lead_organisation_name, u.pz_code);
});

Deno.test("audit client: every unit but the RCPCH's own (PZ999) has a parent ods_code", () => {
  for (const u of units) {
    if (u.pz_code === "PZ999") equal(u.parent_ods_code, null);
    else ok(u.parent_ods_code && u.parent_name, u.pz_code);
  }
});

Deno.test("audit client: each unit's organisations come from /paediatric_diabetes_units/organisations/?pz_code=", async () => {
  for (const u of units) {
    const [found] = await body<Json[]>(
      app,
      `/paediatric_diabetes_units/organisations/?pz_code=${u.pz_code}`,
    );
    const orgs = item(found, "organisations") as Json[];
    ok(orgs.some((o) => o.ods_code === u.lead_organisation_ods_code), u.pz_code);
  }
});

Deno.test("audit client: /organisations/?ods_code= of each English lead organisation parses", async () => {
  for (const u of units) {
    const [org] = await body<Json[]>(
      app,
      `/organisations/?ods_code=${u.lead_organisation_ods_code}`,
    );
    equal(item(org, "ods_code"), u.lead_organisation_ods_code);
    // from_json indexes the trust and its boundaries: English sites with a trust.
    if (org.trust !== null && org.integrated_care_board !== null) organisationFromJson(org);
    // The seeding command's add_geocoordinates: Point(x=longitude, y=latitude).
    equal(typeof org.longitude, "number", u.pz_code);
    equal(typeof org.latitude, "number", u.pz_code);
  }
});

Deno.test("audit client: /organisations/limited gives (ods_code, name) choices for every organisation", async () => {
  const choices = (await body<Json[]>(app, "/organisations/limited")).map((
    o,
  ) => [o.ods_code, o.name]);
  equal(choices.length, 339);
  for (const [code, name] of choices) ok(typeof code === "string" && typeof name === "string");
});
