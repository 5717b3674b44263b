/**
 * Stored records → response shapes of the original service. Pure functions over a
 * {@linkcode Dataset}; the field sets and their order are those of {@link ./schemas.ts}.
 *
 * @module
 */
import {
  type BoundaryAttributes,
  boundaryAttributes,
  type Country,
  type IntegratedCareBoard,
  type LocalHealthBoard,
  type LondonBorough,
  type NHSEnglandRegion,
  type OPENUKNetwork,
  type Organisation,
  type PaediatricDiabetesNetwork,
  type PaediatricDiabetesUnit,
  type Trust,
} from "../model.ts";
import type { Dataset } from "./dataset.ts";
import { ewktPoint } from "./geo.ts";
import type { Shape } from "./schemas.ts";

/**
 * The lead site of the multi-site paediatric diabetes units, as fixed by the original service;
 * other units take their first organisation by name.
 */
export const PRIMARY_ORGANISATIONS: Readonly<Record<string, string>> = {
  PZ024: "RVV01",
  PZ050: "RVR07",
  PZ099: "RWH01",
  PZ136: "R0A03",
  PZ206: "RM321",
  PZ230: "RXC01",
};

/**
 * A boundary's ONS centroid and global id (`null` where not held), and its geometry, which is
 * not held (always `null`).
 */
function geo(b: BoundaryAttributes) {
  return { ...boundaryAttributes(b), geom: null };
}

/** Text the original served as `""` when empty (never `null`). */
function blank(value: string | null | undefined): string {
  return value ?? "";
}

function lookup<T>(map: ReadonlyMap<string, T>, code: string | null | undefined): T | null {
  return code === null || code === undefined ? null : map.get(code) ?? null;
}

/** `{ods_code, name}`. */
export function organisationLimited(o: Organisation): Shape<"OrganisationLimited"> {
  return { ods_code: o.ods_code, name: o.name };
}

/** A trust, without its organisations. */
export function trust(t: Trust): Shape<"Trust"> {
  return {
    ods_code: t.ods_code,
    name: t.name,
    address_line_1: t.address_line_1,
    address_line_2: blank(t.address_line_2),
    town: t.town,
    postcode: t.postcode,
    country: t.country,
    telephone: t.telephone,
    website: t.website,
    active: t.active,
    published_at: t.published_at,
  };
}

/** A trust with its organisations. */
export function trustWithOrganisations(
  data: Dataset,
  t: Trust,
): Shape<"TrustWithOrganisations"> {
  return {
    ...trust(t),
    organisations: data.organisationsOf("trust_code", t.ods_code).map(organisationLimited),
  };
}

/** A local health board, limited. */
export function localHealthBoardLimited(l: LocalHealthBoard): Shape<"LocalHealthBoardLimited"> {
  return { ods_code: l.ods_code, boundary_identifier: l.boundary_identifier, name: l.name };
}

/** A local health board with its ONS boundary fields (geometry `null`). */
export function localHealthBoard(l: LocalHealthBoard): Shape<"LocalHealthBoard"> {
  return {
    ods_code: l.ods_code,
    publication_date: l.publication_date,
    boundary_identifier: l.boundary_identifier,
    name: l.name,
    welsh_name: l.welsh_name,
    ...geo(l),
  };
}

/** A local health board with its organisations. */
export function localHealthBoardWithOrganisations(
  data: Dataset,
  l: LocalHealthBoard,
): Shape<"LocalHealthBoardWithOrganisations"> {
  return {
    ...localHealthBoardLimited(l),
    organisations: data.organisationsOf("local_health_board_code", l.ods_code).map(
      organisationLimited,
    ),
  };
}

/** An integrated care board, limited. */
export function integratedCareBoardLimited(
  i: IntegratedCareBoard,
): Shape<"IntegratedCareBoardLimited"> {
  return { boundary_identifier: i.boundary_identifier, name: i.name, ods_code: i.ods_code };
}

