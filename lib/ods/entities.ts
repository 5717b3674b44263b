/**
 * Pure mapping from an ODS record onto the stored entities. Used by the sync (update what we
 * hold) and by the merge command (create what we don't).
 *
 * ODS owns names, addresses, contacts, status, dates and parent relationships. People own PDU and
 * OPEN UK membership, coordinates, boundary codes and curated names: those are never overwritten.
 *
 * @module
 */
import type {
  BoundaryAttributes,
  Entities,
  IntegratedCareBoard,
  LocalHealthBoard,
  NHSEnglandRegion,
  Organisation,
  Trust,
} from "../model.ts";
import { activeParent, REL, ROLE } from "./record.ts";
import type { OdsRecord } from "./record.ts";

/** Country codes ODS-backed records get. */
export const ENGLAND = "E92000001";
export const WALES = "W92000004";

/** The entity kinds the sync keeps current from ODS. */
export type OdsKind =
  | "organisation"
  | "trust"
  | "local_health_board"
  | "integrated_care_board"
  | "nhs_england_region";

/** ODS-backed kinds, parents first. */
export const ODS_KINDS: readonly OdsKind[] = [
  "nhs_england_region",
  "integrated_care_board",
  "local_health_board",
  "trust",
  "organisation",
];

/**
 * Which kind of entity an ODS record is, from its primary role; `null` for roles we don't keep
 * (GP practices, pharmacies ...).
 */
export function kindOfRecord(record: Pick<OdsRecord, "primaryRole">): OdsKind | null {
  const role = record.primaryRole;
  if (role === ROLE.NHS_TRUST) return "trust";
  if (role === ROLE.NHS_TRUST_SITE || ROLE.LOCAL_HEALTH_BOARD_SITE.includes(role)) {
    return "organisation";
  }
  if (role === ROLE.STRATEGIC_PARTNERSHIP) return "integrated_care_board";
  if (role === ROLE.NHS_ENGLAND_REGION) return "nhs_england_region";
  if (ROLE.LOCAL_HEALTH_BOARD.includes(role)) return "local_health_board";
  return null;
}

/** The parent trust (active RE6 → RO197) of a site. */
export const parentTrustOf = (r: OdsRecord): string | null =>
  activeParent(r, REL.IS_OPERATED_BY, [ROLE.NHS_TRUST]);

/** The parent local health board (active RE6 → RO144/RO142) of a Welsh site. */
export const parentBoardOf = (r: OdsRecord): string | null =>
  activeParent(r, REL.IS_OPERATED_BY, ROLE.LOCAL_HEALTH_BOARD);

/** The ICB (active RE5 → RO261) of a trust. */
export const icbOf = (r: OdsRecord): string | null =>
  activeParent(r, REL.IS_LOCATED_IN_THE_GEOGRAPHY_OF, [ROLE.STRATEGIC_PARTNERSHIP]);

/** The NHS England region (active RE5 → RO209) of an ICB, when ODS gives it. */
export const regionOf = (r: OdsRecord): string | null =>
  activeParent(r, REL.IS_LOCATED_IN_THE_GEOGRAPHY_OF, [ROLE.NHS_ENGLAND_REGION]);

/** The parent codes a record needs in the store, with their kinds. */
export function parentsNeeded(kind: OdsKind, r: OdsRecord): { kind: OdsKind; code: string }[] {
  const out: { kind: OdsKind; code: string }[] = [];
  if (kind === "organisation") {
    const trust = parentTrustOf(r);
    const board = parentBoardOf(r);
    if (trust) out.push({ kind: "trust", code: trust });
    if (board) out.push({ kind: "local_health_board", code: board });
  } else if (kind === "trust") {
    const icb = icbOf(r);
    if (icb) out.push({ kind: "integrated_care_board", code: icb });
  } else if (kind === "integrated_care_board") {
    const region = regionOf(r);
    if (region) out.push({ kind: "nhs_england_region", code: region });
  }
  return out;
}

/**
 * ODS upper-cases whole URLs ("HTTPS://WWW.CUH.NHS.UK/"). Lower-case those, and keep the
 * current value when it differs only by case, so the sync doesn't churn. Sites rarely carry
 * contacts in ODS, so a missing ODS value keeps the current one (the same for telephones).
 */
