/**
 * ICBs, health boards, regions, countries and London boroughs take their names and attributes
 * from the ONS tables (data/reference/ons_*.json), as the original loaded them from the ONS
 * boundary files; codes stay the RCPCH lists'.
 */
import { deepEqual, equal } from "node:assert/strict";
import { buildCountries, buildLondonBoroughs } from "../../../scripts/seed/curated_records.ts";
import { Findings } from "../../../scripts/seed/findings.ts";
import { buildIcbs, buildRegions, readIcbMap } from "../../../scripts/seed/icbs.ts";
import { buildLocalHealthBoards } from "../../../scripts/seed/parents.ts";
import { inputs, rowsOf } from "./reference_rows.ts";

Deno.test("an ICB takes its ONS name and centroid by GSS code (QUE)", () => {
  const f = new Findings();
  const [icb] = buildIcbs(
    rowsOf(inputs.integratedCareBoards, "ods_code", "QUE"),
    readIcbMap(inputs.icbLocalAuthorities, f),
    new Set(["Y61"]),
    inputs.onsIntegratedCareBoards,
    f,
  );
  deepEqual(
    [icb.ods_code, icb.boundary_identifier, icb.name, icb.bng_e, icb.lat],
    [
      "QUE",
      "E54000056",
      "NHS Cambridgeshire and Peterborough Integrated Care Board",
      536856,
      52.2962,
    ],
  );
});

Deno.test("an ICB with no ONS row keeps the reference name and is listed as unresolved", () => {
  const f = new Findings();
  const [icb] = buildIcbs(
    rowsOf(inputs.integratedCareBoards, "ods_code", "QUE"),
    readIcbMap(inputs.icbLocalAuthorities, f),
    new Set(["Y61"]),
    [],
    f,
  );
  equal(icb.name, "NHS CAMBRIDGESHIRE AND PETERBOROUGH INTEGRATED CARE BOARD");
  equal(icb.bng_e, null);
  deepEqual(f.unresolved.map((u) => [u.kind, u.code, u.value]), [[
    "ons_boundary",
    "QUE",
    "E54000056",
  ]]);
});

Deno.test("a health board takes its ONS English and Welsh names (7A1 Betsi Cadwaladr)", () => {
  const [lhb] = buildLocalHealthBoards(
    rowsOf(inputs.localHealthBoards, "ods_code", "7A1"),
    new Map(),
    inputs.onsLocalHealthBoards,
    new Findings(),
  );
  deepEqual([lhb.name, lhb.welsh_name, lhb.globalid], [
    "Betsi Cadwaladr University Health Board",
    "Bwrdd Iechyd Prifysgol Betsi Cadwaladr",
    "cc7c5669-07fe-47bf-9e74-db1f5c2e4690",
  ]);
});

Deno.test("a region takes its ONS centroid (Y61 East of England, E40000007)", () => {
  const [region] = buildRegions(
    rowsOf(inputs.regions, "region_code", "Y61"),
    inputs.onsRegions,
    new Findings(),
  );
  const ons = rowsOf(inputs.onsRegions, "ons_code", "E40000007")[0];
  deepEqual([region.name, region.bng_e, region.long], [ons.name, ons.bng_e, ons.long]);
});

Deno.test("a country takes its ONS Welsh name (Wales: Cymru); Jersey is JEY with none", () => {
  const countries = buildCountries(inputs.countries, inputs.onsCountries, new Findings());
  const byCode = new Map(countries.map((c) => [c.boundary_identifier, c]));
  equal(byCode.get("W92000004")?.welsh_name, "Cymru");
  deepEqual([byCode.get("JEY")?.name, byCode.get("JEY")?.welsh_name], ["Jersey", null]);
  equal(byCode.has("E92000003"), false);
});

Deno.test("the London boroughs are the 33 of the ONS table, sub_2009 and sub_2006 null", () => {
  const boroughs = buildLondonBoroughs(inputs.onsLondonBoroughs);
  equal(boroughs.length, 33);
  const camden = boroughs.find((b) => b.gss_code === "E09000007")!;
  deepEqual([camden.hectares, camden.ons_inner, camden.sub_2009, camden.sub_2006], [
    2178.932,
    "T",
    null,
    null,
  ]);
});
