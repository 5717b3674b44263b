import { deepEqual } from "node:assert/strict";
import { placeLines } from "../../lib/ods/address_lines.ts";

// ORD names its lines (AddrLn1..3, any absent); FHIR's `line` list leaves absent ones out.
Deno.test("a line FHIR gives second goes where the stored record has it (line 3, not line 2)", () => {
  deepEqual(placeLines(["CHURCH ROAD", "UPTON"], ["CHURCH ROAD", "", "UPTON"]), [
    "CHURCH ROAD",
    null,
    "UPTON",
  ]);
});

Deno.test("a record new to the store takes its lines in order", () => {
  deepEqual(placeLines(["CHURCH ROAD", "UPTON"], []), ["CHURCH ROAD", "UPTON", null]);
});

Deno.test("a trust (two stored lines) keeps an empty second line when the other line is its third", () => {
  deepEqual(placeLines(["CHURCH ROAD", "UPTON"], ["CHURCH ROAD", ""]), [
    "CHURCH ROAD",
    null,
    "UPTON",
  ]);
});

Deno.test("letter case doesn't stop a line from matching its stored place", () => {
  deepEqual(placeLines(["Church Road", "Upton"], ["CHURCH ROAD", "", "UPTON"]), [
    "Church Road",
    null,
    "Upton",
  ]);
});
