import { equal, throws } from "node:assert/strict";
import { codeFromPath } from "../../lib/api/codes.ts";
import { apiError } from "./assert.ts";

Deno.test("codes: a code in a path is read case-insensitively, in its kind's format", () => {
  equal(codeFromPath("organisation", "rgt01"), "RGT01");
  equal(codeFromPath("trust", "7a4"), "7A4");
  equal(codeFromPath("country", "jey"), "JEY");
  equal(codeFromPath("country", "M83000003"), "M83000003");
  equal(codeFromPath("paediatric_diabetes_unit", "pz002"), "PZ002");
  equal(codeFromPath("nhs_england_region", "y61"), "Y61");
  equal(codeFromPath("london_borough", "e09000020"), "E09000020");
  equal(codeFromPath("openuk_network", "epen"), "EPEN");
});

Deno.test("codes: a code not in its kind's format is a 400", () => {
  for (
    const [kind, raw] of [
      ["organisation", "R1"],
      ["organisation", "RGT 01"],
      ["organisation", "ÄÖÜ"],
      ["organisation", undefined],
      ["paediatric_diabetes_unit", "PZ0001"],
      ["nhs_england_region", "Y6"],
      ["country", "ENG"],
      ["london_borough", "E0900002X"],
    ] as const
  ) throws(() => codeFromPath(kind, raw), apiError(400, "malformed code"), String(raw));
});
