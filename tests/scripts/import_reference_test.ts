import { deepEqual, equal, match, ok, rejects, throws } from "node:assert/strict";
import { join } from "node:path";
import { importList, listsNamed, toReferenceFile } from "../../scripts/import_reference.ts";
import { ONS_SOURCE, parseReference, SOURCE } from "../../scripts/seed/reference.ts";

const SCRIPT = new URL("../../scripts/import_reference.ts", import.meta.url).pathname;

/** RCPCH-shaped rows of trusts.json, with a field the seed does not use, not sorted by code. */
const TRUSTS = [
  {
    ods_code: "RVV",
    trust_name: "EAST KENT HOSPITALS UNIVERSITY NHS FOUNDATION TRUST",
    address_line_1: "KENT & CANTERBURY HOSPITAL",
    address_line_2: "ETHELBERT ROAD",
    town: "CANTERBURY",
    postcode: "CT1 3NG",
    country: "ENGLAND",
    telephone: "01227 766877",
  },
  {
    ods_code: "R0A",
    trust_name: "MANCHESTER UNIVERSITY NHS FOUNDATION TRUST",
    address_line_1: "COBBETT HOUSE",
    address_line_2: "",
    town: "MANCHESTER",
    postcode: "M13 9WL",
    country: "ENGLAND",
    telephone: "0161 276 1234",
  },
];

/**
 * The ONS boundary attributes file as the RCPCH service carried it: one object of lists (here
 * two rows of the real tables, and empty lists for the others).
 */
const ONS = {
  source: "ONS boundary attribute tables carried by the original RCPCH service",
  countries: [],
  integrated_care_boards: [],
  local_health_boards: [],
  nhs_england_regions: [{
    NHSER22CD: "E40000003",
    NHSER22NM: "London",
    BNG_E: 517515,
    BNG_N: 178392,
    LONG: -0.30866,
    LAT: 51.4923,
    GlobalID: "5f0c37a2-1880-4224-84e8-d1d388ec5680",
  }],
  london_boroughs: [{
    NAME: "Camden",
    GSS_CODE: "E09000007",
    HECTARES: 2178.932,
    NONLD_AREA: 0.0,
    ONS_INNER: "T",
    SUB_2009: "",
    SUB_2006: "",
  }],
};

/** A temp directory holding `files` (name → JSON value), removed on dispose. */
async function fixtureDir(
  files: Record<string, unknown>,
): Promise<AsyncDisposable & { dir: string }> {
  const dir = await Deno.makeTempDir({ prefix: "import_reference_test_" });
  for (const [name, value] of Object.entries(files)) {
    await Deno.writeTextFile(join(dir, name), JSON.stringify(value));
  }
  return { dir, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

Deno.test("import-reference keeps only the fields the seed uses, under the project's names", async () => {
  await using fx = await fixtureDir({ "trusts.json": TRUSTS });
  const file = JSON.parse(await importList(fx.dir, "trusts"));
  deepEqual(file.fields, [
    "ods_code",
    "name",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "country",
  ]);
  deepEqual(file.rows[1], [
    "R0A",
    "MANCHESTER UNIVERSITY NHS FOUNDATION TRUST",
    "COBBETT HOUSE",
    "",
    "MANCHESTER",
    "M13 9WL",
    "ENGLAND",
  ]);
  ok(!JSON.stringify(file).includes("01227 766877"), "an unused field was carried over");
});

Deno.test("import-reference names the RCPCH set and the list the facts come from", async () => {
  await using fx = await fixtureDir({ "trusts.json": TRUSTS });
  const file = JSON.parse(await importList(fx.dir, "trusts"));
  equal(file.source, `${SOURCE}: trusts.json (NHS trusts)`);
  match(file.source, /RCPCH rcpch-nhs-organisations reference lists, October 2024, MIT licence/);
});

Deno.test("import-reference keeps the source list's row order (the first of conflicting rows wins)", () => {
  const rows = [
    { ods_code: "RVV", npda_code: "PZ024" },
    { ods_code: "R0A", npda_code: "PZ136" },
    { ods_code: "RVV", npda_code: "PZ100" },
  ];
  deepEqual(toReferenceFile("pzCodes", rows).rows, [
    ["RVV", "PZ024"],
    ["R0A", "PZ136"],
    ["RVV", "PZ100"],
  ]);
});

Deno.test("import-reference writes one row per line, the same bytes every time", async () => {
  await using fx = await fixtureDir({ "trusts.json": TRUSTS });
  const first = await importList(fx.dir, "trusts");
  equal(await importList(fx.dir, "trusts"), first);
  const lines = first.split("\n");
  equal(lines.filter((l) => l.startsWith('    ["')).length, TRUSTS.length);
  ok(first.endsWith("  ]\n}\n"));
});

Deno.test("import-reference keeps null where the list allows it and refuses it elsewhere", () => {
  const file = toReferenceFile("pzCodesNetworks", [
    { ods_code: "RGT1W", npda_code: "PZ248", network_code: null },
  ]);
  deepEqual(file.rows, [["RGT1W", "PZ248", null]]);
  throws(
    () => toReferenceFile("pzCodes", [{ ods_code: "RGT1W", npda_code: null }]),
    /pz_codes\.json\[0\]\.npda_code: expected a string/,
  );
});

Deno.test("build-seed reads back exactly what import-reference wrote", async () => {
  await using fx = await fixtureDir({ "trusts.json": TRUSTS });
  const rows = parseReference("trusts", JSON.parse(await importList(fx.dir, "trusts")));
  deepEqual(rows.map((r) => [r.ods_code, r.name, r.address_line_2]), [
    ["RVV", "EAST KENT HOSPITALS UNIVERSITY NHS FOUNDATION TRUST", "ETHELBERT ROAD"],
    ["R0A", "MANCHESTER UNIVERSITY NHS FOUNDATION TRUST", ""],
  ]);
});

Deno.test("build-seed refuses a reference file whose fields are not the expected ones", () => {
  throws(
    () => parseReference("pzCodes", { source: "x", fields: ["ods_code"], rows: [] }),
    /pz_codes\.json: fields are \["ods_code"\], expected \["ods_code","pz_code"\]/,
  );
});

Deno.test("import-reference: a missing input file is an error naming it", async () => {
  await using fx = await fixtureDir({});
  await rejects(
    importList(fx.dir, "trusts"),
    (e: Error) => e.message.includes(join(fx.dir, "trusts.json")) && /no such file/.test(e.message),
  );
});

Deno.test("import-reference: a row without a field the seed uses is an error naming the row and field", () => {
  const { town: _, ...noTown } = TRUSTS[1];
  throws(
    () => toReferenceFile("trusts", [TRUSTS[0], noTown]),
    /trusts\.json\[1\]\.town: expected a string/,
  );
});

Deno.test("import-reference: an unknown list name is an error listing the known ones", () => {
  deepEqual(listsNamed(["trusts.json", "pzCodes"]), ["trusts", "pzCodes"]);
  throws(
    () => listsNamed(["boundaries.json"]),
    /unknown reference list "boundaries\.json"; known: .*trusts\.json/,
  );
});

Deno.test("import-reference without --from exits 2 and says --from is required", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-write", SCRIPT],
    stdout: "piped",
    stderr: "piped",
  }).output();
  equal(out.code, 2);
  match(new TextDecoder().decode(out.stderr), /--from DIR is required/);
});