/** An integrated care board with its ONS boundary fields (geometry `null`). */
export function integratedCareBoard(i: IntegratedCareBoard): Shape<"IntegratedCareBoard"> {
  return {
    boundary_identifier: i.boundary_identifier,
    name: i.name,
    ...geo(i),
    ods_code: i.ods_code,
    publication_date: i.publication_date,
  };
}

/** An integrated care board with its organisations. */
export function integratedCareBoardWithOrganisations(
  data: Dataset,
  i: IntegratedCareBoard,
): Shape<"IntegratedCareBoardWithOrganisations"> {
  return {
    boundary_identifier: i.boundary_identifier,
    name: i.name,
    ods_code: i.ods_code,
    publication_date: i.publication_date,
    organisations: data.organisationsOf("integrated_care_board_code", i.ods_code).map(
      organisationLimited,
    ),
  };
}

/** An NHS England region, limited. */
export function nhsEnglandRegionLimited(r: NHSEnglandRegion): Shape<"NHSEnglandRegionLimited"> {
  return {
    region_code: r.region_code,
    publication_date: r.publication_date,
    boundary_identifier: r.boundary_identifier,
    name: r.name,
  };
}

/** An NHS England region with its ONS boundary fields (geometry `null`). */
export function nhsEnglandRegion(r: NHSEnglandRegion): Shape<"NHSEnglandRegion"> {
  return { ...nhsEnglandRegionLimited(r), ...geo(r) };
}

/** An NHS England region with its organisations. */
export function nhsEnglandRegionWithOrganisations(
  data: Dataset,
  r: NHSEnglandRegion,
): Shape<"NHSEnglandRegionWithOrganisations"> {
  return {
    ...nhsEnglandRegionLimited(r),
    organisations: data.organisationsOf("nhs_england_region_code", r.region_code).map(
      organisationLimited,
    ),
  };
}

/** An OPEN UK network. */
export function openukNetwork(n: OPENUKNetwork): Shape<"OPENUKNetwork"> {
  return {
    name: n.name,
    boundary_identifier: n.boundary_identifier,
    country: n.country,
    publication_date: n.publication_date,
  };
}

/** A paediatric diabetes network. */
export function paediatricDiabetesNetwork(
  n: PaediatricDiabetesNetwork,
): Shape<"PaediatricDiabetesNetwork"> {
  return { pn_code: n.pn_code, name: n.name };
}

/** A paediatric diabetes unit, code only. */
export function paediatricDiabetesUnit(p: PaediatricDiabetesUnit): Shape<"PaediatricDiabetesUnit"> {
  return { pz_code: p.pz_code };
}

function networkOf(data: Dataset, p: PaediatricDiabetesUnit) {
  const n = lookup(data.records.paediatric_diabetes_network, p.paediatric_diabetes_network_code);
  return n ? paediatricDiabetesNetwork(n) : null;
}

/** A paediatric diabetes unit with its network. */
export function paediatricDiabetesUnitWithNetwork(
  data: Dataset,
  p: PaediatricDiabetesUnit,
): Shape<"PaediatricDiabetesUnitWithNetwork"> {
  return { pz_code: p.pz_code, paediatric_diabetes_network: networkOf(data, p) };
}

/** A paediatric diabetes unit with its organisations. */
export function paediatricDiabetesUnitWithOrganisations(
  data: Dataset,
  p: PaediatricDiabetesUnit,
): Shape<"PaediatricDiabetesUnitWithOrganisations"> {
  return {
    pz_code: p.pz_code,
    organisations: unitOrganisations(data, p.pz_code).map(organisationLimited),
  };
}

/** A unit's organisations, by name then ODS code (the original's ordering). */
function unitOrganisations(data: Dataset, pzCode: string): readonly Organisation[] {
  return data.organisationsOf("paediatric_diabetes_unit_code", pzCode);
}

