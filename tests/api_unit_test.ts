/**
 * The pure parts of the read API: filters, fields, codes, ETags, key checks, serializers.
 */
import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { constantTimeEqual, KeyChecker, presentedKey } from "../lib/api/auth.ts";
import { normalizeCode } from "../lib/api/codes.ts";
import { buildDataset, type RecordLists } from "../lib/api/dataset.ts";
import { ApiError } from "../lib/api/errors.ts";
import { parseFields, pickFields } from "../lib/api/fields.ts";
import { applyFilters, applyOrdering, parseFilters, parseOrdering } from "../lib/api/filters.ts";
import { asciiJson, etagMatches, hashText, makeEtag, SHAPES_REVISION } from "../lib/api/http.ts";
import { isIsoDate } from "../lib/dates.ts";
import { organisationRecord } from "./fixtures.ts";
import {
  organisation,
  paediatricDiabetesUnitWithParent,
  primaryOrganisation,
} from "../lib/api/serialize.ts";
import { buildView, VIEWS } from "../lib/api/views.ts";
import type { Organisation } from "../lib/model.ts";

const q = (s: string) => new URLSearchParams(s);

function apiError(status: number, error: string) {
  return (err: unknown) => err instanceof ApiError && err.status === status && err.error === error;
}

Deno.test("filters", async (t) => {
  const spec = {
    name: "string",
    active: "boolean",
    latitude: "number",
    published_at: "date",
  } as const;
  await t.step("typed values; empty and unknown parameters ignored; last value wins", () => {
    deepEqual(
      parseFilters(spec, q("name=A&active=False&latitude=-1.5e2&published_at=2024-02-29")),
      [
        { field: "name", value: "A" },
        { field: "active", value: false },
        { field: "latitude", value: -150 },
        { field: "published_at", value: "2024-02-29" },
      ],
    );
    deepEqual(parseFilters(spec, q("name=&colour=red")), []);
    deepEqual(parseFilters(spec, q("name=A&name=B")), [{ field: "name", value: "B" }]);
    for (
      const [raw, value] of [["true", true], ["True", true], ["1", true], ["0", false]] as const
    ) {
      deepEqual(parseFilters(spec, q(`active=${raw}`)), [{ field: "active", value }]);
    }
  });
  await t.step("a wrong type is a 400 naming every bad field", () => {
    throws(() => parseFilters(spec, q("active=yes")), apiError(400, "invalid filter"));
    throws(
      () => parseFilters(spec, q("active=TRUE&latitude=NaN&published_at=2023-02-29")),
      (err: unknown) =>
        Object.keys((err as ApiError).detail as object).join() === "active,latitude,published_at",
    );
    for (const bad of ["Infinity", "1e999", "0x10", "1,5", " 1"]) {
      throws(
        () => parseFilters(spec, q(`latitude=${encodeURIComponent(bad)}`)),
        apiError(400, "invalid filter"),
        bad,
      );
    }
    ok(isIsoDate("2024-02-29"));
    ok(!isIsoDate("2023-02-29") && !isIsoDate("2024-1-01") && !isIsoDate("20240101"));
  });
  await t.step("exact matching, case-sensitive, null never matches", () => {
    const rows = [{ name: "A", n: 1 }, { name: "a", n: null }, { name: "A", n: 2 }];
    deepEqual(applyFilters(rows, [{ field: "name", value: "A" }]), [rows[0], rows[2]]);
    deepEqual(applyFilters(rows, [{ field: "n", value: 1 }, { field: "name", value: "A" }]), [
      rows[0],
    ]);
    equal(applyFilters(rows, []), rows);
  });
  await t.step("ordering", () => {
    const rows = [{ c: "B" }, { c: "A" }, { c: "C" }];
    deepEqual(applyOrdering(rows, parseOrdering(q("ordering=c"), ["c"])), [{ c: "A" }, { c: "B" }, {
      c: "C",
    }]);
    deepEqual(applyOrdering(rows, parseOrdering(q("ordering=-c"), ["c"])), [
      { c: "C" },
      { c: "B" },
      { c: "A" },
    ]);
    equal(parseOrdering(q(""), ["c"]), null);
    throws(() => parseOrdering(q("ordering=d"), ["c"]), apiError(400, "invalid ordering"));
  });
});

Deno.test("fields", () => {
  const valid = ["ods_code", "name", "city"];
  equal(parseFields(q(""), valid), null);
  equal(parseFields(q("fields="), valid), null);
  equal(parseFields(q("fields=,%20,"), valid), null);
  deepEqual(parseFields(q("fields=city,ods_code,city"), valid), ["ods_code", "city"]);
  throws(() => parseFields(q("fields=ods_code,colour"), valid), (err: unknown) => {
    const detail = (err as ApiError).detail as { unknown: string[]; valid: string[] };
    return (err as ApiError).status === 400 && detail.unknown[0] === "colour" &&
      detail.valid === valid;
  });
  throws(
    () => parseFields(q(`fields=${"x".repeat(3000)}`), valid),
    apiError(400, "invalid fields"),
  );
  deepEqual(pickFields({ ods_code: "A", name: "B", city: "C" }, ["ods_code", "city"]), {
    ods_code: "A",
    city: "C",
  });
});

Deno.test("codes in paths", () => {
  equal(normalizeCode("organisation", "rgt01"), "RGT01");
  equal(normalizeCode("trust", "7a4"), "7A4");
  equal(normalizeCode("country", "jey"), "JEY");
  equal(normalizeCode("country", "M83000003"), "M83000003");
  equal(normalizeCode("paediatric_diabetes_unit", "pz002"), "PZ002");
  equal(normalizeCode("nhs_england_region", "y61"), "Y61");
  equal(normalizeCode("london_borough", "e09000020"), "E09000020");
  equal(normalizeCode("openuk_network", "epen"), "EPEN");
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
  ) throws(() => normalizeCode(kind, raw), apiError(400, "malformed code"), String(raw));
});

