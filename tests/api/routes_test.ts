/**
 * Every read route over the real reference seed: response shapes against the original's
 * examples (rcpch-original.md §2 and the original serializers), the Done-when check, filters,
 * sparse fieldsets, ordering, trailing slashes and the 400/404/405 answers.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { z } from "zod";
import type { SnapshotKind } from "../../lib/model.ts";
import { CODE_PARAMS } from "../../lib/api/codes.ts";
import { ROUTES } from "../../lib/api/routes.ts";
import { COMPONENTS } from "../../lib/api/schemas.ts";
import { VIEWS } from "../../lib/api/views.ts";
import { appFor, assertShape, getJson, OneOf, patch, seededStore } from "./helpers.ts";
import { seededApp } from "./seeded.ts";

// One seeded store for the read-only tests of this file (each test only reads); the test that
// writes builds its own.
const app = await seededApp();

/** A code of every kind that exists in the seed and has children. */
const SAMPLE: Record<SnapshotKind, string> = {
  organisation: "RGT01",
  trust: "RGT",
  local_health_board: "7A4",
  integrated_care_board: "QUE",
  nhs_england_region: "Y61",
  london_borough: "E09000020",
  paediatric_diabetes_unit: "PZ024",
  paediatric_diabetes_network: "PN06",
  country: "JEY",
  openuk_network: "EPEN",
};

// --- The original's example shapes (values are samples; nulls are nullable fields). ---

const TRUST = {
  ods_code: "RGT",
  name: "CAMBRIDGE UNIVERSITY HOSPITALS NHS FOUNDATION TRUST",
  address_line_1: "CAMBRIDGE BIOMEDICAL CAMPUS",
  address_line_2: "HILLS ROAD",
  town: "CAMBRIDGE",
  postcode: "CB2 0QQ",
  country: "ENGLAND",
  telephone: null,
  website: null,
  active: true,
  published_at: null,
};
const LHB_LIMITED = { ods_code: "7A3", boundary_identifier: "W11000031", name: "Swansea Bay" };
const LHB_EXTENDED = {
  ods_code: "7A3",
  publication_date: "2022-04-14",
  boundary_identifier: "W11000031",
  name: "Swansea Bay University Health Board",
  welsh_name: "Bwrdd Iechyd Prifysgol Bae Abertawe",
  bng_e: 266283,
  bng_n: 198175,
  long: -3.93489,
  lat: 51.6664,
  globalid: "x",
  geom: "SRID=27700;MULTIPOLYGON (...)",
};
const ORG_LIMITED = { ods_code: "RCF22", name: "AIREDALE GENERAL HOSPITAL" };
/** The doc's RGT01 example, with the LHB and London borough nestings filled in. */
const ORGANISATION = {
  ods_code: "RGT01",
  name: "ADDENBROOKE'S HOSPITAL",
  website: "https://www.cuh.nhs.uk/",
  address1: "HILLS ROAD",
  address2: "",
  address3: "",
  telephone: "01223 245151",
  city: "CAMBRIDGE",
  county: "CAMBRIDGESHIRE",
  latitude: 52.17513275,
  longitude: 0.140753239,
  postcode: "CB2 0QQ",
  geocode_coordinates: "SRID=4326;POINT (0.140753239 52.17513275)",
  active: true,
  published_at: null,
  paediatric_diabetes_unit: {
    pz_code: "PZ041",
    paediatric_diabetes_network: { pn_code: "PN06", name: "East of England" },
  },
  trust: TRUST,
  local_health_board: LHB_LIMITED,
  integrated_care_board: {
    boundary_identifier: "E54000056",
    name: "NHS Cambridgeshire and Peterborough Integrated Care Board",
    ods_code: "QUE",
  },
  nhs_england_region: {
    region_code: "Y61",
    publication_date: "2022-07-30",
    boundary_identifier: "E40000007",
    name: "East of England",
  },
  openuk_network: {
    name: "Eastern Paediatric Epilepsy Network",
    boundary_identifier: "EPEN",
    country: "England",
    publication_date: "2022-12-08",
  },
  london_borough: { name: "Camden", gss_code: "E09000007" },
  country: { boundary_identifier: "E92000001", name: "England" },
  // NEW in this service, after the original's fields: the postcode's local authority, null on
  // a seeded store (the sync fills it, tests/sync/local_authorities_test.ts).
  local_authority: null,
};
const ICB_EXTENDED = {
  boundary_identifier: "E54000054",
  name: "NHS West Yorkshire Integrated Care Board",
  bng_e: 419321,
  bng_n: 443326,
  long: -1.70754,
  lat: 53.8858,
  globalid: "a00a4766",
  geom: "SRID=27700;MULTIPOLYGON (...)",
  ods_code: "QWO",
  publication_date: "2023-03-15",
};
const REGION_EXTENDED = {
  region_code: "Y58",
  publication_date: "2022-07-30",
  boundary_identifier: "E40000006",
  name: "South West",
  bng_e: 285015,
  bng_n: 102567,
  long: -3.63343,
  lat: 50.8112,
  globalid: "4e8906ed",
  geom: "SRID=27700;MULTIPOLYGON (...)",
};
const BOROUGH_EXTENDED = {
  name: "Camden",
  gss_code: "E09000007",
  hectares: 2178.932,
  nonld_area: 0,
  ons_inner: "T",
  sub_2009: "Central",
  sub_2006: "North",
  geom: "SRID=27700;MULTIPOLYGON (...)",
};
const PDU_PARENT = {
  pz_code: "PZ002",
  paediatric_diabetes_network: { pn_code: "PN06", name: "East of England" },
  parent: new OneOf(TRUST, LHB_LIMITED),
  primary_organisation: { ods_code: "RM102", name: "NORFOLK & NORWICH UNIVERSITY HOSPITAL" },
};
const COUNTRY = {
  boundary_identifier: "E92000001",
  name: "England",
  welsh_name: "Lloegr",
  bng_e: 394883,
  bng_n: 370883,
  long: -2.07811,
  lat: 53.235,
  globalid: "f6b76559",
  geom: "",
};
const OPENUK = {
  name: "North Thames Paediatric Epilepsy Network",
  boundary_identifier: "NTPEN",
  country: "England",
  publication_date: "2023-04-01",
};
const withOrgs = (o: object) => ({ ...o, organisations: [ORG_LIMITED] });