Deno.test("import-reference --from DIR --out DIR LIST writes that list in the project's format", async () => {
  await using fx = await fixtureDir({ "trusts.json": TRUSTS });
  const outDir = join(fx.dir, "out");
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-write",
      SCRIPT,
      "--from",
      fx.dir,
      "--out",
      outDir,
      "trusts.json",
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  equal(out.code, 0, new TextDecoder().decode(out.stderr));
  deepEqual([...Deno.readDirSync(outDir)].map((e) => e.name), ["trusts.json"]);
  equal(await Deno.readTextFile(join(outDir, "trusts.json")), await importList(fx.dir, "trusts"));
});

Deno.test("import-reference reads one list of the ONS file, numbers kept as numbers", () => {
  const file = toReferenceFile("onsRegions", ONS);
  deepEqual(file.fields, ["ons_code", "name", "bng_e", "bng_n", "long", "lat", "globalid"]);
  deepEqual(file.rows, [[
    "E40000003",
    "London",
    517515,
    178392,
    -0.30866,
    51.4923,
    "5f0c37a2-1880-4224-84e8-d1d388ec5680",
  ]]);
});

Deno.test("import-reference names ONS, the file and its list as the source of boundary attributes", () => {
  const { source } = toReferenceFile("onsLondonBoroughs", ONS);
  equal(source, `${ONS_SOURCE}: ons_boundary_attributes.json, london_boroughs (London boroughs)`);
  match(source, /Open Government Licence/);
});

Deno.test("import-reference refuses a number given as text in a numeric field", () => {
  const bad = { ...ONS, london_boroughs: [{ ...ONS.london_boroughs[0], HECTARES: "2178.932" }] };
  throws(
    () => toReferenceFile("onsLondonBoroughs", bad),
    /ons_boundary_attributes\.json\.london_boroughs\[0\]\.HECTARES: expected a number/,
  );
});

Deno.test("import-reference: the ONS file without one of its lists is an error naming it", () => {
  const { london_boroughs: _, ...partial } = ONS;
  throws(
    () => toReferenceFile("onsLondonBoroughs", partial),
    /ons_boundary_attributes\.json: expected an object with a "london_boroughs" list/,
  );
});

Deno.test("build-seed reads back the numbers import-reference wrote", async () => {
  await using fx = await fixtureDir({ "ons_boundary_attributes.json": ONS });
  const rows = parseReference(
    "onsLondonBoroughs",
    JSON.parse(await importList(fx.dir, "onsLondonBoroughs")),
  );
  deepEqual([rows[0].gss_code, rows[0].hectares, rows[0].nonld_area], ["E09000007", 2178.932, 0]);
});

Deno.test("import-reference: naming the ONS file names its five lists", () => {
  deepEqual(listsNamed(["ons_boundary_attributes.json"]), [
    "onsCountries",
    "onsIntegratedCareBoards",
    "onsLocalHealthBoards",
    "onsRegions",
    "onsLondonBoroughs",
  ]);
  deepEqual(listsNamed(["ons_london_boroughs.json"]), ["onsLondonBoroughs"]);
});

Deno.test("import-reference --from DIR ons_boundary_attributes.json writes one file per list", async () => {
  await using fx = await fixtureDir({ "ons_boundary_attributes.json": ONS });
  const outDir = join(fx.dir, "out");
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-write",
      SCRIPT,
      "--from",
      fx.dir,
      "--out",
      outDir,
      "ons_boundary_attributes.json",
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  equal(out.code, 0, new TextDecoder().decode(out.stderr));
  deepEqual([...Deno.readDirSync(outDir)].map((e) => e.name).sort(), [
    "ons_countries.json",
    "ons_integrated_care_boards.json",
    "ons_local_health_boards.json",
    "ons_london_boroughs.json",
    "ons_nhs_england_regions.json",
  ]);
});
