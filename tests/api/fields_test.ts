import { deepEqual, equal, throws } from "node:assert/strict";
import type { ApiError } from "../../lib/api/errors.ts";
import { parseFields, pickedJson, pickFields } from "../../lib/api/fields.ts";
import { asciiJson } from "../../lib/api/http.ts";
import { apiError, q } from "./assert.ts";

const valid = ["ods_code", "name", "city"];

Deno.test("fields: none, empty or blank means every field", () => {
  equal(parseFields(q(""), valid), null);
  equal(parseFields(q("fields="), valid), null);
  equal(parseFields(q("fields=,%20,"), valid), null);
});

Deno.test("fields: the chosen fields come in the record's order, once each", () => {
  deepEqual(parseFields(q("fields=city,ods_code,city"), valid), ["ods_code", "city"]);
});

Deno.test("fields: an unknown field is a 400 listing the valid ones", () => {
  throws(() => parseFields(q("fields=ods_code,colour"), valid), (err: unknown) => {
    const info = (err as ApiError).info as { unknown: string[]; valid: string[] };
    return (err as ApiError).status === 400 && info.unknown[0] === "colour" &&
      info.valid === valid;
  });
});

Deno.test("fields: an over-long parameter is a 400", () => {
  throws(
    () => parseFields(q(`fields=${"x".repeat(3000)}`), valid),
    apiError(400, "invalid fields"),
  );
});

Deno.test("fields: a record is cut to the chosen fields", () => {
  deepEqual(pickFields({ ods_code: "A", name: "B", city: "C" }, ["ods_code", "city"]), {
    ods_code: "A",
    city: "C",
  });
});

Deno.test("fields: a projection put together from field texts is the projection's JSON", () => {
  const item = {
    ods_code: "RGT01",
    name: 'Addenbrooke\u2019s "Hospital"',
    trust: { ods_code: "RGT", name: "Cambridge" },
    latitude: null,
    gone: undefined,
  };
  for (
    const fields of [["ods_code"], ["name", "ods_code"], ["trust", "latitude"], ["gone"], []]
  ) {
    equal(pickedJson(item, fields), asciiJson(pickFields(item, fields)), fields.join(","));
  }
});