/** Each original route, with the shape of one item of its answer. */
const EXAMPLES: [path: string, example: object, list: boolean][] = [
  ["/organisations/", ORGANISATION, true],
  ["/organisations/RGT01/", ORGANISATION, false],
  ["/organisations/limited/", ORG_LIMITED, true],
  ["/organisations/limited/RGT01/", ORG_LIMITED, false],
  ["/organisations/paediatric-diabetes-units", ORGANISATION, true],
  ["/trusts/", withOrgs(TRUST), true],
  ["/trusts/RGT/", withOrgs(TRUST), false],
  ["/local_health_boards/", LHB_EXTENDED, true],
  ["/local_health_boards/7A4/", LHB_EXTENDED, false],
  ["/local_health_boards/extended/", LHB_EXTENDED, true],
  ["/local_health_boards/extended/7A4/", LHB_EXTENDED, false],
  ["/local_health_boards/organisations/", withOrgs(LHB_LIMITED), true],
  ["/local_health_boards/organisations/7A4/", withOrgs(LHB_LIMITED), false],
  ["/local_health_boards/7A4/organisations/", withOrgs(LHB_LIMITED), false],
  ["/integrated_care_boards/", ICB_EXTENDED, true],
  ["/integrated_care_boards/QUE/", ICB_EXTENDED, false],
  ["/integrated_care_boards/extended/QUE/", ICB_EXTENDED, false],
  [
    "/integrated_care_boards/organisations/",
    withOrgs({
      boundary_identifier: "E54000054",
      name: "NHS West Yorkshire Integrated Care Board",
      ods_code: "QWO",
      publication_date: "2023-03-15",
    }),
    true,
  ],
  ["/nhs_england_regions/", REGION_EXTENDED, true],
  ["/nhs_england_regions/Y61/", REGION_EXTENDED, false],
  [
    "/nhs_england_regions/organisations/Y61/",
    withOrgs({
      region_code: "Y58",
      publication_date: "2022-07-30",
      boundary_identifier: "E40000006",
      name: "South West",
    }),
    false,
  ],
  ["/london_boroughs/", BOROUGH_EXTENDED, true],
  ["/london_boroughs/extended/E09000020/", BOROUGH_EXTENDED, false],
  ["/london_boroughs/organisations/", withOrgs({ name: "Camden", gss_code: "E09000007" }), true],
  [
    "/paediatric_diabetes_units/",
    { pz_code: "PZ002", paediatric_diabetes_network: PDU_PARENT.paediatric_diabetes_network },
    true,
  ],
  ["/paediatric_diabetes_units/extended/", { pz_code: "PZ002" }, true],
  ["/paediatric_diabetes_units/extended/PZ024/", { pz_code: "PZ002" }, false],
  ["/paediatric_diabetes_units/organisations/", withOrgs({ pz_code: "PZ002" }), true],
  ["/paediatric_diabetes_units/organisations/PZ024/", withOrgs({ pz_code: "PZ002" }), false],
  ["/paediatric_diabetes_units/parent/", PDU_PARENT, true],
  ["/paediatric_diabetes_units/parent/?pz_code=PZ002", PDU_PARENT, true],
  ["/paediatric_diabetes_units/PZ002/parent/", PDU_PARENT, false],
  [
    "/paediatric_diabetes_units/sibling-organisations/RGT01/",
    {
      pz_code: "PZ215",
      organisations: [{ ...ORG_LIMITED, parent: new OneOf(TRUST, LHB_EXTENDED) }],
    },
    true,
  ],
  ["/countries/", COUNTRY, true],
  ["/countries/JEY/", COUNTRY, false],
  ["/openuk_networks/", OPENUK, true],
  ["/openuk_networks/EPEN/", OPENUK, false],
];
Deno.test("Done when: /organisations/RGT01/ is Addenbrooke's with all parents", async () => {
  const { status, body } = await getJson(app, "/organisations/RGT01/");
  equal(status, 200);
  const o = body as typeof ORGANISATION;
  equal(o.name, "ADDENBROOKE'S HOSPITAL");
  equal(o.trust.ods_code, "RGT");
  equal(o.trust.name, "CAMBRIDGE UNIVERSITY HOSPITALS NHS FOUNDATION TRUST");
  equal(o.integrated_care_board.ods_code, "QUE");
  equal(o.nhs_england_region.region_code, "Y61");
  deepEqual(o.paediatric_diabetes_unit, {
    pz_code: "PZ041",
    paediatric_diabetes_network: { pn_code: "PN06", name: "East of England" },
  });
  equal(o.openuk_network.boundary_identifier, "EPEN");
  deepEqual(o.country, { boundary_identifier: "E92000001", name: "England" });
  equal(o.local_health_board, null);
  equal(o.london_borough, null);
  equal(o.geocode_coordinates, "SRID=4326;POINT (0.140753239 52.17513275)");
  equal(o.latitude, 52.17513275);
  assertShape(o, ORGANISATION);
});

