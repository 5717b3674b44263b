/**
 * Build `data/seed.json` and `data/seed-report.md` from the RCPCH 2024 reference lists.
 *
 * The logic is the pure {@linkcode buildSeed}; `main` only reads the reference files and writes
 * the outputs. The output is stable: regenerating from the same input is a no-op diff.
 *
 * ```sh
 * deno task build-seed                    # default --from ../shared/reference/rcpch-2024
 * deno task build-seed --check            # exit 1 if data/ is stale
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Kind } from "../lib/model.ts";
import { KIND_ORDER, KINDS } from "../lib/model.ts";
import type {
  OpenUkMembership,
  PduMembership,
  Seed,
  SeedRecord,
  SeedRecords,
  TrustIcbMembership,
  Unresolved,
  UnresolvedKind,
} from "../lib/seed.ts";

// ---------------------------------------------------------------------------------------------
// Reference rows

/** A row with required string fields `F` and nullable string fields `N`. */
type Row<F extends string, N extends string = never> =
  & { readonly [k in F]: string }
  & { readonly [k in N]: string | null };

const ORGANISATION_FIELDS = [
  "OrganisationCode",
  "OrganisationName",
  "Address1",
  "Address2",
  "Address3",
  "City",
  "County",
  "Postcode",
  "Latitude",
  "Longitude",
  "ParentODSCode",
  "Phone",
  "Website",
  "LocalAuthority",
] as const;
const TRUST_FIELDS = [
  "ods_code",
  "trust_name",
  "address_line_1",
  "address_line_2",
  "town",
  "postcode",
  "country",
] as const;
const LHB_FIELDS = ["health_board", "ods_code", "gss_code"] as const;
const ICB_FIELDS = ["ods_code", "gss_code", "name"] as const;
const ICB_LA_FIELDS = ["NHS England Region Code", "ODS ICB Code", "ODS Trust Code"] as const;
const REGION_FIELDS = [
  "NHS_ENGLAND_REGION_ONS_CODE",
  "NHS_ENGLAND_REGION_CODE",
  "NHS_ENGLAND_REGION_NAME",
] as const;
const COUNTRY_FIELDS = ["country_ons_code", "country_ons_name"] as const;
const OPENUK_FIELDS = ["OPEN_UK_Network_Name", "OPEN_UK_Network_Code", "country"] as const;
const OPENUK_TRUST_FIELDS = ["ods trust code", "OPEN UK Network Code"] as const;
const PDN_FIELDS = ["id", "name"] as const;
const PZ_FIELDS = ["ods_code", "npda_code"] as const;

/** A row of `rcpch_organisations.json`. */
export type RawOrganisation = Row<(typeof ORGANISATION_FIELDS)[number]>;
/** A row of `trusts.json`. */
export type RawTrust = Row<(typeof TRUST_FIELDS)[number]>;
/** A row of `local_health_boards.json`. */
export type RawLocalHealthBoard = Row<(typeof LHB_FIELDS)[number]>;
/** A row of `integrated_care_boards.json`. */
export type RawIntegratedCareBoard = Row<(typeof ICB_FIELDS)[number]>;
/** A row of `integrated_care_boards_local_authorities.json` (the trust → ICB → region map). */
export type RawIcbLocalAuthority = Row<(typeof ICB_LA_FIELDS)[number]>;
/** A row of `nhs_england_regions.json`. */
export type RawRegion = Row<(typeof REGION_FIELDS)[number]>;
/** A row of `country_codes.json`. */
export type RawCountry = Row<(typeof COUNTRY_FIELDS)[number]>;
/** A row of `open_uk_networks.json`. */
export type RawOpenUkNetwork = Row<(typeof OPENUK_FIELDS)[number]>;
/** A row of `open_uk_networks_trusts.json`. */
export type RawOpenUkTrust = Row<(typeof OPENUK_TRUST_FIELDS)[number]>;
/** A row of `paediatric_diabetes_networks.json`. */
export type RawDiabetesNetwork = Row<(typeof PDN_FIELDS)[number]>;
/** A row of `pz_codes.json`. */
export type RawPzCode = Row<(typeof PZ_FIELDS)[number]>;
/** A row of `pz_codes_networks.json`. */
export type RawPzCodeNetwork = Row<(typeof PZ_FIELDS)[number], "network_code">;

/** The reference lists, one per file. */
export interface SeedInputs {
  organisations: RawOrganisation[];
  trusts: RawTrust[];
  localHealthBoards: RawLocalHealthBoard[];
  integratedCareBoards: RawIntegratedCareBoard[];
  icbLocalAuthorities: RawIcbLocalAuthority[];
  regions: RawRegion[];
  countries: RawCountry[];
  openUkNetworks: RawOpenUkNetwork[];
  openUkTrusts: RawOpenUkTrust[];
  diabetesNetworks: RawDiabetesNetwork[];
  pzCodes: RawPzCode[];
  pzCodesNetworks: RawPzCodeNetwork[];
}

