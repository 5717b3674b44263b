/**
 * The reference lists in the project's own format (`data/reference/<file>`): which lists there
 * are, which of their fields the seed uses (under the project's names), and reading and writing
 * the format.
 *
 * A reference file says where its facts come from, names its fields once, and holds one JSON
 * array per row, in the order of the source list (order matters: where rows conflict, the first
 * one wins):
 *
 * ```json
 * {
 *   "source": "RCPCH rcpch-nhs-organisations reference lists, October 2024, MIT licence: trusts.json (NHS trusts)",
 *   "order": "as in the source list",
 *   "fields": ["ods_code", "name", "..."],
 *   "rows": [
 *     ["RVV", "EAST KENT HOSPITALS UNIVERSITY NHS FOUNDATION TRUST", "..."]
 *   ]
 * }
 * ```
 *
 * `scripts/import_reference.ts` writes these files from the RCPCH lists;
 * `scripts/build_seed.ts` reads them.
 *
 * @module
 */
import { join } from "node:path";

/** One reference list: its file, what it holds, and its fields (project name → source name). */
export interface ListSpec {
  /** File name in the RCPCH set (and in `data/reference/`, unless {@linkcode target} says). */
  readonly file: string;
  /** When the source file is an object of several lists: the key of this one. */
  readonly section?: string;
  /** File name in `data/reference/`, when it is not {@linkcode file}. */
  readonly target?: string;
  /** What the list holds, for the source line. */
  readonly about: string;
  /** Where the facts come from, when not from RCPCH itself (default {@linkcode SOURCE}). */
  readonly origin?: string;
  /** The fields the seed uses: the project's name → the field in the source list. */
  readonly fields: Readonly<Record<string, string>>;
  /** Fields that may be `null` (the others are strings, or numbers when numeric). */
  readonly nullable: readonly string[];
  /** Fields that hold numbers instead of strings. */
  readonly numeric?: readonly string[];
}

/** Where the ONS boundary attributes come from, named in their reference files. */
export const ONS_SOURCE = "ONS boundary attribute tables (Open Government Licence, attributes " +
  "only, no shapes), as carried by the RCPCH rcpch-nhs-organisations service, October 2024";

const ONS_FILE = "ons_boundary_attributes.json";
const CENTROID = { bng_e: "BNG_E", bng_n: "BNG_N", long: "LONG", lat: "LAT" } as const;
const CENTROID_FIELDS = ["bng_e", "bng_n", "long", "lat"] as const;