Deno.test("each original route has the original's shape", async (t) => {
  for (const [path, example, list] of EXAMPLES) {
    await t.step(path, async () => {
      const { status, body } = await getJson(app, path);
      equal(status, 200, path);
      if (list) {
        ok(Array.isArray(body), `${path} is an array`);
        ok(body.length > 0, `${path} is not empty`);
        for (const item of body) assertShape(item, example);
      } else {
        ok(!Array.isArray(body) && body !== null);
        assertShape(body, example);
      }
    });
  }
});

Deno.test("every route in the table answers 200 in its published schema", async (t) => {
  for (const route of ROUTES) {
    const entity = route.entity;
    const path = entity
      ? route.path.replace(`{${CODE_PARAMS[entity].name}}`, SAMPLE[entity as SnapshotKind])
      : route.path;
    await t.step(path, async () => {
      const { status, body } = await getJson(app, path);
      equal(status, 200, path);
      const schema = route.mode === "history"
        ? COMPONENTS.History
        : route.mode === "snapshot"
        ? COMPONENTS.OrganisationSnapshot
        : COMPONENTS[VIEWS[route.view!].component];
      const many = route.mode === "list" || route.mode === "siblings";
      (many ? z.array(schema) : schema).parse(body);
      if (many) ok((body as unknown[]).length > 0, `${path} is not empty`);
    });
  }
});