export function website(ods: string | null, current: string | null | undefined): string | null {
  if (!ods) return current ?? null;
  if (current && current.toLowerCase() === ods.toLowerCase()) return current;
  const url = ods === ods.toUpperCase() ? ods.toLowerCase() : ods;
  return /^https?:\/\//.test(url) ? url : `https://${url}`;
}

/** Keep the current text when ODS differs only by case (curated names keep their casing). */
function text(ods: string | null, current: string | null | undefined): string | null {
  if (ods === null) return null;
  if (current && current.toUpperCase() === ods.toUpperCase()) return current;
  return ods;
}

function odsDates(r: OdsRecord, current: { successors: string[]; predecessors: string[] } | null) {
  const known = r.successionsKnown ?? true;
  const successors = r.successions.filter((s) => s.type === "Successor").map((s) => s.target);
  const predecessors = r.successions.filter((s) => s.type === "Predecessor").map((s) => s.target);
  return {
    last_change_date: r.lastChangeDate,
    active: r.active,
    operational_start: r.operational.start,
    operational_end: r.operational.end,
    legal_start: r.legal.start,
    legal_end: r.legal.end,
    successors: known ? [...new Set(successors)].sort() : current?.successors ?? [],
    predecessors: known ? [...new Set(predecessors)].sort() : current?.predecessors ?? [],
  };
}

/** Lookups of parents' current (or planned) state, for derived fields. */
export interface ParentLookup {
  trust(code: string): Pick<Trust, "integrated_care_board_code"> | null;
  icb(code: string): Pick<IntegratedCareBoard, "nhs_england_region_code"> | null;
}

/**
 * The organisation as it should be after applying `r`. Relations to trust or board come from the
 * active `RE6`; ICB and region are derived from the parent trust (never from a sibling).
 * Curated fields (PDU, OPEN UK network, coordinates, London borough) are kept from `current`.
 */
export function toOrganisation(
  r: OdsRecord,
  current: Organisation | null,
  parents: ParentLookup,
): Organisation {
  const trust = parentTrustOf(r);
  const board = trust ? null : parentBoardOf(r);
  const icb = trust ? parents.trust(trust)?.integrated_care_board_code ?? null : null;
  const region = icb ? parents.icb(icb)?.nhs_england_region_code ?? null : null;
  return {
    ods_code: r.code,
    name: text(r.name, current?.name)!,
    website: website(r.website, current?.website),
    address1: text(r.address.line1, current?.address1),
    address2: text(r.address.line2, current?.address2),
    address3: text(r.address.line3, current?.address3),
    telephone: r.telephone ?? current?.telephone ?? null,
    city: text(r.address.town, current?.city),
    county: text(r.address.county, current?.county),
    latitude: current?.latitude ?? null,
    longitude: current?.longitude ?? null,
    postcode: r.address.postcode,
    published_at: r.lastChangeDate,
    trust_code: trust,
    local_health_board_code: board,
    integrated_care_board_code: icb,
    nhs_england_region_code: region,
    country_code: trust ? ENGLAND : board ? WALES : current?.country_code ?? null,
    london_borough_code: current?.london_borough_code ?? null,
    paediatric_diabetes_unit_code: current?.paediatric_diabetes_unit_code ?? null,
    openuk_network_code: current?.openuk_network_code ?? null,
    source: "ods",
    updated_at: current?.updated_at ?? "",
    ...odsDates(r, current),
  };
}

/** The trust as it should be after applying `r`; its ICB is the active `RE5` → RO261. */
export function toTrust(r: OdsRecord, current: Trust | null): Trust {
  return {
    ods_code: r.code,
    name: text(r.name, current?.name)!,
    address_line_1: text(r.address.line1, current?.address_line_1),
    address_line_2: text(r.address.line2, current?.address_line_2),
    town: text(r.address.town, current?.town),
    postcode: r.address.postcode,
    country: r.address.country ?? current?.country ?? null,
    telephone: r.telephone ?? current?.telephone ?? null,
    website: website(r.website, current?.website),
    published_at: r.lastChangeDate,
    integrated_care_board_code: icbOf(r) ??
      (r.active ? current?.integrated_care_board_code ?? null : null),
    source: "ods",
    updated_at: current?.updated_at ?? "",
    ...odsDates(r, current),
  };
}