/** The file behind each input. */
export const INPUT_FILES: { readonly [K in keyof SeedInputs]: string } = {
  organisations: "rcpch_organisations.json",
  trusts: "trusts.json",
  localHealthBoards: "local_health_boards.json",
  integratedCareBoards: "integrated_care_boards.json",
  icbLocalAuthorities: "integrated_care_boards_local_authorities.json",
  regions: "nhs_england_regions.json",
  countries: "country_codes.json",
  openUkNetworks: "open_uk_networks.json",
  openUkTrusts: "open_uk_networks_trusts.json",
  diabetesNetworks: "paediatric_diabetes_networks.json",
  pzCodes: "pz_codes.json",
  pzCodesNetworks: "pz_codes_networks.json",
};

/**
 * Check that `value` is a list of objects whose `fields` are strings (`nullable` ones may be
 * null) and return it typed. Throws naming the file, row and field.
 */
export function asRows<F extends string, N extends string = never>(
  value: unknown,
  file: string,
  fields: readonly F[],
  nullable: readonly N[] = [],
): Row<F, N>[] {
  if (!Array.isArray(value)) throw new Error(`${file}: expected a JSON list`);
  value.forEach((row: unknown, i) => {
    if (!row || typeof row !== "object") throw new Error(`${file}[${i}]: not an object`);
    const r = row as Record<string, unknown>;
    for (const f of fields) {
      if (typeof r[f] !== "string") throw new Error(`${file}[${i}].${f}: expected a string`);
    }
    for (const f of nullable) {
      if (r[f] !== null && typeof r[f] !== "string") {
        throw new Error(`${file}[${i}].${f}: expected a string or null`);
      }
    }
  });
  return value as Row<F, N>[];
}

/** Read and check every reference file in `dir`. */
export async function readInputs(dir: string): Promise<SeedInputs> {
  const read = async (file: string): Promise<unknown> =>
    JSON.parse(await Deno.readTextFile(join(dir, file)));
  const f = INPUT_FILES;
  return {
    organisations: asRows(await read(f.organisations), f.organisations, ORGANISATION_FIELDS),
    trusts: asRows(await read(f.trusts), f.trusts, TRUST_FIELDS),
    localHealthBoards: asRows(await read(f.localHealthBoards), f.localHealthBoards, LHB_FIELDS),
    integratedCareBoards: asRows(
      await read(f.integratedCareBoards),
      f.integratedCareBoards,
      ICB_FIELDS,
    ),
    icbLocalAuthorities: asRows(
      await read(f.icbLocalAuthorities),
      f.icbLocalAuthorities,
      ICB_LA_FIELDS,
    ),
    regions: asRows(await read(f.regions), f.regions, REGION_FIELDS),
    countries: asRows(await read(f.countries), f.countries, COUNTRY_FIELDS),
    openUkNetworks: asRows(await read(f.openUkNetworks), f.openUkNetworks, OPENUK_FIELDS),
    openUkTrusts: asRows(await read(f.openUkTrusts), f.openUkTrusts, OPENUK_TRUST_FIELDS),
    diabetesNetworks: asRows(await read(f.diabetesNetworks), f.diabetesNetworks, PDN_FIELDS),
    pzCodes: asRows(await read(f.pzCodes), f.pzCodes, PZ_FIELDS),
    pzCodesNetworks: asRows(await read(f.pzCodesNetworks), f.pzCodesNetworks, PZ_FIELDS, [
      "network_code",
    ]),
  };
}

// ---------------------------------------------------------------------------------------------
// Constants

/** Name of the reference set, recorded in the seed. */
export const GENERATED_FROM = "rcpch-2024";

const ENGLAND = "E92000001";
const WALES = "W92000004";
const JERSEY = "JEY";

/** Country text on trusts → country code. */
const TRUST_COUNTRY: Readonly<Record<string, string>> = { ENGLAND, WALES };

/** Fixed publication dates of the boundary sets (as the original's seed). */
const PUBLICATION = {
  local_health_board: "2022-04-14",
  integrated_care_board: "2023-03-15",
  nhs_england_region: "2022-07-30",
  openuk_network: "2022-12-08",
} as const;

/** Organisations not in ODS (or not under an English/Welsh parent): curated, fixed country. */
const CURATED_ORGANISATIONS: Readonly<Record<string, { country: string; note: string }>> = {
  RGT1W: {
    country: JERSEY,
    note: "Jersey General Hospital is not in the NHS data; the original parented it to RGT " +
      "(Cambridge University Hospitals) as a hack, which also gave it RGT's ICB, region and " +
      "OPEN UK network. Here it is curated with no trust, ICB, region or OPEN UK network, " +
      "country JEY.",
  },
  "8HV48": {
    country: ENGLAND,
    note: "RCPCH itself (PZ999): curated, no parent, country England.",
  },
};