/** Every list the seed is built from. */
export const LISTS = {
  organisations: {
    file: "rcpch_organisations.json",
    about: "hospitals and other sites",
    fields: {
      ods_code: "OrganisationCode",
      name: "OrganisationName",
      address1: "Address1",
      address2: "Address2",
      address3: "Address3",
      city: "City",
      county: "County",
      postcode: "Postcode",
      latitude: "Latitude",
      longitude: "Longitude",
      parent_code: "ParentODSCode",
      telephone: "Phone",
      website: "Website",
      local_authority: "LocalAuthority",
    },
    nullable: [],
  },
  trusts: {
    file: "trusts.json",
    about: "NHS trusts",
    fields: {
      ods_code: "ods_code",
      name: "trust_name",
      address_line_1: "address_line_1",
      address_line_2: "address_line_2",
      town: "town",
      postcode: "postcode",
      country: "country",
    },
    nullable: [],
  },
  localHealthBoards: {
    file: "local_health_boards.json",
    about: "Welsh local health boards",
    fields: { ods_code: "ods_code", name: "health_board", gss_code: "gss_code" },
    nullable: [],
  },
  integratedCareBoards: {
    file: "integrated_care_boards.json",
    about: "integrated care boards",
    fields: { ods_code: "ods_code", name: "name", gss_code: "gss_code" },
    nullable: [],
  },
  icbLocalAuthorities: {
    file: "integrated_care_boards_local_authorities.json",
    about: "the trust → ICB → NHS England region map",
    fields: {
      trust_code: "ODS Trust Code",
      icb_code: "ODS ICB Code",
      region_code: "NHS England Region Code",
    },
    nullable: [],
  },
  regions: {
    file: "nhs_england_regions.json",
    about: "NHS England regions",
    fields: {
      region_code: "NHS_ENGLAND_REGION_CODE",
      name: "NHS_ENGLAND_REGION_NAME",
      ons_code: "NHS_ENGLAND_REGION_ONS_CODE",
    },
    nullable: [],
  },
  countries: {
    file: "country_codes.json",
    about: "countries",
    fields: { ons_code: "country_ons_code", name: "country_ons_name" },
    nullable: [],
  },
  openUkNetworks: {
    file: "open_uk_networks.json",
    about: "OPEN UK paediatric epilepsy networks",
    fields: {
      network_code: "OPEN_UK_Network_Code",
      name: "OPEN_UK_Network_Name",
      country: "country",
    },
    nullable: [],
  },
  openUkTrusts: {
    file: "open_uk_networks_trusts.json",
    about: "the OPEN UK network of each trust or local health board",
    fields: { parent_code: "ods trust code", network_code: "OPEN UK Network Code" },
    nullable: [],
  },
  diabetesNetworks: {
    file: "paediatric_diabetes_networks.json",
    about: "paediatric diabetes networks",
    fields: { pn_code: "id", name: "name" },
    nullable: [],
  },
  pzCodes: {
    file: "pz_codes.json",
    about: "the paediatric diabetes unit (PZ code) of each organisation, trust or board",
    fields: { ods_code: "ods_code", pz_code: "npda_code" },
    nullable: [],
  },
  pzCodesNetworks: {
    file: "pz_codes_networks.json",
    about: "the same PZ codes with their diabetes network",
    fields: { ods_code: "ods_code", pz_code: "npda_code", network_code: "network_code" },
    nullable: ["network_code"],
  },
  onsCountries: {
    file: ONS_FILE,
    section: "countries",
    target: "ons_countries.json",
    about: "countries, December 2022",
    origin: ONS_SOURCE,
    fields: {
      ons_code: "CTRY22CD",
      name: "CTRY22NM",
      welsh_name: "CTRY22NMW",
      ...CENTROID,
      globalid: "GlobalID",
    },
    nullable: [],
    numeric: CENTROID_FIELDS,
  },
  onsIntegratedCareBoards: {
    file: ONS_FILE,
    section: "integrated_care_boards",
    target: "ons_integrated_care_boards.json",
    about: "integrated care boards, April 2023",
    origin: ONS_SOURCE,
    fields: { ons_code: "ICB23CD", name: "ICB23NM", ...CENTROID, globalid: "GlobalID" },
    nullable: [],
    numeric: CENTROID_FIELDS,
  },
  onsLocalHealthBoards: {
    file: ONS_FILE,
    section: "local_health_boards",
    target: "ons_local_health_boards.json",
    about: "Welsh local health boards, April 2022",
    origin: ONS_SOURCE,
    fields: {
      ons_code: "LHB22CD",
      name: "LHB22NM",
      welsh_name: "LHB22NMW",
      ...CENTROID,
      globalid: "GlobalID",
    },
    nullable: [],
    numeric: CENTROID_FIELDS,
  },
  onsRegions: {
    file: ONS_FILE,
    section: "nhs_england_regions",
    target: "ons_nhs_england_regions.json",
    about: "NHS England regions, July 2022",
    origin: ONS_SOURCE,
    fields: { ons_code: "NHSER22CD", name: "NHSER22NM", ...CENTROID, globalid: "GlobalID" },
    nullable: [],
    numeric: CENTROID_FIELDS,
  },
  onsLondonBoroughs: {
    file: ONS_FILE,
    section: "london_boroughs",
    target: "ons_london_boroughs.json",
    about: "London boroughs",
    origin: ONS_SOURCE,
    fields: {
      gss_code: "GSS_CODE",
      name: "NAME",
      hectares: "HECTARES",
      nonld_area: "NONLD_AREA",
      ons_inner: "ONS_INNER",
      sub_2009: "SUB_2009",
      sub_2006: "SUB_2006",
    },
    nullable: [],
    numeric: ["hectares", "nonld_area"],
  },
} as const satisfies Record<string, ListSpec>;