Deno.test("without the trailing slash every route gives the same answer", async () => {
  for (
    const path of [
      "/organisations/",
      "/trusts/RGT/",
      "/paediatric_diabetes_units/PZ002/parent/",
    ]
  ) {
    const a = await app.request(path);
    const b = await app.request(path.replace(/\/$/, ""));
    equal(b.status, 200);
    equal(await b.text(), await a.text());
    equal(b.headers.get("etag"), a.headers.get("etag"));
  }
});

Deno.test("codes in paths are case-insensitive", async () => {
  equal((await getJson(app, "/organisations/rgt01/")).status, 200);
  equal((await getJson(app, "/paediatric_diabetes_units/pz024/parent/")).status, 200);
  equal((await getJson(app, "/countries/jey/")).status, 200);
});

Deno.test("lists are unpaginated and in the original's order", async () => {
  const orgs = (await getJson(app, "/organisations/")).body as { name: string }[];
  equal(orgs.length, 339);
  const names = orgs.map((o) => o.name);
  deepEqual(names, [...names].sort());
  equal(((await getJson(app, "/trusts/")).body as unknown[]).length, 242);
  equal(((await getJson(app, "/paediatric_diabetes_units/")).body as unknown[]).length, 173);
  equal(((await getJson(app, "/openuk_networks/")).body as unknown[]).length, 15);
  const lhbs = (await getJson(app, "/local_health_boards/")).body as { name: string }[];
  equal(lhbs.length, 7);
  deepEqual(lhbs.map((l) => l.name), lhbs.map((l) => l.name).sort().reverse());
  const countries = (await getJson(app, "/countries/")).body as {
    boundary_identifier: string;
  }[];
  deepEqual(countries.map((c) => c.boundary_identifier), [
    "W92000004",
    "S92000003",
    "N92000002",
    "JEY",
    "E92000001",
  ]);
});

Deno.test("parent: primary organisations and parents", async () => {
  type Unit = typeof PDU_PARENT & { parent: Record<string, unknown> | null };
  const fixed = (await getJson(app, "/paediatric_diabetes_units/PZ024/parent/")).body as Unit;
  deepEqual(fixed.primary_organisation?.ods_code, "RVV01");
  equal(fixed.parent?.ods_code, "RVV");
  assertShape(fixed.parent, TRUST);
  for (
    const [pz, ods] of [["PZ050", "RVR07"], ["PZ099", "RWH01"], ["PZ136", "R0A03"], [
      "PZ206",
      "RM321",
    ], ["PZ230", "RXC01"]]
  ) {
    const u = (await getJson(app, `/paediatric_diabetes_units/parent/${pz}/`)).body as Unit;
    equal(u.primary_organisation?.ods_code, ods, pz);
  }
  // Otherwise the first by name: FURNESS GENERAL HOSPITAL before ROYAL LANCASTER INFIRMARY.
  const other = (await getJson(app, "/paediatric_diabetes_units/PZ167/parent/")).body as Unit;
  equal(other.primary_organisation?.ods_code, "RTXBU");
  const welsh = (await getJson(app, "/paediatric_diabetes_units/PZ244/parent/")).body as Unit;
  equal(welsh.primary_organisation?.ods_code, "7A2AJ");
  equal(welsh.parent?.ods_code, "7A2");
  assertShape(welsh.parent, LHB_LIMITED);
  // PZ014's only site (RALC7) is not in the 2024 list: no unit without an organisation.
  equal((await getJson(app, "/paediatric_diabetes_units/PZ014/parent/")).status, 404);
  const jersey = (await getJson(app, "/paediatric_diabetes_units/PZ248/parent/")).body as Unit;
  deepEqual(jersey.paediatric_diabetes_network, { pn_code: "PN01", name: "Jersey" });
  equal(jersey.primary_organisation?.ods_code, "RGT1W");
  const one = (await getJson(app, "/paediatric_diabetes_units/parent/?pz_code=PZ024")).body;
  deepEqual(one, [fixed]);
  deepEqual((await getJson(app, "/paediatric_diabetes_units/parent/?pz_code=PZ000")).body, []);
});

