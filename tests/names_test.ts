/**
 * The mixed-case style of boundary names (lib/names.ts), pinned against the reference: the
 * RCPCH lists give ICB and health board names in capitals (as ODS does), the ONS tables in the
 * style the original served.
 */
import { equal } from "node:assert/strict";
import { mixedCaseName, sameNameIgnoringCase } from "../lib/names.ts";
import { inputs } from "./scripts/seed/reference_rows.ts";

Deno.test("mixedCaseName turns every reference ICB name into its ONS name", () => {
  const ons = new Map(inputs.onsIntegratedCareBoards.map((r) => [r.ons_code, r.name]));
  equal(inputs.integratedCareBoards.length, 42);
  for (const icb of inputs.integratedCareBoards) {
    equal(mixedCaseName(icb.name), ons.get(icb.gss_code), icb.ods_code);
  }
});

Deno.test("mixedCaseName turns every reference health board name into its ONS name", () => {
  const ons = new Map(inputs.onsLocalHealthBoards.map((r) => [r.ons_code, r.name]));
  for (const lhb of inputs.localHealthBoards) {
    equal(mixedCaseName(lhb.name), ons.get(lhb.gss_code), lhb.ods_code);
  }
});

Deno.test("mixedCaseName gives a new ICB from ODS the same style (Surrey and Sussex)", () => {
  equal(
    mixedCaseName("NHS SURREY AND SUSSEX INTEGRATED CARE BOARD"),
    "NHS Surrey and Sussex Integrated Care Board",
  );
});

Deno.test("mixedCaseName leaves a name that already has lower case alone", () => {
  equal(mixedCaseName("NHS Frimley Integrated Care Board"), "NHS Frimley Integrated Care Board");
});

Deno.test("a name differing only in case from ODS's is the same name (not a rename)", () => {
  equal(
    sameNameIgnoringCase(
      "NHS KENT AND MEDWAY INTEGRATED CARE BOARD",
      "NHS Kent and Medway Integrated Care Board",
    ),
    true,
  );
  equal(
    sameNameIgnoringCase(
      "NHS Sussex Integrated Care Board",
      "NHS Surrey Heartlands Integrated Care Board",
    ),
    false,
  );
});

// Bug caught: the demo's new ICB "NHS S1Y5D INTEGRATED CARE BOARD" came out as "NHS S1y5d ...".
Deno.test("mixedCaseName keeps a code inside a name in capitals (a sub-ICB location's 00L)", () => {
  equal(
    mixedCaseName("NHS NORTH EAST AND NORTH CUMBRIA ICB - 00L"),
    "NHS North East and North Cumbria ICB - 00L",
  );
});