Deno.test("asciiJson writes the same JSON value in pure ASCII", () => {
  const value = { name: "St John’s Ysbyty Gwynedd ŵ", emoji: "🏥", ascii: 'A&B "q"', n: 1.5 };
  const json = asciiJson(value);
  ok([...json].every((ch) => ch.charCodeAt(0) < 0x7f), json);
  deepEqual(JSON.parse(json), value);
  ok(json.includes("\\u2019"), json);
  equal(asciiJson({ plain: "ADDENBROOKE'S" }), JSON.stringify({ plain: "ADDENBROOKE'S" }));
});

Deno.test("ETags", () => {
  const tag = makeEtag("00000000000000da0000", "organisations|RGT01");
  ok(new RegExp(`^"${SHAPES_REVISION}\\.00000000000000da0000\\.[0-9a-f]{14}"$`).test(tag), tag);
  equal(makeEtag("00000000000000da0000", "organisations|RGT01"), tag);
  ok(makeEtag("00000000000000db0000", "organisations|RGT01") !== tag);
  ok(makeEtag("00000000000000da0000", "organisations|RGT02") !== tag);
  equal(hashText(""), hashText(""));
  ok(hashText("a") !== hashText("b"));
  ok(etagMatches(tag, tag));
  ok(etagMatches(`W/${tag}`, tag));
  ok(etagMatches(`"x", ${tag}`, tag));
  ok(etagMatches("*", tag));
  ok(!etagMatches(undefined, tag));
  ok(!etagMatches('"x"', tag));
});

Deno.test("API keys", async () => {
  ok(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2])));
  ok(!constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3])));
  ok(!constantTimeEqual(new Uint8Array([1]), new Uint8Array([1, 2])));
  const headers = (h: Record<string, string>) => ({
    header: (name: string) => new Headers(h).get(name) ?? undefined,
  });
  equal(presentedKey(headers({ "Ocp-Apim-Subscription-Key": " k1 " })), "k1");
  equal(presentedKey(headers({ Authorization: "Bearer k2" })), "k2");
  equal(presentedKey(headers({ Authorization: "Basic k2" })), null);
  equal(presentedKey(headers({})), null);
  const checker = new KeyChecker(["first-key-0000000000", "second-key-000000000"]);
  ok(checker.enabled);
  ok(await checker.check("second-key-000000000"));
  ok(!(await checker.check("second-key-000000001")));
  ok(!(await checker.check(null)));
  ok(!new KeyChecker([]).enabled);
});

function org(code: string, fields: Partial<Organisation> = {}): Organisation {
  return organisationRecord(code, { name: `SITE ${code}`, ...fields });
}

function lists(orgs: Organisation[]): RecordLists {
  return {
    organisation: orgs,
    trust: [],
    local_health_board: [],
    integrated_care_board: [],
    nhs_england_region: [],
    country: [],
    london_borough: [],
    paediatric_diabetes_unit: [
      {
        pz_code: "PZ024",
        paediatric_diabetes_network_code: "PN99",
        source: "curated",
        updated_at: "",
      },
      {
        pz_code: "PZ500",
        paediatric_diabetes_network_code: null,
        source: "curated",
        updated_at: "",
      },
    ],
    paediatric_diabetes_network: [],
    openuk_network: [],
  };
}

Deno.test("serializers", async (t) => {
  const data = buildDataset(lists([
    org("RVV09", { paediatric_diabetes_unit_code: "PZ024", name: "B", trust_code: "GONE" }),
    org("RVV01", { paediatric_diabetes_unit_code: "PZ024", name: "C" }),
    org("RVV02", { paediatric_diabetes_unit_code: "PZ500", name: "A" }),
    org("RVV03", { paediatric_diabetes_unit_code: "PZ500", name: "A" }),
  ]));
  await t.step("the fixed primary organisation, else the first by code", () => {
    equal(primaryOrganisation(data, "PZ024")?.ods_code, "RVV01");
    equal(primaryOrganisation(data, "PZ500")?.ods_code, "RVV02");
    equal(primaryOrganisation(data, "PZ999"), null);
  });
  await t.step("missing parents serialize as null", () => {
    const o = organisation(data, data.records.organisation.get("RVV09")!);
    equal(o.trust, null);
    deepEqual(o.paediatric_diabetes_unit, { pz_code: "PZ024", paediatric_diabetes_network: null });
    const unit = paediatricDiabetesUnitWithParent(
      data,
      data.records.paediatric_diabetes_unit.get("PZ024")!,
    );
    equal(unit.parent, null);
    deepEqual(unit.primary_organisation, { ods_code: "RVV01", name: "C" });
  });
  await t.step("children by name then code; views in their order", () => {
    deepEqual(
      data.organisationsOf("paediatric_diabetes_unit_code", "PZ500").map((o) => o.ods_code),
      [
        "RVV02",
        "RVV03",
      ],
    );
    deepEqual(buildView(VIEWS.organisations_limited, data).map((i) => i.code), [
      "RVV02",
      "RVV03",
      "RVV09",
      "RVV01",
    ]);
    deepEqual(buildView(VIEWS.paediatric_diabetes_units_extended, data).map((i) => i.item), [
      { pz_code: "PZ024" },
      { pz_code: "PZ500" },
    ]);
  });
});