/** Country codes the reference gets wrong. */
const COUNTRY_CORRECTIONS: Readonly<Record<string, { code: string; note: string }>> = {
  E92000003: {
    code: JERSEY,
    note: "country_codes.json gives Jersey E92000003 (an English GSS code, not Jersey's); " +
      "seeded as JEY, as the original's later migration 0035 does.",
  },
};

/** The 33 London boroughs (GSS code → name), E09000001…E09000033. */
export const LONDON_BOROUGHS: Readonly<Record<string, string>> = {
  E09000001: "City of London",
  E09000002: "Barking and Dagenham",
  E09000003: "Barnet",
  E09000004: "Bexley",
  E09000005: "Brent",
  E09000006: "Bromley",
  E09000007: "Camden",
  E09000008: "Croydon",
  E09000009: "Ealing",
  E09000010: "Enfield",
  E09000011: "Greenwich",
  E09000012: "Hackney",
  E09000013: "Hammersmith and Fulham",
  E09000014: "Haringey",
  E09000015: "Harrow",
  E09000016: "Havering",
  E09000017: "Hillingdon",
  E09000018: "Hounslow",
  E09000019: "Islington",
  E09000020: "Kensington and Chelsea",
  E09000021: "Kingston upon Thames",
  E09000022: "Lambeth",
  E09000023: "Lewisham",
  E09000024: "Merton",
  E09000025: "Newham",
  E09000026: "Redbridge",
  E09000027: "Richmond upon Thames",
  E09000028: "Southwark",
  E09000029: "Sutton",
  E09000030: "Tower Hamlets",
  E09000031: "Waltham Forest",
  E09000032: "Wandsworth",
  E09000033: "Westminster",
};

// ---------------------------------------------------------------------------------------------
// Helpers

/** Trimmed text, or `null` when empty. */
function text(value: string | null | undefined): string | null {
  const t = value?.trim() ?? "";
  return t === "" ? null : t;
}

