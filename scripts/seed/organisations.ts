/**
 * The organisation records: each site resolved to its parent (local health board, else trust),
 * country, ICB and region (from the trust), London borough and OPEN UK network (from the
 * parent), as the original's seed resolved them. PDUs are assigned afterwards (`pdus.ts`).
 *
 * @module
 */
import type { TrustIcbMembership } from "../../lib/model.ts";
import type { SeedRecord } from "../../lib/seed.ts";
import { CURATED_ORGANISATIONS, ENGLAND, TRUST_COUNTRY, WALES } from "./curated.ts";
import type { Findings } from "./findings.ts";
import type { OpenUkResult } from "./openuk.ts";
import type { TrustRows } from "./parents.ts";
import { LISTS, type ReferenceRow } from "./reference.ts";
import { given, num, odsDates, text } from "./values.ts";

/** An organisation record of the seed. */
export type Org = SeedRecord<"organisation">;

/** What organisations are resolved against. */
export interface OrganisationContext {
  trustRows: TrustRows;
  lhbCodes: ReadonlySet<string>;
  trustIcb: ReadonlyMap<string, TrustIcbMembership>;
  regionCodes: ReadonlySet<string>;
  /** OPEN UK network code per trust and per local health board. */
  openUk: Pick<OpenUkResult, "byTrust" | "byBoard">;
  countryCodes: ReadonlySet<string>;
  /** GSS codes of the seeded London boroughs. */
  boroughCodes: ReadonlySet<string>;
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
    const ignored = parent && !curated.keepParent
      ? ` (reference ParentODSCode ${parent} ignored)`
      : "";
    f.notes.corrections.push(`${code} ${raw.name.trim()}: ${curated.note}${ignored}`);
    if (!curated.keepParent) {
      return { trust: null, lhb: null, country: curated.country, curated: true };
    }
  }
  if (parent && ctx.lhbCodes.has(parent)) {
    return { trust: null, lhb: parent, country: curated?.country ?? WALES, curated: !!curated };
  }
  if (parent && ctx.trustRows.has(parent)) {
    const stated = text(ctx.trustRows.get(parent)!.country)?.toUpperCase() ?? "";
    const country = curated ? curated.country : TRUST_COUNTRY[stated] ?? ENGLAND;
    return { trust: parent, lhb: null, country, curated: !!curated };
  }
  f.miss(
    "organisation_parent",
    FILE,
    code,
    parent,
    parent ? "parent is neither a local health board nor a trust" : "no parent code",
  );
  return { trust: null, lhb: null, country: null, curated: !!curated };
}

/** ICB and region from the trust's last row in the trust → ICB map (as the original). */
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

/**
 * A London site's borough: its LocalAuthority, when City is `LONDON` (exactly, as the original
 * compared it) and that is a London borough.
 */
function boroughOf(raw: Row, code: string, ctx: OrganisationContext, f: Findings): string | null {
  const city = given(raw.city);
  if (city !== "LONDON") return null;
  const la = text(raw.local_authority);
  if (la && ctx.boroughCodes.has(la)) return la;
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

/** The OPEN UK network of the site's trust, or of its health board. */
function openUkOf(
  code: string,
  place: Placement,
  ctx: OrganisationContext,
  f: Findings,
): string | null {
  const parent = place.trust ?? place.lhb;
  if (!parent) return null;
  const network = (place.trust ? ctx.openUk.byTrust.get(parent) : ctx.openUk.byBoard.get(parent)) ??
    null;
  if (!network) {
    const kind = place.trust ? "trust" : "local health board";
    f.miss(
      "organisation_openuk",
      FILE,
      code,
      parent,
      `no OPEN UK network for ${kind} ${parent}` +
        (!place.trust && ctx.openUk.byTrust.has(parent)
          ? ` (its row applies to trust ${parent}'s sites, as in the original's seed)`
          : ""),
    );
  }
  return network;
}

/** One organisation record (without a PDU yet). */
function resolveOrganisation(raw: Row, ctx: OrganisationContext, f: Findings): Org {
  const code = raw.ods_code.trim();
  const placed = place(raw, code, ctx, f);
  const { trust, lhb, country, curated } = placed;
  const { icb, region } = icbOf(code, trust, ctx, f);
  const borough = boroughOf(raw, code, ctx, f);
  const openuk = openUkOf(code, placed, ctx, f);
  if (country && !ctx.countryCodes.has(country)) {
    throw new Error(`${code}: country ${country} is not seeded`);
  }
  return {
    ods_code: code,
    name: given(raw.name),
    website: given(raw.website),
    address1: given(raw.address1),
    address2: given(raw.address2),
    address3: given(raw.address3),
    telephone: given(raw.telephone),
    city: given(raw.city),
    county: given(raw.county),
    latitude: num(raw.latitude),
    longitude: num(raw.longitude),
    postcode: given(raw.postcode),
    // Not reference data: the sync gives it from the postcode (lib/sync/local_authorities.ts).
    local_authority: null,
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
 * The organisation records by code, in reference order. Text is as given (an empty field stays
 * `""`, as the original stored it). Throws on a repeated code or a country that is not seeded.
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
 *   openUk: { byTrust: new Map(), byBoard: new Map([["7A6", "SWEP"]]) },
 *   countryCodes: new Set(["W92000004"]),
 *   boroughCodes: new Set(),
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
