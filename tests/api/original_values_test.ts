/**
 * The original's values on a freshly seeded store (issue #12 items 2, 3 and 10): empty text is
 * `""` exactly where the original gives `""`, the boundaries carry the ONS names and attributes,
 * and `geocode_coordinates` is the EWKT point. Expected values are the 2024 reference lists' and
 * the ONS tables' (data/reference/), never this service's own output.
 */
import { deepEqual, equal } from "node:assert/strict";
import { appFor, getJson, patch, seededStore } from "./helpers.ts";
import { body, seededApp } from "./seeded.ts";

const app = await seededApp();

type Row = Record<string, unknown>;

Deno.test('empty organisation text is "": 7A623 has no address2, address3, telephone, website or county', async () => {
  const o = await body<Row>(app, "/organisations/7A623/");
  deepEqual(
    [o.address2, o.address3, o.telephone, o.website, o.county],
    ["", "", "", "", ""],
  );
});

Deno.test('empty text is "" in lists too: /organisations/?ods_code=7A623', async () => {
  const [o] = await body<Row[]>(app, "/organisations/?ods_code=7A623");
  equal(o.telephone, "");
  equal(o.county, "");
});

Deno.test('a trust\'s empty address_line_2 is "" (RA2), also nested in its organisation', async () => {
  equal((await body<Row>(app, "/trusts/RA2/")).address_line_2, "");
  equal(((await body<Row>(app, "/organisations/RA201/")).trust as Row).address_line_2, "");
});

Deno.test("fields the original gives as null stay null: trusts' telephone and website, published_at", async () => {
  const t = await body<Row>(app, "/trusts/RGT/");
  deepEqual([t.telephone, t.website, t.published_at], [null, null, null]);
  equal((await body<Row>(app, "/organisations/RGT01/")).published_at, null);
});

Deno.test("an organisation's absent parents stay null: RGT01 has no health board or borough", async () => {
  const o = await body<Row>(app, "/organisations/RGT01/");
  deepEqual([o.local_health_board, o.london_borough], [null, null]);
});

Deno.test("ICB names are ONS's, mixed case: QUE nested in RGT01", async () => {
  const o = await body<Row>(app, "/organisations/RGT01/");
  deepEqual(o.integrated_care_board, {
    boundary_identifier: "E54000056",
    name: "NHS Cambridgeshire and Peterborough Integrated Care Board",
    ods_code: "QUE",
  });
});

Deno.test("an ICB carries its ONS centroid and global id (QUE), geometry null", async () => {
  const i = await body<Row>(app, "/integrated_care_boards/QUE/");
  deepEqual(
    [i.name, i.bng_e, i.bng_n, i.long, i.lat, i.globalid, i.geom],
    [
      "NHS Cambridgeshire and Peterborough Integrated Care Board",
      536856,
      268346,
      0.005437,
      52.2962,
      "456aed5c-f453-4a7d-a73b-cc3c3fe82637",
      null,
    ],
  );
});

Deno.test("a health board has its ONS English and Welsh names and attributes (7A1)", async () => {
  const l = await body<Row>(app, "/local_health_boards/7A1/");
  deepEqual(l, {
    ods_code: "7A1",
    publication_date: "2022-04-14",
    boundary_identifier: "W11000023",
    name: "Betsi Cadwaladr University Health Board",
    welsh_name: "Bwrdd Iechyd Prifysgol Betsi Cadwaladr",
    bng_e: 282470,
    bng_n: 346124,
    long: -3.75275,
    lat: 52.99951,
    globalid: "cc7c5669-07fe-47bf-9e74-db1f5c2e4690",
    geom: null,
  });
});

Deno.test("a health board's limited nesting has the ONS name (7A4 under 7A4H1)", async () => {
  const o = await body<Row>(app, "/organisations/7A4H1/");
  deepEqual(o.local_health_board, {
    ods_code: "7A4",
    boundary_identifier: "W11000029",
    name: "Cardiff and Vale University Health Board",
  });
});

Deno.test("a region carries its ONS attributes (Y56 London)", async () => {
  const r = await body<Row>(app, "/nhs_england_regions/Y56/");
  deepEqual(
    [r.boundary_identifier, r.name, r.bng_e, r.bng_n, r.long, r.lat, r.globalid],
    [
      "E40000003",
      "London",
      517515,
      178392,
      -0.30866,
      51.4923,
      "5f0c37a2-1880-4224-84e8-d1d388ec5680",
    ],
  );
});

Deno.test("a country carries its ONS Welsh name and attributes (England)", async () => {
  const c = await body<Row>(app, "/countries/E92000001/");
  deepEqual(c, {
    boundary_identifier: "E92000001",
    name: "England",
    welsh_name: "Lloegr",
    bng_e: 394883,
    bng_n: 370883,
    long: -2.07811,
    lat: 53.235,
    globalid: "f6b76559-3626-49b8-b50b-bd15efcb0505",
    geom: null,
  });
});

Deno.test("Jersey, not in the ONS countries table, has its name only", async () => {
  const c = await body<Row>(app, "/countries/JEY/");
  deepEqual([c.name, c.welsh_name, c.bng_e, c.globalid], ["Jersey", null, null, null]);
});

Deno.test("a London borough carries its ONS areas; sub_2009 and sub_2006 are null (Camden)", async () => {
  const b = await body<Row>(app, "/london_boroughs/E09000007/");
  deepEqual(b, {
    name: "Camden",
    gss_code: "E09000007",
    hectares: 2178.932,
    nonld_area: 0,
    ons_inner: "T",
    sub_2009: null,
    sub_2006: null,
    geom: null,
  });
});

Deno.test("geocode_coordinates is the EWKT point of longitude and latitude (RGT01)", async () => {
  const o = await body<Row>(app, "/organisations/RGT01/");
  equal(o.geocode_coordinates, "SRID=4326;POINT (0.140753239 52.17513275)");
});

Deno.test("geocode_coordinates of Jersey General Hospital has its negative longitude", async () => {
  const o = await body<Row>(app, "/organisations/RGT1W/");
  equal(o.geocode_coordinates, "SRID=4326;POINT (-2.112157 49.1877254)");
});

Deno.test("geocode_coordinates is null without coordinates", async () => {
  // This test writes, so it has a store of its own.
  const kv = await seededStore();
  try {
    await patch(kv.store, "organisation", "RGT01", { latitude: null, longitude: null });
    const res = await getJson(appFor(kv.store), "/organisations/RGT01/");
    equal((res.body as Row).geocode_coordinates, null);
  } finally {
    await kv.close();
  }
});