Deno.test(
  "sibling-organisations: the unit of an organisation with all its sites",
  async () => {
    type Siblings = {
      pz_code: string;
      organisations: { ods_code: string; parent: object }[];
    }[];
    const s = (await getJson(app, "/paediatric_diabetes_units/sibling-organisations/RVV09/"))
      .body as Siblings;
    equal(s.length, 1);
    equal(s[0].pz_code, "PZ024");
    // By name: BUCKLAND, KENT & CANTERBURY, QUEEN ELIZABETH THE QUEEN MOTHER, ROYAL VICTORIA,
    // WILLIAM HARVEY.
    deepEqual(s[0].organisations.map((o) => o.ods_code), [
      "RVV02",
      "RVVKC",
      "RVV09",
      "RVV03",
      "RVV01",
    ]);
    const welsh = (await getJson(app, "/paediatric_diabetes_units/sibling-organisations/7A2AA/"))
      .body as Siblings;
    assertShape(welsh[0].organisations[0].parent, LHB_EXTENDED);
    deepEqual(
      (await getJson(app, "/paediatric_diabetes_units/sibling-organisations/7A1LW/")).body,
      [],
    );
    equal(
      (await getJson(app, "/paediatric_diabetes_units/sibling-organisations/ZZZ99/")).status,
      404,
    );
  },
);

Deno.test("filters: exact matches of the right type", async () => {
  const codes = async (q: string) =>
    ((await getJson(app, `/organisations/?${q}`)).body as { ods_code: string }[]).map((o) =>
      o.ods_code
    );
  deepEqual(await codes("ods_code=RGT01"), ["RGT01"]);
  deepEqual(await codes("ods_code=rgt01"), []);
  deepEqual(await codes("city=CAMBRIDGE&name=ADDENBROOKE%27S%20HOSPITAL"), ["RGT01"]);
  deepEqual(await codes("latitude=52.17513275"), ["RGT01"]);
  equal((await codes("active=true")).length, 339);
  equal((await codes("active=True")).length, 339);
  equal((await codes("active=1")).length, 339);
  deepEqual(await codes("active=False"), []);
  deepEqual(await codes("active=0"), []);
  equal((await codes("name=")).length, 339, "an empty value is no filter");
  equal((await codes("colour=blue")).length, 339, "unknown parameters are ignored");
  deepEqual(await codes("ods_code=XXX&ods_code=RGT01"), ["RGT01"], "the last value wins");
  const trusts = (await getJson(app, "/trusts/?country=WALES")).body as { country: string }[];
  ok(trusts.length > 0 && trusts.every((x) => x.country === "WALES"));
  const openuk = (await getJson(app, "/openuk_networks/?country=Wales")).body as {
    boundary_identifier: string;
  }[];
  deepEqual(openuk.map((n) => n.boundary_identifier).sort(), ["EPIC", "SWEP"]);
  equal(
    ((await getJson(app, "/openuk_networks/?publication_date=2022-12-08")).body as unknown[])
      .length,
    15,
  );
  deepEqual(
    ((await getJson(app, "/nhs_england_regions/organisations/?region_code=Y61")).body as {
      region_code: string;
    }[]).map((r) => r.region_code),
    ["Y61"],
  );
  const units = (await getJson(app, "/paediatric_diabetes_units/?pz_code=PZ041")).body;
  deepEqual(units, [{
    pz_code: "PZ041",
    paediatric_diabetes_network: { pn_code: "PN06", name: "East of England" },
  }]);
});

