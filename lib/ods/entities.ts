/**
 * Pure mapping from an ODS record onto the stored entities. Used by the sync (update what we
 * hold) and by the merge command (create what we don't).
 *
 * ODS owns names, addresses, contacts, status, dates and parent relationships. People own PDU and
 * OPEN UK membership, coordinates, boundary codes and curated names: those are never overwritten.
 *
 * Parents and `active` are those in force on a UK date (`on`, the run's date) by ODS's dates
 * (`./dated.ts`), never by `Status` alone; the dated facts themselves are stored as `ods_facts`.
 * A field the source cannot express (`OdsRecord.absent`) keeps its stored value.
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
import { keptLocalAuthority } from "./postcode_lookup.ts";
import { mixedCaseName, sameNameIgnoringCase } from "../names.ts";
import { ukDate } from "../dates.ts";
import { type Lines, placeLines } from "./address_lines.ts";
import { activeOn, factsOf, governing, parentOn } from "./dated.ts";
import { REL, ROLE } from "./record.ts";
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

/** Today in the UK: the default date of the derivations below (the sync passes its own). */
const today = (): string => ukDate(new Date());

/** The relationship and target roles each parent of a kind comes from. */
export const PARENT_RULES: {
  readonly [K in OdsKind]: readonly { kind: OdsKind; rel: string; roles: readonly string[] }[];
} = {
  organisation: [
    { kind: "trust", rel: REL.IS_OPERATED_BY, roles: [ROLE.NHS_TRUST] },
    { kind: "local_health_board", rel: REL.IS_OPERATED_BY, roles: ROLE.LOCAL_HEALTH_BOARD },
  ],
  trust: [{
    kind: "integrated_care_board",
    rel: REL.IS_LOCATED_IN_THE_GEOGRAPHY_OF,
    roles: [ROLE.STRATEGIC_PARTNERSHIP],
  }],
  integrated_care_board: [{
    kind: "nhs_england_region",
    rel: REL.IS_LOCATED_IN_THE_GEOGRAPHY_OF,
    roles: [ROLE.NHS_ENGLAND_REGION],
  }],
  local_health_board: [],
  nhs_england_region: [],
};

/** The parent trust (RE6 → RO197 in force on `on`) of a site. */
export const parentTrustOf = (r: Pick<OdsRecord, "relationships">, on = today()): string | null =>
  parentOn(r, REL.IS_OPERATED_BY, [ROLE.NHS_TRUST], on).target;

/** The parent local health board (RE6 → RO144/RO142 in force on `on`) of a Welsh site. */
export const parentBoardOf = (r: Pick<OdsRecord, "relationships">, on = today()): string | null =>
  parentOn(r, REL.IS_OPERATED_BY, ROLE.LOCAL_HEALTH_BOARD, on).target;

/** The ICB (RE5 → RO261 in force on `on`) of a trust. */
export const icbOf = (r: Pick<OdsRecord, "relationships">, on = today()): string | null =>
  parentOn(r, REL.IS_LOCATED_IN_THE_GEOGRAPHY_OF, [ROLE.STRATEGIC_PARTNERSHIP], on).target;

/** The NHS England region (RE5 → RO209 in force on `on`) of an ICB, when ODS gives it. */
export const regionOf = (r: Pick<OdsRecord, "relationships">, on = today()): string | null =>
  parentOn(r, REL.IS_LOCATED_IN_THE_GEOGRAPHY_OF, [ROLE.NHS_ENGLAND_REGION], on).target;

/**
 * The parent codes a record needs in the store, with their kinds: those in force on `on` and
 * those ODS has published to come (a move next quarter needs its new trust held by then).
 *
 * @example
 * ```ts
 * import { parentsNeeded } from "./entities.ts";
 *
 * const rel = (target: string, start: string, end: string | null) => ({
 *   id: "RE6",
 *   target,
 *   targetRole: "RO197",
 *   active: true,
 *   operational: { start, end },
 *   legal: { start: null, end: null },
 * });
 * const site = {
 *   relationships: [rel("RBK", "1999-04-01", "2027-03-31"), rel("RL4", "2027-04-01", null)],
 * };
 * parentsNeeded("organisation", site, "2026-11-25").map((p) => p.code); // ["RBK", "RL4"]
 * ```
 */