/** Name of a reference list (a key of {@linkcode LISTS}). */
export type ListName = keyof typeof LISTS;

type FieldOf<L extends ListName> = keyof (typeof LISTS)[L]["fields"] & string;
type NullableOf<L extends ListName> = (typeof LISTS)[L]["nullable"][number];
type NumericOf<L extends ListName> = (typeof LISTS)[L] extends { numeric: readonly (infer N)[] } ? N
  : never;
type CellOf<L extends ListName, F> = F extends NumericOf<L> ? number : string;

/** A row of list `L`, by the project's field names. */
export type ReferenceRow<L extends ListName> = {
  readonly [F in FieldOf<L>]: F extends NullableOf<L> ? CellOf<L, F> | null : CellOf<L, F>;
};

/** Every reference list, one row object per row. */
export type SeedInputs = { [L in ListName]: ReferenceRow<L>[] };

/** The list names, in {@linkcode LISTS} order. */
export const LIST_NAMES = Object.keys(LISTS) as ListName[];

/**
 * The spec of list `name`, with every optional part readable.
 *
 * @example
 * ```ts
 * import { specOf } from "./reference.ts";
 *
 * specOf("onsCountries").section; // "countries"
 * specOf("trusts").section; // undefined
 * ```
 */
export function specOf(name: ListName): ListSpec {
  return LISTS[name];
}

/**
 * The file of list `name` in `data/reference/`.
 *
 * @example
 * ```ts
 * import { referenceFileOf } from "./reference.ts";
 *
 * referenceFileOf("trusts"); // "trusts.json"
 * referenceFileOf("onsIntegratedCareBoards"); // "ons_integrated_care_boards.json"
 * ```
 */
export function referenceFileOf(name: ListName): string {
  return specOf(name).target ?? specOf(name).file;
}

/**
 * Is `value` an allowed cell of `field` in list `name`: a string, or a finite number for a
 * numeric field, or `null` where the field is nullable?
 *
 * @example
 * ```ts
 * import { isCell } from "./reference.ts";
 *
 * isCell("onsCountries", "bng_e", 394883); // true
 * isCell("onsCountries", "bng_e", "394883"); // false
 * isCell("trusts", "name", null); // false
 * ```
 */
export function isCell(name: ListName, field: string, value: unknown): boolean {
  const spec = specOf(name);
  if (value === null) return spec.nullable.includes(field);
  return spec.numeric?.includes(field)
    ? typeof value === "number" && Number.isFinite(value)
    : typeof value === "string";
}

/** Where the facts come from, named in every reference file. */
export const SOURCE = "RCPCH rcpch-nhs-organisations reference lists, October 2024, MIT licence";

/** How the rows are ordered, stated in every reference file. */
export const ORDER = "as in the source list: where rows conflict, the first one wins";

/** A reference file: where it comes from, its fields, its rows (cells in field order). */
export interface ReferenceFile {
  source: string;
  order: string;
  fields: string[];
  rows: (string | number | null)[][];
}

/**
 * The fields of list `name`, by the project's names, in file order.
 *
 * @example
 * ```ts
 * import { fieldsOf } from "./reference.ts";
 *
 * fieldsOf("pzCodes"); // ["ods_code", "pz_code"]
 * ```
 */
export function fieldsOf(name: ListName): string[] {
  return Object.keys(LISTS[name].fields);
}