/**
 * The lead organisation of a unit, as the original chose it: the fixed one for the six
 * multi-site units ({@linkcode PRIMARY_ORGANISATIONS}), otherwise the first by name; `null` for
 * a unit with no organisation.
 *
 * @example
 * ```ts
 * import { buildDataset } from "./dataset.ts";
 * import { loadRecords } from "./snapshot.ts";
 * import { primaryOrganisation } from "./serialize.ts";
 * import { Store } from "../store.ts";
 *
 * const store = await Store.open(":memory:");
 * const data = buildDataset(await loadRecords(store));
 * primaryOrganisation(data, "PZ024"); // null: no organisation in an empty store
 * store.close();
 * ```
 */
export function primaryOrganisation(data: Dataset, pzCode: string): Organisation | null {
  const orgs = unitOrganisations(data, pzCode);
  const fixed = PRIMARY_ORGANISATIONS[pzCode];
  return orgs.find((o) => o.ods_code === fixed) ?? orgs[0] ?? null;
}

/**
 * Does the unit have an organisation (and so a primary organisation)?
 *
 * @example
 * ```ts
 * import { buildDataset } from "./dataset.ts";
 * import { loadRecords } from "./snapshot.ts";
 * import { hasOrganisations } from "./serialize.ts";
 * import { Store } from "../store.ts";
 *
 * const store = await Store.open(":memory:");
 * const data = buildDataset(await loadRecords(store));
 * const unit = { pz_code: "PZ014", paediatric_diabetes_network_code: "PN05" };
 * hasOrganisations(data, { ...unit, source: "curated", updated_at: "" }); // false
 * store.close();
 * ```
 */
export function hasOrganisations(data: Dataset, p: PaediatricDiabetesUnit): boolean {
  return unitOrganisations(data, p.pz_code).length > 0;
}

/**
 * A unit with its network, its primary organisation and that organisation's parent (its trust,
 * or its local health board; `null` for the RCPCH's own unit, PZ999). Only for units with an
 * organisation ({@linkcode hasOrganisations}): the view leaves the others out, and this throws
 * for one.
 *
 * @example
 * ```ts
 * import { buildDataset } from "./dataset.ts";
 * import { paediatricDiabetesUnitWithParent } from "./serialize.ts";
 * import { loadRecords } from "./snapshot.ts";
 * import { loadSeedFile, seedStore } from "../seed.ts";
 * import { Store } from "../store.ts";
 *
 * const store = await Store.open(":memory:");
 * await seedStore(store, loadSeedFile());
 * const data = buildDataset(await loadRecords(store));
 * const unit = paediatricDiabetesUnitWithParent(data, data.records.paediatric_diabetes_unit.get("PZ024")!);
 * unit.primary_organisation.ods_code; // "RVV01"
 * unit.parent?.ods_code; // "RVV"
 * store.close();
 * ```
 */
export function paediatricDiabetesUnitWithParent(
  data: Dataset,
  p: PaediatricDiabetesUnit,
): Shape<"PaediatricDiabetesUnitWithParent"> {
  const primary = primaryOrganisation(data, p.pz_code);
  if (!primary) throw new Error(`${p.pz_code} has no organisation: not in the parent view`);
  const t = lookup(data.records.trust, primary.trust_code);
  const l = lookup(data.records.local_health_board, primary.local_health_board_code);
  return {
    pz_code: p.pz_code,
    paediatric_diabetes_network: networkOf(data, p),
    parent: t ? trust(t) : l ? localHealthBoardLimited(l) : null,
    primary_organisation: organisationLimited(primary),
  };
}

/** An organisation with its parent trust, or its local health board with boundary fields. */
export function organisationWithParent(
  data: Dataset,
  o: Organisation,
): Shape<"OrganisationWithParent"> {
  const t = lookup(data.records.trust, o.trust_code);
  const l = lookup(data.records.local_health_board, o.local_health_board_code);
  return {
    ods_code: o.ods_code,
    name: o.name,
    parent: t ? trust(t) : l ? localHealthBoard(l) : null,
  };
}