Deno.test("filters: a value of the wrong type is a 400", async () => {
  for (
    const q of [
      "/organisations/?active=maybe",
      "/organisations/?latitude=north",
      "/organisations/?published_at=2024-13-01",
      "/trusts/?active=yes",
      "/openuk_networks/?publication_date=08/12/2022",
      "/nhs_england_regions/?bng_e=12abc",
    ]
  ) {
    const { status, body } = await getJson(app, q);
    equal(status, 400, q);
    equal((body as { error: string }).error, "invalid filter");
  }
});

Deno.test("ordering on /organisations/paediatric-diabetes-units", async () => {
  const list = async (
    q: string,
  ) => ((await getJson(app, `/organisations/paediatric-diabetes-units?${q}`)).body as {
    ods_code: string;
    name: string;
  }[]);
  const byCode = (await list("ordering=ods_code")).map((o) => o.ods_code);
  deepEqual(byCode, [...byCode].sort());
  equal(byCode.length, 191);
  const desc = (await list("ordering=-name")).map((o) => o.name);
  deepEqual(desc, [...desc].sort().reverse());
  equal(
    (await getJson(app, "/organisations/paediatric-diabetes-units?ordering=city")).status,
    400,
  );
});

Deno.test("fields: sparse fieldsets, 400 naming the valid fields", async () => {
  deepEqual((await getJson(app, "/organisations/?ods_code=RGT01&fields=name,ods_code")).body, [
    { ods_code: "RGT01", name: "ADDENBROOKE'S HOSPITAL" },
  ]);
  deepEqual((await getJson(app, "/trusts/RGT/?fields=%20name%20")).body, {
    name: "CAMBRIDGE UNIVERSITY HOSPITALS NHS FOUNDATION TRUST",
  });
  const { body } = await getJson(app, "/organisations/RGT01/?fields=trust");
  deepEqual(Object.keys(body as object), ["trust"]);
  assertShape((body as { trust: unknown }).trust, TRUST);
  const bad = await getJson(app, "/organisations/?fields=ods_code,colour");
  equal(bad.status, 400);
  const info = bad.body as { detail: string; unknown: string[]; valid: string[] };
  equal(info.detail, "Invalid fields.");
  deepEqual(info.unknown, ["colour"]);
  deepEqual(info.valid, Object.keys(ORGANISATION));
  equal((await getJson(app, "/countries/JEY/?fields=geom,nope")).status, 400);
  equal((await getJson(app, "/countries/?fields=")).status, 200);
});

Deno.test("400 for malformed codes, 404 for unknown ones and routes", async () => {
  for (
    const path of [
      "/organisations/R1/",
      "/organisations/ABCDEFGHIJK/",
      "/organisations/RGT-01/",
      "/trusts/R%20T/",
      "/paediatric_diabetes_units/PZ1/parent/",
      "/paediatric_diabetes_units/parent/ZP001/",
      "/nhs_england_regions/X61/",
      "/london_boroughs/E0900002/",
      "/countries/ENG/",
      "/paediatric_diabetes_units/sibling-organisations/R!1/",
      "/organisations/R1/history/",
    ]
  ) {
    const { status, body } = await getJson(app, path);
    equal(status, 400, path);
    equal((body as { error: string }).error, "malformed code");
  }
  for (
    const path of [
      "/organisations/ZZZ99/",
      "/trusts/ZZZ/",
      "/paediatric_diabetes_units/PZ000/parent/",
      "/countries/E92000003/",
      "/openuk_networks/NOPE/",
      "/organisations/ZZZ99/history/",
      "/nope/",
      "/organisations/RGT01/colour/",
    ]
  ) {
    const { status, body } = await getJson(app, path);
    equal(status, 404, path);
    equal((body as { error: string }).error, "not found");
  }
});