/**
 * The source line of list `name`: who published the facts, the file (and its section) and what
 * the list holds.
 *
 * @example
 * ```ts
 * import { sourceLine } from "./reference.ts";
 *
 * sourceLine("trusts"); // "RCPCH rcpch-nhs-organisations reference lists, ...: trusts.json (NHS trusts)"
 * sourceLine("onsRegions"); // "ONS boundary attribute tables ...: ons_boundary_attributes.json, nhs_england_regions (NHS England regions, July 2022)"
 * ```
 */
export function sourceLine(name: ListName): string {
  const spec = specOf(name);
  const where = spec.section ? `${spec.file}, ${spec.section}` : spec.file;
  return `${spec.origin ?? SOURCE}: ${where} (${spec.about})`;
}

/**
 * A reference file as written: stable (same file, same bytes), one line per row.
 *
 * @example
 * ```ts
 * import { serializeReference } from "./reference.ts";
 *
 * serializeReference({ source: "s", order: "o", fields: ["a"], rows: [["x"], [null]] });
 * // '{\n  "source": "s",\n  "order": "o",\n  "fields": ["a"],\n  "rows": [\n    ["x"],\n    [null]\n  ]\n}\n'
 * ```
 */
export function serializeReference(file: ReferenceFile): string {
  const rows = file.rows.length
    ? `[\n${file.rows.map((row) => `    ${JSON.stringify(row)}`).join(",\n")}\n  ]`
    : "[]";
  return [
    "{",
    `  "source": ${JSON.stringify(file.source)},`,
    `  "order": ${JSON.stringify(file.order)},`,
    `  "fields": ${JSON.stringify(file.fields).replaceAll('","', '", "')},`,
    `  "rows": ${rows}`,
    "}",
    "",
  ].join("\n");
}

/**
 * Check a parsed reference file of list `name` and return its rows as objects. Throws naming
 * the file, and the row and field when one is wrong.
 *
 * @example
 * ```ts
 * import { parseReference } from "./reference.ts";
 *
 * const rows = parseReference("pzCodes", {
 *   source: "...",
 *   fields: ["ods_code", "pz_code"],
 *   rows: [["RGT01", "PZ041"]],
 * });
 * rows[0].pz_code; // "PZ041"
 * ```
 */
export function parseReference<L extends ListName>(name: L, value: unknown): ReferenceRow<L>[] {
  const file = referenceFileOf(name);
  const v = value as Partial<ReferenceFile> | null;
  if (!v || typeof v !== "object" || !Array.isArray(v.rows)) {
    throw new Error(`${file}: not a reference file (no "rows" list)`);
  }
  const fields = fieldsOf(name);
  if (JSON.stringify(v.fields) !== JSON.stringify(fields)) {
    throw new Error(
      `${file}: fields are ${JSON.stringify(v.fields)}, expected ${JSON.stringify(fields)}`,
    );
  }
  return v.rows.map((row: unknown, i) => {
    if (!Array.isArray(row) || row.length !== fields.length) {
      throw new Error(`${file}: row ${i} is not a list of ${fields.length} values`);
    }
    const out: Record<string, string | number | null> = {};
    fields.forEach((f, j) => {
      if (!isCell(name, f, row[j])) {
        const what = specOf(name).numeric?.includes(f) ? "a number" : "a string";
        throw new Error(`${file}: row ${i}, ${f}: expected ${what}`);
      }
      out[f] = row[j];
    });
    return out as ReferenceRow<L>;
  });
}

/** Read and check every reference file in `dir` (a `data/reference/` of this format). */
export async function readInputs(dir: string): Promise<SeedInputs> {
  const inputs: Partial<Record<ListName, unknown>> = {};
  for (const name of LIST_NAMES) {
    const path = join(dir, referenceFileOf(name));
    let text: string;
    try {
      text = await Deno.readTextFile(path);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) throw new Error(`${path}: no such reference file`);
      throw e;
    }
    inputs[name] = parseReference(name, JSON.parse(text));
  }
  return inputs as SeedInputs;
}