/** A unit with all its organisations and their parents (`sibling-organisations`). */
export function paediatricDiabetesUnitSiblings(
  data: Dataset,
  p: PaediatricDiabetesUnit,
): Shape<"PaediatricDiabetesUnitSiblings"> {
  return {
    pz_code: p.pz_code,
    organisations: unitOrganisations(data, p.pz_code).map((o) => organisationWithParent(data, o)),
  };
}

/** A London borough, limited. */
export function londonBoroughLimited(b: LondonBorough): Shape<"LondonBoroughLimited"> {
  return { name: b.name, gss_code: b.gss_code };
}

/** A London borough with its ONS fields (geometry `null`). */
export function londonBorough(b: LondonBorough): Shape<"LondonBorough"> {
  return {
    name: b.name,
    gss_code: b.gss_code,
    hectares: b.hectares ?? null,
    nonld_area: b.nonld_area ?? null,
    ons_inner: b.ons_inner ?? null,
    sub_2009: b.sub_2009 ?? null,
    sub_2006: b.sub_2006 ?? null,
    geom: null,
  };
}

/** A London borough with its organisations. */
export function londonBoroughWithOrganisations(
  data: Dataset,
  b: LondonBorough,
): Shape<"LondonBoroughWithOrganisations"> {
  return {
    ...londonBoroughLimited(b),
    organisations: data.organisationsOf("london_borough_code", b.gss_code).map(
      organisationLimited,
    ),
  };
}

/** A country, limited. */
export function countryLimited(c: Country): Shape<"CountryLimited"> {
  return { boundary_identifier: c.boundary_identifier, name: c.name };
}

/** A country with its ONS boundary fields (geometry `null`). */
export function country(c: Country): Shape<"Country"> {
  return {
    boundary_identifier: c.boundary_identifier,
    name: c.name,
    welsh_name: c.welsh_name,
    ...geo(c),
  };
}

/**
 * An organisation with every parent nested, as `/organisations/{ods_code}/` serves it: empty
 * text the original served as `""` is `""`, and `geocode_coordinates` is the EWKT point of the
 * latitude and longitude.
 */
export function organisation(data: Dataset, o: Organisation): Shape<"Organisation"> {
  const r = data.records;
  const pdu = lookup(r.paediatric_diabetes_unit, o.paediatric_diabetes_unit_code);
  const t = lookup(r.trust, o.trust_code);
  const lhb = lookup(r.local_health_board, o.local_health_board_code);
  const icb = lookup(r.integrated_care_board, o.integrated_care_board_code);
  const region = lookup(r.nhs_england_region, o.nhs_england_region_code);
  const openuk = lookup(r.openuk_network, o.openuk_network_code);
  const borough = lookup(r.london_borough, o.london_borough_code);
  const c = lookup(r.country, o.country_code);
  return {
    ods_code: o.ods_code,
    name: o.name,
    website: blank(o.website),
    address1: o.address1,
    address2: blank(o.address2),
    address3: blank(o.address3),
    telephone: blank(o.telephone),
    city: o.city,
    county: blank(o.county),
    latitude: o.latitude,
    longitude: o.longitude,
    postcode: o.postcode,
    geocode_coordinates: ewktPoint(o.latitude, o.longitude),
    active: o.active,
    published_at: o.published_at,
    paediatric_diabetes_unit: pdu ? paediatricDiabetesUnitWithNetwork(data, pdu) : null,
    trust: t ? trust(t) : null,
    local_health_board: lhb ? localHealthBoardLimited(lhb) : null,
    integrated_care_board: icb ? integratedCareBoardLimited(icb) : null,
    nhs_england_region: region ? nhsEnglandRegionLimited(region) : null,
    openuk_network: openuk ? openukNetwork(openuk) : null,
    london_borough: borough ? londonBoroughLimited(borough) : null,
    country: c ? countryLimited(c) : null,
    local_authority: o.local_authority ?? null,
  };
}
