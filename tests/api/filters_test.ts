import { deepEqual, equal, ok, throws } from "node:assert/strict";
import type { ApiError } from "../../lib/api/errors.ts";
import { applyFilters, applyOrdering, parseFilters, parseOrdering } from "../../lib/api/filters.ts";
import { isIsoDate } from "../../lib/dates.ts";
import { apiError, q } from "./assert.ts";

const spec = {
  name: "string",
  active: "boolean",
  latitude: "number",
  published_at: "date",
} as const;

Deno.test("filters: values are parsed to their field's type", () => {
  deepEqual(
    parseFilters(spec, q("name=A&active=False&latitude=-1.5e2&published_at=2024-02-29")),
    [
      { field: "name", value: "A" },
      { field: "active", value: false },
      { field: "latitude", value: -150 },
      { field: "published_at", value: "2024-02-29" },
    ],
  );
});

Deno.test("filters: empty and unknown parameters are ignored", () => {
  deepEqual(parseFilters(spec, q("name=&colour=red")), []);
});

Deno.test("filters: the last of a repeated parameter wins", () => {
  deepEqual(parseFilters(spec, q("name=A&name=B")), [{ field: "name", value: "B" }]);
});

Deno.test("filters: booleans are true, True, 1 or 0", () => {
  for (const [raw, value] of [["true", true], ["True", true], ["1", true], ["0", false]] as const) {
    deepEqual(parseFilters(spec, q(`active=${raw}`)), [{ field: "active", value }]);
  }
});

Deno.test("filters: a wrong type is a 400 naming every bad field", () => {
  throws(() => parseFilters(spec, q("active=yes")), apiError(400, "invalid filter"));
  throws(
    () => parseFilters(spec, q("active=TRUE&latitude=NaN&published_at=2023-02-29")),
    (err: unknown) => Object.keys((err as ApiError).info).join() === "active,latitude,published_at",
  );
});

Deno.test("filters: numbers are plain finite decimals", () => {
  for (const bad of ["Infinity", "1e999", "0x10", "1,5", " 1"]) {
    throws(
      () => parseFilters(spec, q(`latitude=${encodeURIComponent(bad)}`)),
      apiError(400, "invalid filter"),
      bad,
    );
  }
});

Deno.test("filters: dates are real calendar dates in YYYY-MM-DD", () => {
  ok(isIsoDate("2024-02-29"));
  ok(!isIsoDate("2023-02-29") && !isIsoDate("2024-1-01") && !isIsoDate("20240101"));
});

Deno.test("filters: matching is exact and case-sensitive, and null never matches", () => {
  const rows = [{ name: "A", n: 1 }, { name: "a", n: null }, { name: "A", n: 2 }];
  deepEqual(applyFilters(rows, [{ field: "name", value: "A" }]), [rows[0], rows[2]]);
  deepEqual(applyFilters(rows, [{ field: "n", value: 1 }, { field: "name", value: "A" }]), [
    rows[0],
  ]);
  equal(applyFilters(rows, []), rows);
});

Deno.test("ordering: by a field, ascending or descending with '-'", () => {
  const rows = [{ c: "B" }, { c: "A" }, { c: "C" }];
  deepEqual(applyOrdering(rows, parseOrdering(q("ordering=c"), ["c"])), [
    { c: "A" },
    { c: "B" },
    { c: "C" },
  ]);
  deepEqual(applyOrdering(rows, parseOrdering(q("ordering=-c"), ["c"])), [
    { c: "C" },
    { c: "B" },
    { c: "A" },
  ]);
  equal(parseOrdering(q(""), ["c"]), null);
});

Deno.test("ordering: an unknown field is a 400", () => {
  throws(() => parseOrdering(q("ordering=d"), ["c"]), apiError(400, "invalid ordering"));
});
