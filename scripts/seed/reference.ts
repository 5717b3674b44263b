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

/** One reference list: its file, what it holds, and its fields (project name → RCPCH name). */
export interface ListSpec {
  /** File name, in the RCPCH set and in `data/reference/`. */
  readonly file: string;
  /** What the list holds, for the source line. */
  readonly about: string;
  /** The fields the seed uses: the project's name → the field in the RCPCH list. */
  readonly fields: Readonly<Record<string, string>>;
  /** Fields that may be `null` (the others are strings). */
  readonly nullable: readonly string[];
}

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
} as const satisfies Record<string, ListSpec>;

/** Name of a reference list (a key of {@linkcode LISTS}). */
export type ListName = keyof typeof LISTS;

type FieldOf<L extends ListName> = keyof (typeof LISTS)[L]["fields"] & string;
type NullableOf<L extends ListName> = (typeof LISTS)[L]["nullable"][number];

/** A row of list `L`, by the project's field names. */
export type ReferenceRow<L extends ListName> = {
  readonly [F in FieldOf<L>]: F extends NullableOf<L> ? string | null : string;
};

/** Every reference list, one row object per row. */
export type SeedInputs = { [L in ListName]: ReferenceRow<L>[] };

/** The list names, in {@linkcode LISTS} order. */
export const LIST_NAMES = Object.keys(LISTS) as ListName[];

/** Where the facts come from, named in every reference file. */
export const SOURCE = "RCPCH rcpch-nhs-organisations reference lists, October 2024, MIT licence";

/** How the rows are ordered, stated in every reference file. */
export const ORDER = "as in the source list: where rows conflict, the first one wins";

/** A reference file: where it comes from, its fields, its rows (cells in field order). */
export interface ReferenceFile {
  source: string;
  order: string;
  fields: string[];
  rows: (string | null)[][];
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
 * The source line of list `name`: the RCPCH set and which list.
 *
 * @example
 * ```ts
 * import { sourceLine } from "./reference.ts";
 *
 * sourceLine("trusts"); // "RCPCH rcpch-nhs-organisations reference lists, ...: trusts.json (NHS trusts)"
 * ```
 */
export function sourceLine(name: ListName): string {
  return `${SOURCE}: ${LISTS[name].file} (${LISTS[name].about})`;
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

function isCell(value: unknown, nullable: boolean): boolean {
  return typeof value === "string" || (nullable && value === null);
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
  const { file, nullable } = LISTS[name];
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
    const out: Record<string, string | null> = {};
    fields.forEach((f, j) => {
      if (!isCell(row[j], (nullable as readonly string[]).includes(f))) {
        throw new Error(`${file}: row ${i}, ${f}: expected a string`);
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
    const path = join(dir, LISTS[name].file);
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
