/**
 * The organisation records: each site resolved to its parent (local health board, else trust),
 * country, ICB and region (from the trust), London borough and OPEN UK network (from the
 * parent). PDUs are assigned afterwards (`pdus.ts`).
 *
 * @module
 */
import type { TrustIcbMembership } from "../../lib/model.ts";
import type { SeedRecord } from "../../lib/seed.ts";
import {
  CURATED_ORGANISATIONS,
  ENGLAND,
  LONDON_BOROUGHS,
  TRUST_COUNTRY,
  WALES,
} from "./curated.ts";
import type { Findings } from "./findings.ts";
import type { TrustRows } from "./parents.ts";
import { LISTS, type ReferenceRow } from "./reference.ts";
import { num, odsDates, text } from "./values.ts";

/** An organisation record of the seed. */
export type Org = SeedRecord<"organisation">;

/** What organisations are resolved against. */
export interface OrganisationContext {
  trustRows: TrustRows;
  lhbCodes: ReadonlySet<string>;
  trustIcb: ReadonlyMap<string, TrustIcbMembership>;
  regionCodes: ReadonlySet<string>;
  /** Parent (trust or LHB) code → OPEN UK network code. */
  openUkByParent: ReadonlyMap<string, string>;
  countryCodes: ReadonlySet<string>;
}

type Row = ReferenceRow<"organisations">;

const FILE = LISTS.organisations.file;

/** The parent and country of a site: curated, a local health board first, else a trust. */
interface Placement {
  trust: string | null;
  lhb: string | null;
  country: string | null;
  curated: boolean;
}

function place(raw: Row, code: string, ctx: OrganisationContext, f: Findings): Placement {
  const parent = text(raw.parent_code);
  const curated = CURATED_ORGANISATIONS[code];
  if (curated) {
    f.notes.corrections.push(
      `${code} ${raw.name.trim()}: ${curated.note}` +
        (parent ? ` (reference ParentODSCode ${parent} ignored)` : ""),
    );
    return { trust: null, lhb: null, country: curated.country, curated: true };
  }
  if (parent && ctx.lhbCodes.has(parent)) {
    return { trust: null, lhb: parent, country: WALES, curated: false };
  }
  if (parent && ctx.trustRows.has(parent)) {
    const given = text(ctx.trustRows.get(parent)!.country)?.toUpperCase() ?? "";
    return { trust: parent, lhb: null, country: TRUST_COUNTRY[given] ?? ENGLAND, curated: false };
  }
  f.miss(
    "organisation_parent",
    FILE,
    code,
    parent,
    parent ? "parent is neither a local health board nor a trust" : "no parent code",
  );
  return { trust: null, lhb: null, country: null, curated: false };
}

/** ICB and region from the trust's row in the trust → ICB map. */
function icbOf(
  code: string,
  trust: string | null,
  ctx: OrganisationContext,
  f: Findings,
): { icb: string | null; region: string | null } {
  if (!trust) return { icb: null, region: null };
  const m = ctx.trustIcb.get(trust);
  if (!m) {
    f.miss("organisation_icb", FILE, code, trust, `trust ${trust} has no ICB`);
    return { icb: null, region: null };
  }
  return { icb: m.icb_code, region: ctx.regionCodes.has(m.region_code) ? m.region_code : null };
}

/** A London site's borough: its LocalAuthority, when that is a London borough. */
function boroughOf(raw: Row, code: string, f: Findings): string | null {
  const city = text(raw.city);
  if (city?.toUpperCase() !== "LONDON") return null;
  const la = text(raw.local_authority);
  if (la && Object.hasOwn(LONDON_BOROUGHS, la)) return la;
  f.miss(
    "london_borough",
    FILE,
    code,
    la,
    la
      ? `City is ${city} but LocalAuthority ${la} is not a London borough`
      : `City is ${city} but LocalAuthority is empty`,
  );
  return null;
}

/** The parent's OPEN UK network. */
function openUkOf(
  code: string,
  parentCode: string | null,
  ctx: OrganisationContext,
  f: Findings,
): string | null {
  if (!parentCode) return null;
  const network = ctx.openUkByParent.get(parentCode) ?? null;
  if (!network) {
    f.miss(
      "organisation_openuk",
      FILE,
      code,
      parentCode,
      `no OPEN UK network for parent ${parentCode}`,
    );
  }
  return network;
}

/** One organisation record (without a PDU yet). */
function resolveOrganisation(raw: Row, ctx: OrganisationContext, f: Findings): Org {
  const code = raw.ods_code.trim();
  const { trust, lhb, country, curated } = place(raw, code, ctx, f);
  const { icb, region } = icbOf(code, trust, ctx, f);
  const borough = boroughOf(raw, code, f);
  const openuk = openUkOf(code, trust ?? lhb, ctx, f);
  if (country && !ctx.countryCodes.has(country)) {
    throw new Error(`${code}: country ${country} is not seeded`);
  }
  return {
    ods_code: code,
    name: raw.name.trim(),
    website: text(raw.website),
    address1: text(raw.address1),
    address2: text(raw.address2),
    address3: text(raw.address3),
    telephone: text(raw.telephone),
    city: text(raw.city),
    county: text(raw.county),
    latitude: num(raw.latitude),
    longitude: num(raw.longitude),
    postcode: text(raw.postcode),
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
  };
}

/**
 * The organisation records by code, in reference order. Throws on a repeated code or a
 * country that is not seeded.
 *
 * @example
 * ```ts
 * import { buildOrganisations } from "./organisations.ts";
 * import { Findings } from "./findings.ts";
 *
 * const row = {
 *   ods_code: "7A6AA", name: "SITE", address1: "", address2: "", address3: "", city: "",
 *   county: "", postcode: "", latitude: "", longitude: "", parent_code: "7A6", telephone: "",
 *   website: "", local_authority: "",
 * };
 * const orgs = buildOrganisations([row], {
 *   trustRows: new Map(),
 *   lhbCodes: new Set(["7A6"]),
 *   trustIcb: new Map(),
 *   regionCodes: new Set(),
 *   openUkByParent: new Map([["7A6", "SWEP"]]),
 *   countryCodes: new Set(["W92000004"]),
 * }, new Findings());
 * orgs.get("7A6AA")?.local_health_board_code; // "7A6"
 * ```
 */
export function buildOrganisations(
  rows: readonly Row[],
  ctx: OrganisationContext,
  f: Findings,
): Map<string, Org> {
  const orgs = new Map<string, Org>();
  for (const raw of rows) {
    const org = resolveOrganisation(raw, ctx, f);
    if (orgs.has(org.ods_code)) {
      throw new Error(`${FILE}: duplicate OrganisationCode ${org.ods_code}`);
    }
    orgs.set(org.ods_code, org);
  }
  return orgs;
}