Deno.test("405 for writes to read routes", async () => {
  for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
    for (
      const path of ["/organisations/", "/organisations/RGT01/", "/trusts/RGT", "/schema/"]
    ) {
      const res = await app.request(path, { method, body: method === "DELETE" ? null : "{}" });
      equal(res.status, 405, `${method} ${path}`);
      equal(res.headers.get("allow"), "GET, HEAD, OPTIONS");
      equal(((await res.json()) as { error: string }).error, "method not allowed");
    }
  }
  const head = await app.request("/organisations/RGT01/", { method: "HEAD" });
  equal(head.status, 200);
  equal(await head.text(), "");
  ok(head.headers.get("etag"));
});

Deno.test("bad input gives a JSON 4xx, never a 500", async () => {
  const paths = [
    "/organisations/%E0%A4%A/",
    "/organisations/%/",
    "/organisations/%C3%84%C3%96%C3%9C/",
    "/organisations/\u{1F600}/",
    `/organisations/${"A".repeat(20_000)}/`,
    "/paediatric_diabetes_units/%00/parent/",
    "/organisations/?fields=%ZZ",
    `/organisations/?fields=${"a,".repeat(5000)}`,
    "/organisations/?latitude=1e999",
    "/organisations/?active=%00",
    "/organisations/paediatric-diabetes-units?ordering=%E0%A4%A",
    "/docs/%2e%2e%2fapi.ts",
    "/docs/constructor",
    "/docs/__proto__",
  ];
  for (const path of paths) {
    const res = await app.request(path);
    ok(res.status >= 400 && res.status < 500, `${path.slice(0, 60)} gave ${res.status}`);
    const body = await res.json() as Record<string, unknown>;
    deepEqual(Object.keys(body).slice(0, 2), ["detail", "error"], path.slice(0, 60));
    equal(typeof body.detail, "string", path.slice(0, 60));
  }
  // Odd but well-typed filter values simply match nothing.
  for (
    const path of [
      `/organisations/?name=${"x".repeat(50_000)}`,
      "/organisations/?name=%E0%A4%A&city=%",
      "/paediatric_diabetes_units/parent/?pz_code=%F0%9F%98%80",
    ]
  ) {
    const res = await app.request(path);
    equal(res.status, 200, path.slice(0, 60));
    deepEqual(await res.json(), []);
  }
});

Deno.test("history: the change log and the full stored record", async () => {
  // This test writes, so it has a store of its own.
  const kv = await seededStore();
  const app = appFor(kv.store);
  try {
    const before = (await getJson(app, "/organisations/RGT01/history/")).body as {
      entity: string;
      record: Record<string, unknown>;
      changes: { op: string; cause: string; changes: { field: string }[] }[];
    };
    equal(before.entity, "organisation");
    equal(before.record.source, "ods");
    ok("updated_at" in before.record && "last_change_date" in before.record);
    equal(before.record.trust_code, "RGT");
    deepEqual(before.changes.map((c) => [c.op, c.cause]), [["create", "seed"]]);
    await patch(kv.store, "organisation", "RGT01", { telephone: "01223 000000" });
    const after = (await getJson(app, "/organisations/RGT01/history/")).body as typeof before;
    equal(after.changes.length, 2);
    equal(after.changes[1].op, "update");
    deepEqual(after.changes[1].changes.map((c) => c.field), ["telephone"]);
    equal(after.record.telephone, "01223 000000");
    equal(
      ((await getJson(app, "/organisations/RGT01/")).body as { telephone: string }).telephone,
      "01223 000000",
    );
    for (const [kind, code] of Object.entries(SAMPLE)) {
      const route = ROUTES.find((r) => r.mode === "history" && r.entity === kind)!;
      const path = route.path.replace(/\{[a-z_]+\}/, code);
      const { status, body } = await getJson(app, path);
      equal(status, 200, path);
      COMPONENTS.History.parse(body);
    }
  } finally {
    await kv.close();
  }
});