export function parentsNeeded(
  kind: OdsKind,
  r: Pick<OdsRecord, "relationships">,
  on = today(),
): { kind: OdsKind; code: string }[] {
  const out: { kind: OdsKind; code: string }[] = [];
  const seen = new Set<string>();
  for (const rule of PARENT_RULES[kind]) {
    const now = parentOn(r, rule.rel, rule.roles, on).target;
    const later = r.relationships.filter((x) =>
      x.id === rule.rel && x.targetRole !== null && rule.roles.includes(x.targetRole) &&
      (governing(x).start ?? "") > on
    ).map((x) => x.target);
    for (const code of [...(now ? [now] : []), ...later]) {
      if (seen.has(`${rule.kind}:${code}`)) continue;
      seen.add(`${rule.kind}:${code}`);
      out.push({ kind: rule.kind, code });
    }
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
  if (current && sameNameIgnoringCase(current, ods)) return current;
  return ods;
}

/**
 * The name of an ICB or health board after applying ODS's: the stored one when the two differ
 * only in letter case (a change of style is not a rename), otherwise ODS's in the mixed-case
 * style of the ONS names the store carries ("NHS SURREY AND SUSSEX INTEGRATED CARE BOARD" →
 * "NHS Surrey and Sussex Integrated Care Board"). ODS's own spelling goes in the change log
 * (`ods_name`).
 *
 * @example
 * ```ts
 * import { boundaryName } from "./entities.ts";
 *
 * boundaryName("NHS KENT AND MEDWAY INTEGRATED CARE BOARD", "NHS Kent and Medway Integrated Care Board");
 * // "NHS Kent and Medway Integrated Care Board": not a rename
 * boundaryName("NHS SURREY AND SUSSEX INTEGRATED CARE BOARD", null);
 * // "NHS Surrey and Sussex Integrated Care Board"
 * ```
 */
export function boundaryName(ods: string, current: string | null | undefined): string {
  return current && sameNameIgnoringCase(current, ods) ? current : mixedCaseName(ods);
}

function odsDates(
  r: OdsRecord,
  current: Pick<Organisation, "successors" | "predecessors" | "ods_facts"> | null,
  on: string,
) {
  const known = r.successionsKnown ?? true;
  const successors = r.successions.filter((s) => s.type === "Successor").map((s) => s.target);
  const predecessors = r.successions.filter((s) => s.type === "Predecessor").map((s) => s.target);
  return {
    last_change_date: r.lastChangeDate,
    active: activeOn(r, on),
    operational_start: r.operational.start,
    operational_end: r.operational.end,
    legal_start: r.legal.start,
    legal_end: r.legal.end,
    successors: known ? [...new Set(successors)].sort() : current?.successors ?? [],
    predecessors: known ? [...new Set(predecessors)].sort() : current?.predecessors ?? [],
    ods_facts: factsOf(r, current?.ods_facts),
  };
}

/**
 * The address lines of `r`; when the source can't say which line is which (FHIR), placed where
 * the stored ones are (`./address_lines.ts`).
 */
function linesOf(r: OdsRecord, stored: (string | null | undefined)[]): Lines {
  const { line1, line2, line3 } = r.address;
  if (!r.absent?.includes("line_positions")) return [line1, line2, line3];
  return placeLines([line1, line2, line3].filter((l): l is string => !!l), stored);
}

/** The stored value of a field the source can't express (`OdsRecord.absent`), else `value`. */
function unlessAbsent<T>(r: OdsRecord, field: "county", value: T, current: T | undefined): T {
  return r.absent?.includes(field) && current !== undefined ? current : value;
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
  on = today(),
): Organisation {
  const trust = parentTrustOf(r, on);
  const board = trust ? null : parentBoardOf(r, on);
  const icb = trust ? parents.trust(trust)?.integrated_care_board_code ?? null : null;
  const region = icb ? parents.icb(icb)?.nhs_england_region_code ?? null : null;
  const [line1, line2, line3] = linesOf(
    r,
    current ? [current.address1, current.address2, current.address3] : [],
  );
  return {
    ods_code: r.code,
    name: text(r.name, current?.name)!,
    // Empty text is "" here, as the original serves it (not null).
    website: website(r.website, current?.website) ?? "",
    address1: text(line1, current?.address1),
    address2: text(line2, current?.address2) ?? "",
    address3: text(line3, current?.address3) ?? "",
    telephone: r.telephone ?? current?.telephone ?? "",
    city: text(r.address.town, current?.city),
    county: unlessAbsent(
      r,
      "county",
      text(r.address.county, current?.county) ?? "",
      current?.county,
    ),
    latitude: current?.latitude ?? null,
    longitude: current?.longitude ?? null,
    postcode: r.address.postcode,
    local_authority: keptLocalAuthority(current, r.address.postcode),
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
    ...odsDates(r, current, on),
  };
}

/** The trust as it should be after applying `r`; its ICB is the active `RE5` → RO261. */
export function toTrust(r: OdsRecord, current: Trust | null, on = today()): Trust {
  const [line1, line2] = linesOf(
    r,
    current ? [current.address_line_1, current.address_line_2] : [],
  );
  return {
    ods_code: r.code,
    name: text(r.name, current?.name)!,
    address_line_1: text(line1, current?.address_line_1),
    address_line_2: text(line2, current?.address_line_2) ?? "", // "" as the original
    town: text(r.address.town, current?.town),
    postcode: r.address.postcode,
    country: r.address.country ?? current?.country ?? null,
    telephone: r.telephone ?? current?.telephone ?? null,
    website: website(r.website, current?.website),
    published_at: r.lastChangeDate,
    integrated_care_board_code: icbOf(r, on) ??
      (activeOn(r, on) ? current?.integrated_care_board_code ?? null : null),
    source: "ods",
    updated_at: current?.updated_at ?? "",
    ...odsDates(r, current, on),
  };
}

/**
 * The local health board after applying `r` (boundary and Welsh name are curated; the name in
 * the ONS style, {@linkcode boundaryName}).
 */
export function toLocalHealthBoard(
  r: OdsRecord,
  current: LocalHealthBoard | null,
  on = today(),
): LocalHealthBoard {
  return {
    ods_code: r.code,
    boundary_identifier: current?.boundary_identifier ?? null,
    name: boundaryName(r.name, current?.name),
    welsh_name: current?.welsh_name ?? null,
    publication_date: current?.publication_date ?? null,
    ...boundaryOf(current),
    source: "ods",
    updated_at: current?.updated_at ?? "",
    ...odsDates(r, current, on),
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

/**
 * The ICB after applying `r`; region from an active `RE5` → RO209 when ODS gives one; the name
 * in the ONS style ({@linkcode boundaryName}).
 */
export function toIntegratedCareBoard(
  r: OdsRecord,
  current: IntegratedCareBoard | null,
  on = today(),
): IntegratedCareBoard {
  return {
    ods_code: r.code,
    boundary_identifier: current?.boundary_identifier ?? null,
    name: boundaryName(r.name, current?.name),
    publication_date: current?.publication_date ?? null,
    nhs_england_region_code: regionOf(r, on) ?? current?.nhs_england_region_code ?? null,
    ...boundaryOf(current),
    source: "ods",
    updated_at: current?.updated_at ?? "",
    ...odsDates(r, current, on),
  };
}

/**
 * The region after applying `r`. Region names are curated ("East of England"); ODS calls them
 * "EAST OF ENGLAND COMMISSIONING REGION", so a new region takes a tidied ODS name.
 */
export function toRegion(
  r: OdsRecord,
  current: NHSEnglandRegion | null,
  on = today(),
): NHSEnglandRegion {
  return {
    region_code: r.code,
    boundary_identifier: current?.boundary_identifier ?? null,
    name: current?.name ?? tidyRegionName(r.name),
    publication_date: current?.publication_date ?? null,
    ...boundaryOf(current),
    source: "ods",
    updated_at: current?.updated_at ?? "",
    ...odsDates(r, current, on),
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
  on = today(),
): Entities[K] {
  const c = current as never;
  switch (kind) {
    case "organisation":
      return toOrganisation(r, c, parents, on) as Entities[K];
    case "trust":
      return toTrust(r, c, on) as Entities[K];
    case "local_health_board":
      return toLocalHealthBoard(r, c, on) as Entities[K];
    case "integrated_care_board":
      return toIntegratedCareBoard(r, c, on) as Entities[K];
    default:
      return toRegion(r, c, on) as Entities[K];
  }
}
