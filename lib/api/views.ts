/**
 * The views of the read API: which records a response is made of, in which order, in which
 * shape, and what it can be filtered on. Routes ({@link ./routes.ts}) serve a view as a list or
 * one item; the snapshot cache builds each view once per data version.
 *
 * Orderings and filters are the original viewsets': names compared by code point (as
 * PostgreSQL's `C` collation), descending for the boundary lists, ties by code ascending.
 *
 * @module
 */
import type { Entities, Kind } from "../model.ts";
import { compareText, type Dataset } from "./dataset.ts";
import type { FilterSpec } from "./filters.ts";
import type { ComponentName } from "./schemas.ts";
import * as s from "./serialize.ts";

/** How a view's items are ordered: by name, by name descending, or by natural code. */
export type ViewOrder = "name" | "-name" | "code";

/** One view, typed by the kind its items come from. */
export interface ViewDef<K extends Kind = Kind> {
  /** The kind whose records (and natural codes) the items come from. */
  entity: K;
  /** The item's component schema. */
  component: ComponentName;
  order: ViewOrder;
  filters: FilterSpec;
  /** Only records passing this are in the view. */
  include?: (record: Entities[K], data: Dataset) => boolean;
  /** Why a record that exists is not in the view (for its 404), when `include` leaves it out. */
  excluded?: string;
  serialize: (data: Dataset, record: Entities[K]) => object;
}

function view<K extends Kind>(def: ViewDef<K>): ViewDef {
  return def as unknown as ViewDef;
}

const ORGANISATION_FILTERS: FilterSpec = {
  ods_code: "string",
  name: "string",
  website: "string",
  address1: "string",
  address2: "string",
  address3: "string",
  telephone: "string",
  city: "string",
  county: "string",
  latitude: "number",
  longitude: "number",
  postcode: "string",
  active: "boolean",
  published_at: "date",
};

const LHB_FILTERS: FilterSpec = {
  ods_code: "string",
  publication_date: "date",
  boundary_identifier: "string",
  name: "string",
  welsh_name: "string",
};

const ICB_FILTERS: FilterSpec = {
  boundary_identifier: "string",
  name: "string",
  ods_code: "string",
  publication_date: "date",
};

const REGION_FILTERS: FilterSpec = {
  region_code: "string",
  publication_date: "date",
  boundary_identifier: "string",
  name: "string",
};

const GEO_FILTERS: FilterSpec = {
  bng_e: "number",
  bng_n: "number",
  long: "number",
  lat: "number",
  globalid: "string",
};

const PZ_FILTERS: FilterSpec = { pz_code: "string" };