/** The local health board after applying `r` (boundary and Welsh name are curated). */
export function toLocalHealthBoard(
  r: OdsRecord,
  current: LocalHealthBoard | null,
): LocalHealthBoard {
  return {
    ods_code: r.code,
    boundary_identifier: current?.boundary_identifier ?? null,
    name: text(r.name, current?.name)!,
    welsh_name: current?.welsh_name ?? null,
    publication_date: current?.publication_date ?? null,
    ...boundaryOf(current),
    source: "ods",
    updated_at: current?.updated_at ?? "",
    ...odsDates(r, current),
  };
}

/** ONS boundary attributes: people's data (from ONS), never ODS's. */
const BOUNDARY_FIELDS = ["bng_e", "bng_n", "long", "lat", "globalid"] as const;

/**
 * The boundary attributes of a record the sync writes: those `current` carries, as they are (a
 * record stored before they were carried keeps having none, so a sync never churns it); `null`
 * for a record new to the store, like its other ONS fields. The sync never drops or invents them.
 *
 * @example
 * ```ts
 * import { boundaryOf } from "./entities.ts";
 *
 * boundaryOf({ bng_e: 1, lat: 51.5 }); // { bng_e: 1, lat: 51.5 }
 * boundaryOf(null); // { bng_e: null, bng_n: null, long: null, lat: null, globalid: null }
 * ```
 */
export function boundaryOf(current: BoundaryAttributes | null): BoundaryAttributes {
  const out: Record<string, unknown> = {};
  for (const f of BOUNDARY_FIELDS) {
    if (!current) out[f] = null;
    else if (f in current) out[f] = current[f];
  }
  return out as BoundaryAttributes;
}

/** The ICB after applying `r`; region from an active `RE5` → RO209 when ODS gives one. */
export function toIntegratedCareBoard(
  r: OdsRecord,
  current: IntegratedCareBoard | null,
): IntegratedCareBoard {
  return {
    ods_code: r.code,
    boundary_identifier: current?.boundary_identifier ?? null,
    name: text(r.name, current?.name)!,
    publication_date: current?.publication_date ?? null,
    nhs_england_region_code: regionOf(r) ?? current?.nhs_england_region_code ?? null,
    ...boundaryOf(current),
    source: "ods",
    updated_at: current?.updated_at ?? "",
    ...odsDates(r, current),
  };
}

/**
 * The region after applying `r`. Region names are curated ("East of England"); ODS calls them
 * "EAST OF ENGLAND COMMISSIONING REGION", so a new region takes a tidied ODS name.
 */
export function toRegion(r: OdsRecord, current: NHSEnglandRegion | null): NHSEnglandRegion {
  return {
    region_code: r.code,
    boundary_identifier: current?.boundary_identifier ?? null,
    name: current?.name ?? tidyRegionName(r.name),
    publication_date: current?.publication_date ?? null,
    ...boundaryOf(current),
    source: "ods",
    updated_at: current?.updated_at ?? "",
    ...odsDates(r, current),
  };
}

/** "EAST OF ENGLAND COMMISSIONING REGION" → "East of England". */
export function tidyRegionName(name: string): string {
  const base = name.replace(/\s+COMMISSIONING REGION$/i, "").toLowerCase();
  return base.replace(/\b([a-z])/g, (m) => m.toUpperCase()).replace(
    /\b(Of|And)\b/g,
    (m) => m.toLowerCase(),
  );
}

/**
 * Map `r` onto an entity of `kind`, given its current stored state (or `null` to create it).
 */
export function toEntity<K extends OdsKind>(
  kind: K,
  r: OdsRecord,
  current: Entities[K] | null,
  parents: ParentLookup,
): Entities[K] {
  const c = current as never;
  switch (kind) {
    case "organisation":
      return toOrganisation(r, c, parents) as Entities[K];
    case "trust":
      return toTrust(r, c) as Entities[K];
    case "local_health_board":
      return toLocalHealthBoard(r, c) as Entities[K];
    case "integrated_care_board":
      return toIntegratedCareBoard(r, c) as Entities[K];
    default:
      return toRegion(r, c) as Entities[K];
  }
}