/** A finite number from text, or `null`. */
function num(value: string): number | null {
  const t = value.trim();
  if (t === "") return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/** ODS date fields of a record seeded from the reference (no ODS dates known yet). */
function odsDates() {
  return {
    last_change_date: null,
    active: true,
    operational_start: null,
    operational_end: null,
    legal_start: null,
    legal_end: null,
    successors: [] as string[],
    predecessors: [] as string[],
  };
}

function byCode<T>(key: (t: T) => string): (a: T, b: T) => number {
  return (a, b) => {
    const x = key(a);
    const y = key(b);
    return x < y ? -1 : x > y ? 1 : 0;
  };
}

// ---------------------------------------------------------------------------------------------
// Build

/** A trust that appears with several ICBs in the trust → ICB map. */
export interface MultiIcbTrust {
  trust_code: string;
  chosen: string;
  /** Every ICB the trust appears with, and how many rows, in first-appearance order. */
  icbs: { icb_code: string; rows: number }[];
  /** Seeded organisations under the trust (they get the chosen ICB). */
  organisations: number;
}

/** Facts for the report that are not in the seed itself. */
export interface BuildNotes {
  /** Corrections and deliberate departures from the original. */
  corrections: string[];
  /** Other observations about the input (duplicates, gaps...). */
  observations: string[];
  multiIcbTrusts: MultiIcbTrust[];
  /** Trusts with no row in the trust → ICB map. */
  trustsWithoutIcb: string[];
  /** PZ codes shared by several ODS codes. */
  sharedPdus: { pz_code: string; ods_codes: string[] }[];
  /** PDU rows on a trust/LHB code: the PZ and which children got it or already had one. */
  parentPdus: {
    parent_code: string;
    pz_code: string;
    assigned: string[];
    kept: { ods_code: string; pz_code: string }[];
  }[];
}

/** What {@linkcode buildSeed} produces. */
export interface BuildResult {
  seed: Seed;
  notes: BuildNotes;
}

type Org = SeedRecord<"organisation">;

/**
 * Resolve the reference lists into the seed: records in the lib/model.ts shapes (without
 * `updated_at`), the curated memberships, and every row that could not be resolved. Pure.
 */
export function buildSeed(inputs: SeedInputs): BuildResult {
  const files = INPUT_FILES;
  const unresolved: Unresolved[] = [];
  const miss = (
    kind: UnresolvedKind,
    source: string,
    code: string,
    value: string | null,
    reason: string,
  ) => unresolved.push({ kind, source, code, value, reason });
  const notes: BuildNotes = {
    corrections: [],
    observations: [],
    multiIcbTrusts: [],
    trustsWithoutIcb: [],
    sharedPdus: [],
    parentPdus: [],
  };

  // --- Regions
  const regions: SeedRecord<"nhs_england_region">[] = inputs.regions.map((r) => ({
    region_code: r.NHS_ENGLAND_REGION_CODE.trim(),
    boundary_identifier: text(r.NHS_ENGLAND_REGION_ONS_CODE),
    name: r.NHS_ENGLAND_REGION_NAME.trim(),
    publication_date: PUBLICATION.nhs_england_region,
    source: "ods",
    ...odsDates(),
  }));
  const regionCodes = new Set(regions.map((r) => r.region_code));

  // --- ICBs and the trust → ICB → region map
  const icbCodes = new Set(inputs.integratedCareBoards.map((i) => i.ods_code.trim()));
  const icbRegion = new Map<string, string>();
  const perTrust = new Map<string, Map<string, number>>();
  for (const row of inputs.icbLocalAuthorities) {
    const trust = row["ODS Trust Code"].trim();
    const icb = row["ODS ICB Code"].trim();
    const region = row["NHS England Region Code"].trim();
    const known = icbRegion.get(icb);
    if (known === undefined) icbRegion.set(icb, region);
    else if (known !== region) {
      miss(
        "icb_region",
        files.icbLocalAuthorities,
        icb,
        region,
        `ICB ${icb} appears with region ${region} here but ${known} in an earlier row; ${known} kept`,
      );
    }
    if (!trust) continue;
    const counts = perTrust.get(trust) ?? new Map<string, number>();
    counts.set(icb, (counts.get(icb) ?? 0) + 1);
    perTrust.set(trust, counts);
  }

  const integratedCareBoards: SeedRecord<"integrated_care_board">[] = inputs.integratedCareBoards
    .map((i) => {
      const code = i.ods_code.trim();
      let region = icbRegion.get(code) ?? null;
      if (region === null) {
        miss("icb_region", files.integratedCareBoards, code, null, "no row in the ICB map");
      } else if (!regionCodes.has(region)) {
        miss("icb_region", files.integratedCareBoards, code, region, "unknown NHS England region");
        region = null;
      }
      return {
        ods_code: code,
        boundary_identifier: text(i.gss_code),
        name: i.name.trim(),
        publication_date: PUBLICATION.integrated_care_board,
        nhs_england_region_code: region,
        source: "ods" as const,
        ...odsDates(),
      };
    });

  const trustIcb = new Map<string, TrustIcbMembership>();
  for (const [trust, counts] of perTrust) {
    // Most rows wins; ties go to the ICB seen first (Map keeps insertion order).
    let chosen = "";
    let best = 0;
    for (const [icb, n] of counts) {
      if (n > best) {
        chosen = icb;
        best = n;
      }
    }
    if (!icbCodes.has(chosen)) {
      miss("trust_icb", files.icbLocalAuthorities, trust, chosen, "unknown ICB code");
      continue;
    }
    trustIcb.set(trust, {
      trust_code: trust,
      icb_code: chosen,
      region_code: icbRegion.get(chosen) ?? "",
    });
    if (counts.size > 1) {
      notes.multiIcbTrusts.push({
        trust_code: trust,
        chosen,
        icbs: [...counts].map(([icb_code, rows]) => ({ icb_code, rows })),
        organisations: 0,
      });
    }
  }

  // --- Trusts and LHBs
  const trustRows = new Map(inputs.trusts.map((t) => [t.ods_code.trim(), t]));
  const lhbCodes = new Set(inputs.localHealthBoards.map((l) => l.ods_code.trim()));
  for (const code of trustIcb.keys()) {
    if (!trustRows.has(code)) {
      miss(
        "trust_icb",
        files.icbLocalAuthorities,
        code,
        trustIcb.get(code)!.icb_code,
        "trust code not in trusts.json (kept in memberships.trust_icb)",
      );
    }
  }
  const trusts: SeedRecord<"trust">[] = inputs.trusts.map((t) => {
    const code = t.ods_code.trim();
    const icb = trustIcb.get(code)?.icb_code ?? null;
    if (icb === null) notes.trustsWithoutIcb.push(code);
    return {
      ods_code: code,
      name: t.trust_name.trim(),
      address_line_1: text(t.address_line_1),
      address_line_2: text(t.address_line_2),
      town: text(t.town),
      postcode: text(t.postcode),
      country: text(t.country),
      telephone: null,
      website: null,
      published_at: null,
      integrated_care_board_code: icb,
      source: "ods",
      ...odsDates(),
    };
  });
  const localHealthBoards: SeedRecord<"local_health_board">[] = inputs.localHealthBoards.map((
    l,
  ) => ({
    ods_code: l.ods_code.trim(),
    boundary_identifier: text(l.gss_code),
    name: l.health_board.trim(),
    welsh_name: null,
    publication_date: PUBLICATION.local_health_board,
    source: "ods",
    ...odsDates(),
  }));
  const both = [...lhbCodes].filter((c) => trustRows.has(c));
  if (both.length) {
    notes.observations.push(
      `${both.join(", ")} is listed both as a trust and as a local health board; as a parent ` +
        "it resolves as the LHB (LHB first), and both records are seeded.",
    );
  }

  // --- Countries, boroughs, networks
  const countries: SeedRecord<"country">[] = inputs.countries.map((c) => {
    const given = c.country_ons_code.trim();
    const fix = COUNTRY_CORRECTIONS[given];
    if (fix) notes.corrections.push(fix.note);
    return {
      boundary_identifier: fix ? fix.code : given,
      name: c.country_ons_name.trim(),
      welsh_name: null,
      source: "curated",
    };
  });
  const countryCodes = new Set(countries.map((c) => c.boundary_identifier));

  const londonBoroughs: SeedRecord<"london_borough">[] = Object.entries(LONDON_BOROUGHS).map((
    [gss_code, name],
  ) => ({ gss_code, name, source: "curated" }));

  const diabetesNetworks: SeedRecord<"paediatric_diabetes_network">[] = inputs.diabetesNetworks
    .map((n) => ({ pn_code: n.id.trim(), name: n.name.trim(), source: "curated" }));
  const pnCodes = new Set(diabetesNetworks.map((n) => n.pn_code));

  const openUkNetworks: SeedRecord<"openuk_network">[] = inputs.openUkNetworks.map((n) => ({
    boundary_identifier: n.OPEN_UK_Network_Code.trim(),
    name: n.OPEN_UK_Network_Name.trim(),
    country: text(n.country),
    publication_date: PUBLICATION.openuk_network,
    source: "curated",
  }));
  const openUkCodes = new Set(openUkNetworks.map((n) => n.boundary_identifier));

  // --- OPEN UK membership per trust / LHB (first row wins)
  const openUk: OpenUkMembership[] = inputs.openUkTrusts.map((r) => ({
    parent_code: r["ods trust code"].trim(),
    network_code: r["OPEN UK Network Code"].trim(),
  }));
  const openUkByParent = new Map<string, string>();
  for (const { parent_code, network_code } of openUk) {
    if (!trustRows.has(parent_code) && !lhbCodes.has(parent_code)) {
      miss(
        "openuk_membership",
        files.openUkTrusts,
        parent_code,
        network_code,
        "neither a trust nor a local health board",
      );
      continue;
    }
    if (!openUkCodes.has(network_code)) {
      miss("openuk_membership", files.openUkTrusts, parent_code, network_code, "unknown network");
      continue;
    }
    const known = openUkByParent.get(parent_code);
    if (known === undefined) openUkByParent.set(parent_code, network_code);
    else if (known === network_code) {
      notes.observations.push(
        `open_uk_networks_trusts.json lists ${parent_code} → ${network_code} twice (duplicate row, harmless).`,
      );
    } else {
      miss(
        "openuk_membership",
        files.openUkTrusts,
        parent_code,
        network_code,
        `conflicting network: ${parent_code} is also listed under ${known} in an earlier row; ` +
          `${known} kept, this row not applied`,
      );
    }
  }

  // --- Organisations
  const orgs = new Map<string, Org>();
  for (const raw of inputs.organisations) {
    const code = raw.OrganisationCode.trim();
    const parent = text(raw.ParentODSCode);
    const curated = CURATED_ORGANISATIONS[code];
    let trust: string | null = null;
    let lhb: string | null = null;
    let country: string | null = null;
    if (curated) {
      country = curated.country;
      notes.corrections.push(
        `${code} ${raw.OrganisationName.trim()}: ${curated.note}` +
          (parent ? ` (reference ParentODSCode ${parent} ignored)` : ""),
      );
    } else if (parent && lhbCodes.has(parent)) {
      lhb = parent;
      country = WALES;
    } else if (parent && trustRows.has(parent)) {
      trust = parent;
      const given = text(trustRows.get(parent)!.country)?.toUpperCase() ?? "";
      country = TRUST_COUNTRY[given] ?? ENGLAND;
    } else {
      miss(
        "organisation_parent",
        files.organisations,
        code,
        parent,
        parent ? "parent is neither a local health board nor a trust" : "no parent code",
      );
    }

    let icb: string | null = null;
    let region: string | null = null;
    if (trust) {
      const m = trustIcb.get(trust);
      if (m) {
        icb = m.icb_code;
        region = regionCodes.has(m.region_code) ? m.region_code : null;
      } else {
        miss("organisation_icb", files.organisations, code, trust, `trust ${trust} has no ICB`);
      }
    }

    let borough: string | null = null;
    const city = text(raw.City);
    if (city?.toUpperCase() === "LONDON") {
      const la = text(raw.LocalAuthority);
      if (la && Object.hasOwn(LONDON_BOROUGHS, la)) borough = la;
      else {
        miss(
          "london_borough",
          files.organisations,
          code,
          la,
          la
            ? `City is ${city} but LocalAuthority ${la} is not a London borough`
            : `City is ${city} but LocalAuthority is empty`,
        );
      }
    }

    let openuk: string | null = null;
    const parentCode = trust ?? lhb;
    if (parentCode) {
      openuk = openUkByParent.get(parentCode) ?? null;
      if (!openuk) {
        miss(
          "organisation_openuk",
          files.organisations,
          code,
          parentCode,
          `no OPEN UK network for parent ${parentCode}`,
        );
      }
    }

    if (country && !countryCodes.has(country)) {
      throw new Error(`${code}: country ${country} is not seeded`);
    }
    if (orgs.has(code)) {
      throw new Error(`${files.organisations}: duplicate OrganisationCode ${code}`);
    }
    orgs.set(code, {
      ods_code: code,
      name: raw.OrganisationName.trim(),
      website: text(raw.Website),
      address1: text(raw.Address1),
      address2: text(raw.Address2),
      address3: text(raw.Address3),
      telephone: text(raw.Phone),
      city,
      county: text(raw.County),
      latitude: num(raw.Latitude),
      longitude: num(raw.Longitude),
      postcode: text(raw.Postcode),
      published_at: null,
      trust_code: trust,
      local_health_board_code: lhb,
      integrated_care_board_code: icb,
      nhs_england_region_code: region,
      country_code: country,
      london_borough_code: borough,
      paediatric_diabetes_unit_code: null,
      openuk_network_code: openuk,
      source: curated ? "curated" : "ods",
      ...odsDates(),
    });
  }
  for (const m of notes.multiIcbTrusts) {
    m.organisations = [...orgs.values()].filter((o) => o.trust_code === m.trust_code).length;
  }

  // --- PDUs and their networks
  const pdu: PduMembership[] = inputs.pzCodesNetworks.map((r) => ({
    ods_code: r.ods_code.trim(),
    pz_code: r.npda_code.trim(),
  }));
  const pairs = (rows: readonly { ods_code: string; npda_code: string }[]) =>
    new Set(rows.map((r) => `${r.ods_code.trim()} ${r.npda_code.trim()}`));
  const withNetworks = pairs(inputs.pzCodesNetworks);
  const plain = pairs(inputs.pzCodes);
  for (const p of plain) {
    if (!withNetworks.has(p)) {
      const [ods, pz] = p.split(" ");
      miss("pdu_membership", files.pzCodes, ods, pz, "row missing from pz_codes_networks.json");
    }
  }
  for (const p of withNetworks) {
    if (!plain.has(p)) {
      notes.observations.push(`pz_codes_networks.json row ${p} is not in pz_codes.json.`);
    }
  }

  const pduNetwork = new Map<string, string | null>();
  for (const r of inputs.pzCodesNetworks) {
    const pz = r.npda_code.trim();
    let network = text(r.network_code);
    if (network && !pnCodes.has(network)) {
      miss("pdu_network", files.pzCodesNetworks, pz, network, "unknown diabetes network code");
      network = null;
    }
    if (!pduNetwork.has(pz)) pduNetwork.set(pz, network);
    else if (pduNetwork.get(pz) !== network) {
      miss(
        "pdu_network",
        files.pzCodesNetworks,
        pz,
        network,
        `conflicting network: ${pduNetwork.get(pz)} kept from an earlier row`,
      );
    }
  }
  const noNetwork = [...pduNetwork].filter(([, n]) => n === null).map(([pz]) => pz);
  if (noNetwork.length) {
    notes.observations.push(
      `${noNetwork.sort().join(", ")} have no diabetes network in the reference ` +
        '(network_name "Unknown"); seeded with a null network.',
    );
  }
  const pdus: SeedRecord<"paediatric_diabetes_unit">[] = [...pduNetwork].map(([pz, network]) => ({
    pz_code: pz,
    paediatric_diabetes_network_code: network,
    source: "curated",
  }));

  const byPz = new Map<string, string[]>();
  for (const { ods_code, pz_code } of pdu) {
    byPz.set(pz_code, [...(byPz.get(pz_code) ?? []), ods_code]);
  }
  notes.sharedPdus = [...byPz].filter(([, codes]) => codes.length > 1)
    .map(([pz_code, ods_codes]) => ({ pz_code, ods_codes }));

  // 1. Rows on an organisation code.
  for (const { ods_code, pz_code } of pdu) {
    const org = orgs.get(ods_code);
    if (!org) continue;
    if (org.paediatric_diabetes_unit_code && org.paediatric_diabetes_unit_code !== pz_code) {
      miss(
        "pdu_membership",
        files.pzCodesNetworks,
        ods_code,
        pz_code,
        `conflicting PDU: ${org.paediatric_diabetes_unit_code} kept from an earlier row`,
      );
      continue;
    }
    org.paediatric_diabetes_unit_code = pz_code;
  }
  // 2. Rows on a trust or LHB code: children without a PDU get it.
  for (const { ods_code, pz_code } of pdu) {
    if (orgs.has(ods_code)) continue;
    if (!trustRows.has(ods_code) && !lhbCodes.has(ods_code)) continue;
    const children = [...orgs.values()].filter((o) =>
      o.trust_code === ods_code || o.local_health_board_code === ods_code
    );
    const assigned: string[] = [];
    const kept: { ods_code: string; pz_code: string }[] = [];
    for (const child of children) {
      if (child.paediatric_diabetes_unit_code) {
        kept.push({ ods_code: child.ods_code, pz_code: child.paediatric_diabetes_unit_code });
      } else {
        child.paediatric_diabetes_unit_code = pz_code;
        assigned.push(child.ods_code);
      }
    }
    notes.parentPdus.push({ parent_code: ods_code, pz_code, assigned, kept });
    if (!assigned.length) {
      miss(
        "pdu_membership",
        files.pzCodesNetworks,
        ods_code,
        pz_code,
        children.length
          ? `every organisation under ${ods_code} already has a PDU; row has no effect`
          : `${ods_code} has no seeded organisations; row has no effect`,
      );
    }
  }
  // 3. Anything else: not seeded. The original fetched these from the Spine at seed time.
  for (const { ods_code, pz_code } of pdu) {
    if (orgs.has(ods_code) || trustRows.has(ods_code) || lhbCodes.has(ods_code)) continue;
    const prefix = ods_code.slice(0, 3);
    const hint = trustRows.has(prefix)
      ? ` (its code suggests trust ${prefix}, which is seeded)`
      : lhbCodes.has(prefix)
      ? ` (its code suggests local health board ${prefix}, which is seeded)`
      : "";
    miss(
      "pdu_membership",
      files.pzCodesNetworks,
      ods_code,
      pz_code,
      `not a seeded organisation, trust or local health board${hint}; the original fetched it ` +
        "from the Spine at seed time; kept in memberships.pdu for the merge command to create",
    );
  }

  // --- Assemble, sorted by key
  const records: SeedRecords = {
    country: countries.sort(byCode((r) => r.boundary_identifier)),
    nhs_england_region: regions.sort(byCode((r) => r.region_code)),
    integrated_care_board: integratedCareBoards.sort(byCode((r) => r.ods_code)),
    local_health_board: localHealthBoards.sort(byCode((r) => r.ods_code)),
    trust: trusts.sort(byCode((r) => r.ods_code)),
    london_borough: londonBoroughs.sort(byCode((r) => r.gss_code)),
    paediatric_diabetes_network: diabetesNetworks.sort(byCode((r) => r.pn_code)),
    paediatric_diabetes_unit: pdus.sort(byCode((r) => r.pz_code)),
    openuk_network: openUkNetworks.sort(byCode((r) => r.boundary_identifier)),
    organisation: [...orgs.values()].sort(byCode((r) => r.ods_code)),
  };
  for (const kind of KIND_ORDER) assertUnique(kind, records);
  notes.trustsWithoutIcb.sort();
  notes.multiIcbTrusts.sort(byCode((m) => m.trust_code));

  const seed: Seed = {
    version: 1,
    generated_from: GENERATED_FROM,
    records,
    memberships: {
      pdu,
      openuk: openUk,
      trust_icb: [...trustIcb.values()].sort(byCode((m) => m.trust_code)),
    },
    unresolved,
  };
  return { seed, notes };
}

function assertUnique(kind: Kind, records: SeedRecords): void {
  const list = records[kind] as unknown as Record<string, unknown>[];
  const field = KINDS[kind].key;
  const seen = new Set<unknown>();
  for (const r of list) {
    if (seen.has(r[field])) throw new Error(`duplicate ${kind} ${String(r[field])}`);
    seen.add(r[field]);
  }
}

// ---------------------------------------------------------------------------------------------
// Output

/** The seed as written to `data/seed.json` (stable: same seed, same bytes). */
export function serializeSeed(seed: Seed): string {
  return JSON.stringify(seed, null, 2) + "\n";
}

/** The human-readable `data/seed-report.md`. */
export function renderReport({ seed, notes }: BuildResult): string {
  const lines: string[] = [];
  const push = (...l: string[]) => lines.push(...l);
  const orgs = seed.records.organisation;
  push(
    "# Seed report",
    "",
    `Generated by \`deno task build-seed\` from the reference set \`${seed.generated_from}\`. ` +
      "Do not edit: regenerate.",
    "",
    "## Records per kind",
    "",
    "| kind | records |",
    "|---|---:|",
    ...KIND_ORDER.map((k) => `| ${k} | ${seed.records[k].length} |`),
    "",
    "Organisations:",
    "",
    `- under a trust: ${orgs.filter((o) => o.trust_code).length}`,
    `- under a local health board: ${orgs.filter((o) => o.local_health_board_code).length}`,
    `- curated (not in ODS): ${
      orgs.filter((o) => o.source === "curated").map((o) => o.ods_code).join(", ")
    }`,
    `- with a PDU: ${orgs.filter((o) => o.paediatric_diabetes_unit_code).length}`,
    `- with an OPEN UK network: ${orgs.filter((o) => o.openuk_network_code).length}`,
    `- with an ICB: ${orgs.filter((o) => o.integrated_care_board_code).length}`,
    `- with a London borough: ${orgs.filter((o) => o.london_borough_code).length}`,
    "",
    "Memberships (curated reference, read by the merge command):",
    "",
    `- pdu: ${seed.memberships.pdu.length} rows`,
    `- openuk: ${seed.memberships.openuk.length} rows`,
    `- trust_icb: ${seed.memberships.trust_icb.length} trusts`,
    "",
    `## Unresolved rows (${seed.unresolved.length})`,
    "",
  );
  if (seed.unresolved.length) {
    push("| kind | file | code | value | reason |", "|---|---|---|---|---|");
    for (const u of seed.unresolved) {
      push(`| ${u.kind} | ${u.source} | ${u.code} | ${u.value ?? ""} | ${u.reason} |`);
    }
  } else push("None.");
  push("", "## Corrections and departures from the original", "");
  for (const c of notes.corrections) push(`- ${c}`);
  push(
    "- Empty strings in the reference are stored as `null`; text is trimmed; latitude and " +
      "longitude are numbers.",
    "- An organisation's ICB and region come from its trust via the trust → ICB map; a trust " +
      "that appears with several ICBs gets the ICB it appears with most often, ties going to " +
      "the first row (see below). The original assigned row by row, so the outcome depended on row order.",
    "- OPEN UK networks: the first row for a trust or LHB wins; conflicting later rows are listed " +
      "as unresolved.",
    "- Countries, London boroughs, PDUs, diabetes networks and OPEN UK networks are not ODS " +
      'entities: `source: "curated"`. Regions, ICBs, LHBs, trusts and organisations are ' +
      '`source: "ods"` (except the curated organisations above).',
    "",
    "## Observations",
    "",
  );
  for (const o of notes.observations) push(`- ${o}`);
  for (const s of notes.sharedPdus) {
    push(`- ${s.pz_code} is listed for several codes: ${s.ods_codes.join(", ")}.`);
  }
  push(
    "",
    `## Trusts in several ICBs (${notes.multiIcbTrusts.length})`,
    "",
    "| trust | chosen ICB | organisations | ICBs (rows) |",
    "|---|---|---:|---|",
  );
  for (const m of notes.multiIcbTrusts) {
    push(
      `| ${m.trust_code} | ${m.chosen} | ${m.organisations} | ${
        m.icbs.map((i) => `${i.icb_code} (${i.rows})`).join(", ")
      } |`,
    );
  }
  push(
    "",
    `## Trusts with no ICB (${notes.trustsWithoutIcb.length})`,
    "",
    "Not in the trust → ICB map (Welsh, ambulance, specialist or merged trusts); none of them " +
      "is the parent of a seeded organisation unless listed as unresolved above.",
    "",
    notes.trustsWithoutIcb.join(", "),
    "",
    "## PDU rows on a trust or LHB code",
    "",
    "| parent | PZ | given to | already had a PDU |",
    "|---|---|---|---|",
  );
  for (const p of notes.parentPdus) {
    push(
      `| ${p.parent_code} | ${p.pz_code} | ${p.assigned.join(", ")} | ${
        p.kept.map((k) => `${k.ods_code} (${k.pz_code})`).join(", ")
      } |`,
    );
  }
  push("");
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------
// CLI

const HELP = `Build data/seed.json and data/seed-report.md from the RCPCH reference lists.

Usage: deno task build-seed [--from DIR] [--check]

Options:
  --from DIR   reference directory (default ../shared/reference/rcpch-2024, relative to the
               project root; a given DIR is relative to the working directory)
  --check      do not write; exit 1 if the files in data/ are missing or stale
  -h, --help   show this help
`;

/** Project root (the directory holding deno.json). */
export const PROJECT_ROOT = fileURLToPath(new URL("../", import.meta.url));

/** Default reference directory. */
export const DEFAULT_FROM = join(PROJECT_ROOT, "../shared/reference/rcpch-2024");

async function readOrNull(path: string): Promise<string | null> {
  try {
    return await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      from: { type: "string" },
      check: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const from = values.from
    ? (isAbsolute(values.from) ? values.from : join(Deno.cwd(), values.from))
    : DEFAULT_FROM;
  const result = buildSeed(await readInputs(from));
  const outputs: [string, string][] = [
    [join(PROJECT_ROOT, "data/seed.json"), serializeSeed(result.seed)],
    [join(PROJECT_ROOT, "data/seed-report.md"), renderReport(result)],
  ];
  const counts = Object.fromEntries(KIND_ORDER.map((k) => [k, result.seed.records[k].length]));
  if (values.check) {
    const stale: string[] = [];
    for (const [path, content] of outputs) {
      if (await readOrNull(path) !== content) stale.push(path);
    }
    if (stale.length) {
      console.error(`stale: ${stale.join(", ")}; run deno task build-seed`);
      return 1;
    }
    console.log(JSON.stringify({ msg: "seed is up to date", counts }));
    return 0;
  }
  await Deno.mkdir(join(PROJECT_ROOT, "data"), { recursive: true });
  for (const [path, content] of outputs) await Deno.writeTextFile(path, content);
  console.log(JSON.stringify({
    msg: "seed built",
    from,
    counts,
    unresolved: result.seed.unresolved.length,
  }));
  return 0;
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (e) {
    console.error(`build-seed: ${e instanceof Error ? e.message : String(e)}`);
    Deno.exit(1);
  }
}