/** Every view, by id. */
export const VIEWS = {
  organisations: view({
    entity: "organisation",
    component: "Organisation",
    order: "name",
    filters: ORGANISATION_FILTERS,
    serialize: s.organisation,
  }),
  organisations_limited: view({
    entity: "organisation",
    component: "OrganisationLimited",
    order: "name",
    filters: { ods_code: "string", name: "string" },
    serialize: (_, o) => s.organisationLimited(o),
  }),
  organisations_with_pdu: view({
    entity: "organisation",
    component: "Organisation",
    order: "name",
    filters: { ods_code: "string", name: "string" },
    include: (o) => o.paediatric_diabetes_unit_code !== null,
    serialize: s.organisation,
  }),
  trusts: view({
    entity: "trust",
    component: "TrustWithOrganisations",
    order: "name",
    filters: {
      name: "string",
      address_line_1: "string",
      address_line_2: "string",
      town: "string",
      postcode: "string",
      country: "string",
      telephone: "string",
      website: "string",
      active: "boolean",
      published_at: "date",
      ods_code: "string",
    },
    serialize: s.trustWithOrganisations,
  }),
  local_health_boards: view({
    entity: "local_health_board",
    component: "LocalHealthBoard",
    order: "-name",
    filters: LHB_FILTERS,
    serialize: (_, l) => s.localHealthBoard(l),
  }),
  local_health_boards_organisations: view({
    entity: "local_health_board",
    component: "LocalHealthBoardWithOrganisations",
    order: "-name",
    filters: { ods_code: "string", boundary_identifier: "string", name: "string" },
    serialize: s.localHealthBoardWithOrganisations,
  }),
  integrated_care_boards: view({
    entity: "integrated_care_board",
    component: "IntegratedCareBoard",
    order: "name",
    filters: ICB_FILTERS,
    serialize: (_, i) => s.integratedCareBoard(i),
  }),
  integrated_care_boards_organisations: view({
    entity: "integrated_care_board",
    component: "IntegratedCareBoardWithOrganisations",
    order: "name",
    filters: ICB_FILTERS,
    serialize: s.integratedCareBoardWithOrganisations,
  }),
  nhs_england_regions: view({
    entity: "nhs_england_region",
    component: "NHSEnglandRegion",
    order: "-name",
    filters: { ...REGION_FILTERS, ...GEO_FILTERS },
    serialize: (_, r) => s.nhsEnglandRegion(r),
  }),
  nhs_england_regions_organisations: view({
    entity: "nhs_england_region",
    component: "NHSEnglandRegionWithOrganisations",
    order: "-name",
    filters: REGION_FILTERS,
    serialize: s.nhsEnglandRegionWithOrganisations,
  }),
  london_boroughs: view({
    entity: "london_borough",
    component: "LondonBorough",
    order: "-name",
    filters: {
      name: "string",
      gss_code: "string",
      hectares: "number",
      nonld_area: "number",
      ons_inner: "string",
      sub_2009: "string",
      sub_2006: "string",
    },
    serialize: (_, b) => s.londonBorough(b),
  }),
  london_boroughs_organisations: view({
    entity: "london_borough",
    component: "LondonBoroughWithOrganisations",
    order: "-name",
    filters: { gss_code: "string", name: "string" },
    serialize: s.londonBoroughWithOrganisations,
  }),
  paediatric_diabetes_units: view({
    entity: "paediatric_diabetes_unit",
    component: "PaediatricDiabetesUnitWithNetwork",
    order: "code",
    filters: PZ_FILTERS,
    serialize: s.paediatricDiabetesUnitWithNetwork,
  }),
  paediatric_diabetes_units_extended: view({
    entity: "paediatric_diabetes_unit",
    component: "PaediatricDiabetesUnit",
    order: "code",
    filters: PZ_FILTERS,
    serialize: (_, p) => s.paediatricDiabetesUnit(p),
  }),
  paediatric_diabetes_units_organisations: view({
    entity: "paediatric_diabetes_unit",
    component: "PaediatricDiabetesUnitWithOrganisations",
    order: "code",
    filters: PZ_FILTERS,
    serialize: s.paediatricDiabetesUnitWithOrganisations,
  }),
  paediatric_diabetes_units_parent: view({
    entity: "paediatric_diabetes_unit",
    component: "PaediatricDiabetesUnitWithParent",
    order: "code",
    filters: PZ_FILTERS,
    include: (p, data) => s.hasOrganisations(data, p),
    excluded: "the unit has no organisation yet, so no parent or primary organisation " +
      "(its sites are created by the first sync that reaches ODS)",
    serialize: s.paediatricDiabetesUnitWithParent,
  }),
  paediatric_diabetes_units_siblings: view({
    entity: "paediatric_diabetes_unit",
    component: "PaediatricDiabetesUnitSiblings",
    order: "code",
    filters: {},
    serialize: s.paediatricDiabetesUnitSiblings,
  }),
  paediatric_diabetes_networks: view({
    entity: "paediatric_diabetes_network",
    component: "PaediatricDiabetesNetwork",
    order: "code",
    filters: { pn_code: "string", name: "string" },
    serialize: (_, n) => s.paediatricDiabetesNetwork(n),
  }),
  countries: view({
    entity: "country",
    component: "Country",
    order: "-name",
    filters: {
      boundary_identifier: "string",
      name: "string",
      welsh_name: "string",
      ...GEO_FILTERS,
    },
    serialize: (_, c) => s.country(c),
  }),
  openuk_networks: view({
    entity: "openuk_network",
    component: "OPENUKNetwork",
    order: "name",
    filters: {
      name: "string",
      boundary_identifier: "string",
      country: "string",
      publication_date: "date",
    },
    serialize: (_, n) => s.openukNetwork(n),
  }),
} as const satisfies Record<string, ViewDef>;

/** Id of a view. */
export type ViewId = keyof typeof VIEWS;

/** One item of a built view: its natural code and serialized object. */
export interface ViewItem {
  code: string;
  item: object;
}

/**
 * Build a view's items from a dataset, in the view's order.
 *
 * @example
 * ```ts
 * import { buildDataset } from "./dataset.ts";
 * import { loadRecords } from "./snapshot.ts";
 * import { buildView, VIEWS } from "./views.ts";
 * import { Store } from "../store.ts";
 * const store = await Store.open(":memory:");
 * const data = buildDataset(await loadRecords(store));
 * if (buildView(VIEWS.trusts, data).length !== 0) throw new Error("trusts in an empty store");
 * store.close();
 * ```
 */
export function buildView(def: ViewDef, data: Dataset): ViewItem[] {
  return viewRecords(def, data).map(([code, r]) => ({ code, item: def.serialize(data, r) }));
}

/** A view's records with their codes, filtered and in the view's order, not yet serialized. */
export function viewRecords(def: ViewDef, data: Dataset): [string, Entities[Kind]][] {
  const records = [...(data.records[def.entity] as ReadonlyMap<string, Entities[Kind]>)];
  const kept = def.include ? records.filter(([, r]) => def.include!(r, data)) : records;
  if (def.order !== "code") {
    const nameOf = (r: Entities[Kind]) => String((r as { name?: unknown }).name ?? "");
    const sign = def.order === "-name" ? -1 : 1;
    kept.sort(([ca, a], [cb, b]) =>
      sign * compareText(nameOf(a), nameOf(b)) || compareText(ca, cb)
    );
  }
  return kept;
}
