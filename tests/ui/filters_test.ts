import { deepEqual, equal } from "node:assert/strict";
import { organisationRecord } from "../fixtures.ts";
import { type Organisation, type PaediatricDiabetesUnit } from "../../lib/model.ts";
import {
  filterOrganisations,
  paginate,
  parseOrgQuery,
  queryString,
  textScore,
} from "../../lib/ui/filters.ts";

function org(fields: Partial<Organisation>): Organisation {
  return organisationRecord("X", { updated_at: "2026-01-01T00:00:00.000Z", ...fields });
}

const ORGS = [
  org({
    ods_code: "RGT01",
    name: "ADDENBROOKE'S HOSPITAL",
    postcode: "CB2 0QQ",
    trust_code: "RGT",
    integrated_care_board_code: "QUE",
    nhs_england_region_code: "Y61",
    paediatric_diabetes_unit_code: "PZ041",
    openuk_network_code: "EPEN",
  }),
  org({
    ods_code: "RGT1W",
    name: "JERSEY GENERAL HOSPITAL",
    postcode: "JE1 3QS",
    trust_code: "RGT",
    paediatric_diabetes_unit_code: "PZ248",
    source: "curated",
  }),
  org({
    ods_code: "7A1A1",
    name: "YSBYTY GLAN CLWYD",
    postcode: "LL18 5UJ",
    local_health_board_code: "7A1",
    paediatric_diabetes_unit_code: "PZ011",
    openuk_network_code: "EPIC",
  }),
  org({
    ods_code: "RVV01",
    name: "KENT AND CANTERBURY HOSPITAL",
    postcode: "CT1 3NG",
    trust_code: "RVV",
    active: false,
  }),
];

const UNITS = new Map<string, PaediatricDiabetesUnit>([
  ["PZ041", {
    pz_code: "PZ041",
    paediatric_diabetes_network_code: "PN06",
    source: "curated",
    updated_at: "",
  }],
  ["PZ248", {
    pz_code: "PZ248",
    paediatric_diabetes_network_code: "PN01",
    source: "curated",
    updated_at: "",
  }],
  ["PZ011", {
    pz_code: "PZ011",
    paediatric_diabetes_network_code: null,
    source: "curated",
    updated_at: "",
  }],
]);

const codes = (q: Record<string, string>) =>
  filterOrganisations(ORGS, parseOrgQuery((k) => q[k]), UNITS).map((o) => o.ods_code);

Deno.test("filters: search by name words, ODS code or postcode, best matches first", () => {
  deepEqual(codes({}), ["RGT01", "RGT1W", "RVV01", "7A1A1"], "all, by name");
  deepEqual(codes({ q: "addenbrooke" }), ["RGT01"]);
  deepEqual(codes({ q: "hospital general" }), ["RGT1W"], "every word, any order");
  deepEqual(codes({ q: "rgt01" }), ["RGT01"], "exact code, any case");
  deepEqual(codes({ q: "RGT" }), ["RGT01", "RGT1W"], "code prefix");
  deepEqual(codes({ q: "cb2 0qq" }), ["RGT01"], "postcode");
  deepEqual(codes({ q: "CB20QQ" }), ["RGT01"], "postcode without its space");
  deepEqual(codes({ q: "ll18" }), ["7A1A1"], "postcode district");
  deepEqual(codes({ q: "nowhere" }), []);
  equal(textScore(ORGS[0], "RGT01"), 3);
  equal(textScore(ORGS[0], "RGT0"), 2);
  equal(textScore(ORGS[0], "hospital"), 1);
});

Deno.test("filters: trust or health board, ICB, region, PDU, network, OPEN UK network, active", () => {
  deepEqual(codes({ trust: "rgt" }), ["RGT01", "RGT1W"]);
  deepEqual(codes({ trust: "7A1" }), ["7A1A1"], "a Welsh health board is a parent too");
  deepEqual(codes({ icb: "QUE" }), ["RGT01"]);
  deepEqual(codes({ region: "Y61" }), ["RGT01"]);
  deepEqual(codes({ pdu: "PZ248" }), ["RGT1W"]);
  deepEqual(codes({ network: "PN06" }), ["RGT01"], "through the unit's network");
  deepEqual(codes({ openuk: "EPIC" }), ["7A1A1"]);
  deepEqual(codes({ active: "false" }), ["RVV01"]);
  deepEqual(codes({ active: "true", trust: "RGT", q: "jersey" }), ["RGT1W"], "combined");
});

Deno.test("filters: malformed parameters read as 'any'; the query string round-trips", () => {
  const q = parseOrgQuery((k) =>
    ({ trust: "<script>", active: "maybe", page: "-3", q: "  a   b  " } as Record<string, string>)[
      k
    ]
  );
  equal(q.trust, "");
  equal(q.active, "");
  equal(q.page, 1);
  equal(q.q, "a b");
  const full = parseOrgQuery((k) =>
    ({ q: "x y", icb: "QUE", active: "true", page: "2" } as Record<string, string>)[k]
  );
  equal(queryString(full), "?q=x+y&icb=QUE&active=true&page=2");
  equal(queryString(full, { page: 1 }), "?q=x+y&icb=QUE&active=true");
  const back = new URLSearchParams(queryString(full));
  deepEqual(parseOrgQuery((k) => back.get(k)), full);
  equal(queryString(parseOrgQuery(() => null)), "");
});

Deno.test("filters: pages are clamped", () => {
  const items = Array.from({ length: 120 }, (_, i) => i);
  const first = paginate(items, 1, 50);
  deepEqual([first.page, first.pages, first.from, first.to, first.items.length], [1, 3, 1, 50, 50]);
  const last = paginate(items, 99, 50);
  deepEqual([last.page, last.from, last.to, last.items[0]], [3, 101, 120, 100]);
  const none = paginate([], 1, 50);
  deepEqual([none.page, none.pages, none.from, none.to], [1, 1, 0, 0]);
});
