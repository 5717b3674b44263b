/**
 * The route table of the read API: every GET route, what it serves and how it is documented.
 * Both the Hono routes ({@link ../../api.ts}) and the OpenAPI document ({@link ./openapi.ts})
 * are made from it.
 *
 * Paths are written as the original's, with a trailing slash and `{param}` placeholders; each
 * is also served without the trailing slash. More specific paths come before the ones with a
 * code parameter at the same depth, as they are matched in this order.
 *
 * @module
 */
import type { Kind } from "../model.ts";
import { CODE_PARAMS } from "./codes.ts";
import type { ViewId } from "./views.ts";

/** How a route answers. */
export type RouteMode =
  /** The view's items, filtered, ordered and projected by the query. */
  | "list"
  /** One item of the view, by the code in the path. */
  | "detail"
  /** `[unit]`: the paediatric diabetes unit of the organisation in the path, with its sites. */
  | "siblings"
  /** The change log and stored record of one entity. */
  | "history"
  /** One organisation as it was on `?date=`, or the predecessor that stood for it then. */
  | "snapshot";

/** One GET route. */
export interface RouteDef {
  path: string;
  mode: RouteMode;
  /** The view served (every mode except `history`). */
  view?: ViewId;
  /** The kind whose code is in the path (`detail`, `siblings`, `history`). */
  entity?: Kind;
  /** Allowed `?ordering=` fields, if the route takes one. */
  ordering?: readonly string[];
  tag: string;
  summary: string;
  description?: string;
}

/** Where each kind's routes live, and its OpenAPI tag. */
export const KIND_PATHS: { readonly [K in Kind]: { prefix: string; tag: string } } = {
  organisation: { prefix: "/organisations", tag: "Organisations" },
  trust: { prefix: "/trusts", tag: "Trusts" },
  local_health_board: { prefix: "/local_health_boards", tag: "Local health boards" },
  integrated_care_board: { prefix: "/integrated_care_boards", tag: "Integrated care boards" },
  nhs_england_region: { prefix: "/nhs_england_regions", tag: "NHS England regions" },
  london_borough: { prefix: "/london_boroughs", tag: "London boroughs" },
  paediatric_diabetes_unit: {
    prefix: "/paediatric_diabetes_units",
    tag: "Paediatric diabetes units",
  },
  paediatric_diabetes_network: {
    prefix: "/paediatric_diabetes_networks",
    tag: "Paediatric diabetes networks",
  },
  country: { prefix: "/countries", tag: "Countries" },
  openuk_network: { prefix: "/openuk_networks", tag: "OPEN UK networks" },
  // Served by lib/api/practice_routes.ts from their own cache, not by this table's routes.
  general_practice: { prefix: "/general_practices", tag: "GP practices" },
  sub_icb_location: { prefix: "/sub_icb_locations", tag: "Sub-ICB locations" },
};

const HISTORY_DESCRIPTION =
  "NEW in this service. The entity's change log (every field change with old and new " +
  "value, cause, run id and the ODS LastChangeDate applied), oldest first, and the record as " +
  "stored, with the fields the original-shaped routes leave out (source, updated_at, " +
  "last_change_date, operational and legal dates, successors, predecessors), and `parents`, " +
  "the dated parent timeline from ODS's relationships (from, to, parent) that `?as_of=` " +
  "answers from. With `?as_of=`, the record as on that date and the changes committed by " +
  "then. 404 when the code was never stored.";

function history(entity: Kind, label: string): RouteDef {
  const { prefix, tag } = KIND_PATHS[entity];
  const param = CODE_PARAMS[entity].name;
  return {
    path: `${prefix}/{${param}}/history/`,
    mode: "history",
    entity,
    tag,
    summary: `Change history of one ${label}`,
    description: HISTORY_DESCRIPTION,
  };
}

/**
 * The five routes of a boundary kind (LHB, ICB, region, London borough): the merged-viewset
 * root, the 2024 `extended/` and `organisations/` routes, and `{code}/organisations/`.
 */
function boundaryRoutes(
  entity: Kind,
  base: ViewId,
  withOrganisations: ViewId,
  plural: string,
  singular: string,
): RouteDef[] {
  const { prefix, tag } = KIND_PATHS[entity];
  const param = CODE_PARAMS[entity].name;
  const fields = "Boundary geometry and statistics are not held: those fields are always null.";
  return [
    {
      path: `${prefix}/`,
      mode: "list",
      view: base,
      tag,
      summary: `List ${plural}`,
      description: `Same as \`${prefix}/extended/\` (the later merged viewset). ${fields}`,
    },
    {
      path: `${prefix}/extended/`,
      mode: "list",
      view: base,
      tag,
      summary: `List ${plural} with boundary fields`,
      description: fields,
    },
    {
      path: `${prefix}/extended/{${param}}/`,
      mode: "detail",
      view: base,
      entity,
      tag,
      summary: `One ${singular} with boundary fields`,
      description: fields,
    },
    {
      path: `${prefix}/organisations/`,
      mode: "list",
      view: withOrganisations,
      tag,
      summary: `List ${plural} with their organisations`,
    },
    {
      path: `${prefix}/organisations/{${param}}/`,
      mode: "detail",
      view: withOrganisations,
      entity,
      tag,
      summary: `One ${singular} with its organisations`,
    },
    {
      path: `${prefix}/{${param}}/organisations/`,
      mode: "detail",
      view: withOrganisations,
      entity,
      tag,
      summary: `One ${singular} with its organisations (merged-viewset form)`,
    },
    history(entity, singular),
    {
      path: `${prefix}/{${param}}/`,
      mode: "detail",
      view: base,
      entity,
      tag,
      summary: `One ${singular}`,
      description: `Same as \`${prefix}/extended/{${param}}/\`. ${fields}`,
    },
  ];
}

const ORG = "Organisations";
const PDU = KIND_PATHS.paediatric_diabetes_unit.tag;
const PDU_PREFIX = KIND_PATHS.paediatric_diabetes_unit.prefix;

/** Every GET route of the read API, in matching order. */
export const ROUTES: readonly RouteDef[] = [
  {
    path: "/organisations/",
    mode: "list",
    view: "organisations",
    tag: ORG,
    summary: "List organisations with their parents nested",
    description: "Hospitals and other sites, by name, each with its trust or local health " +
      "board, ICB, NHS England region, OPEN UK network, paediatric diabetes unit (with " +
      "network), London borough and country. Epilepsy12 calls `/organisations/?ods_code=`.",
  },
  {
    path: "/organisations/limited/",
    mode: "list",
    view: "organisations_limited",
    tag: ORG,
    summary: "List organisations: ODS code and name only",
  },
  {
    path: "/organisations/limited/{ods_code}/",
    mode: "detail",
    view: "organisations_limited",
    entity: "organisation",
    tag: ORG,
    summary: "One organisation: ODS code and name only",
  },
  {
    path: "/organisations/paediatric-diabetes-units/",
    mode: "list",
    view: "organisations_with_pdu",
    ordering: ["name", "ods_code"],
    tag: ORG,
    summary: "List organisations that belong to a paediatric diabetes unit",
    description: "The original path had no trailing slash; both forms are served.",
  },
  history("organisation", "organisation"),
  {
    path: "/organisations/{ods_code}/snapshot/",
    mode: "snapshot",
    view: "organisations",
    entity: "organisation",
    tag: ORG,
    summary: "One organisation as it was on a date (RCPCH's later route)",
    description: "NEW. The organisation's attributes and parents on `?date=` (default today), " +
      "as `?as_of=` gives them, with `predecessor_ods_code`. When the code did not exist on the " +
      "date, ODS successions are followed back to the predecessor that did: its state is " +
      "answered and `predecessor_ods_code` names it (else null). 404 when no state exists for " +
      "the date, 400 for a malformed date.",
  },
  {
    path: "/organisations/{ods_code}/",
    mode: "detail",
    view: "organisations",
    entity: "organisation",
    tag: ORG,
    summary: "One organisation with its parents nested",
  },
  {
    path: "/trusts/",
    mode: "list",
    view: "trusts",
    tag: "Trusts",
    summary: "List NHS trusts with their organisations",
  },
  {
    path: "/trusts/organisations/",
    mode: "list",
    view: "trusts",
    tag: "Trusts",
    summary: "List NHS trusts with their organisations (later merged-viewset form)",
  },
  {
    path: "/trusts/{ods_code}/organisations/",
    mode: "detail",
    view: "trusts",
    entity: "trust",
    tag: "Trusts",
    summary: "One NHS trust with its organisations (later merged-viewset form)",
  },
  history("trust", "trust"),
  {
    path: "/trusts/{ods_code}/",
    mode: "detail",
    view: "trusts",
    entity: "trust",
    tag: "Trusts",
    summary: "One NHS trust with its organisations",
  },
  ...boundaryRoutes(
    "local_health_board",
    "local_health_boards",
    "local_health_boards_organisations",
    "Welsh local health boards",
    "local health board",
  ),
  ...boundaryRoutes(
    "integrated_care_board",
    "integrated_care_boards",
    "integrated_care_boards_organisations",
    "integrated care boards",
    "integrated care board",
  ),
  ...boundaryRoutes(
    "nhs_england_region",
    "nhs_england_regions",
    "nhs_england_regions_organisations",
    "NHS England regions",
    "NHS England region",
  ),
  ...boundaryRoutes(
    "london_borough",
    "london_boroughs",
    "london_boroughs_organisations",
    "London boroughs",
    "London borough",
  ),
  {
    path: `${PDU_PREFIX}/`,
    mode: "list",
    view: "paediatric_diabetes_units",
    tag: PDU,
    summary: "List paediatric diabetes units with their network",
  },
  {
    path: `${PDU_PREFIX}/extended/`,
    mode: "list",
    view: "paediatric_diabetes_units_extended",
    tag: PDU,
    summary: "List paediatric diabetes units (PZ code only, as in 2024)",
  },
  {
    path: `${PDU_PREFIX}/extended/{pz_code}/`,
    mode: "detail",
    view: "paediatric_diabetes_units_extended",
    entity: "paediatric_diabetes_unit",
    tag: PDU,
    summary: "One paediatric diabetes unit (PZ code only, as in 2024)",
  },
  {
    path: `${PDU_PREFIX}/organisations/`,
    mode: "list",
    view: "paediatric_diabetes_units_organisations",
    tag: PDU,
    summary: "List paediatric diabetes units with their organisations",
  },
  {
    path: `${PDU_PREFIX}/organisations/{pz_code}/`,
    mode: "detail",
    view: "paediatric_diabetes_units_organisations",
    entity: "paediatric_diabetes_unit",
    tag: PDU,
    summary: "One paediatric diabetes unit with its organisations",
  },
  {
    path: `${PDU_PREFIX}/parent/`,
    mode: "list",
    view: "paediatric_diabetes_units_parent",
    tag: PDU,
    summary: "List paediatric diabetes units with network, parent and primary organisation",
    description: "Filter one unit with `?pz_code=`. The parent is the primary organisation's " +
      "trust, or its local health board (limited) for Welsh units. NPDA relies on this route.",
  },
  {
    path: `${PDU_PREFIX}/parent/{pz_code}/`,
    mode: "detail",
    view: "paediatric_diabetes_units_parent",
    entity: "paediatric_diabetes_unit",
    tag: PDU,
    summary: "One paediatric diabetes unit with network, parent and primary organisation",
  },
  {
    path: `${PDU_PREFIX}/sibling-organisations/{ods_code}/`,
    mode: "siblings",
    view: "paediatric_diabetes_units_siblings",
    entity: "organisation",
    tag: PDU,
    summary: "The paediatric diabetes unit of an organisation, with all its sites and parents",
    description: "A list of at most one unit: `[]` when the organisation belongs to no unit, " +
      "404 when the organisation is unknown (the original answered `[]`). Each site's parent " +
      "is its trust, or its local health board with boundary fields.",
  },
  {
    path: `${PDU_PREFIX}/{pz_code}/parent/`,
    mode: "detail",
    view: "paediatric_diabetes_units_parent",
    entity: "paediatric_diabetes_unit",
    tag: PDU,
    summary: "One paediatric diabetes unit with network, parent and primary organisation",
    description: "NPDA relies on this route.",
  },
  {
    path: `${PDU_PREFIX}/{pz_code}/organisations/`,
    mode: "detail",
    view: "paediatric_diabetes_units_organisations",
    entity: "paediatric_diabetes_unit",
    tag: PDU,
    summary: "One paediatric diabetes unit with its organisations (merged-viewset form)",
  },
  history("paediatric_diabetes_unit", "paediatric diabetes unit"),
  {
    path: `${PDU_PREFIX}/{pz_code}/`,
    mode: "detail",
    view: "paediatric_diabetes_units",
    entity: "paediatric_diabetes_unit",
    tag: PDU,
    summary: "One paediatric diabetes unit with its network",
  },
  {
    path: "/paediatric_diabetes_networks/",
    mode: "list",
    view: "paediatric_diabetes_networks",
    tag: KIND_PATHS.paediatric_diabetes_network.tag,
    summary: "List paediatric diabetes networks (NEW)",
  },
  history("paediatric_diabetes_network", "paediatric diabetes network"),
  {
    path: "/paediatric_diabetes_networks/{pn_code}/",
    mode: "detail",
    view: "paediatric_diabetes_networks",
    entity: "paediatric_diabetes_network",
    tag: KIND_PATHS.paediatric_diabetes_network.tag,
    summary: "One paediatric diabetes network (NEW)",
  },
  {
    path: "/countries/",
    mode: "list",
    view: "countries",
    tag: "Countries",
    summary: "List countries and crown dependencies",
    description: "Jersey is `JEY`. Boundary fields are always null.",
  },
  history("country", "country"),
  {
    path: "/countries/{boundary_identifier}/",
    mode: "detail",
    view: "countries",
    entity: "country",
    tag: "Countries",
    summary: "One country",
  },
  {
    path: "/openuk_networks/",
    mode: "list",
    view: "openuk_networks",
    tag: "OPEN UK networks",
    summary: "List OPEN UK paediatric epilepsy networks",
  },
  history("openuk_network", "OPEN UK network"),
  {
    path: "/openuk_networks/{boundary_identifier}/",
    mode: "detail",
    view: "openuk_networks",
    entity: "openuk_network",
    tag: "OPEN UK networks",
    summary: "One OPEN UK paediatric epilepsy network",
  },
];

/** A route path in Hono's syntax, without the trailing slash: `/trusts/:ods_code`. */
export function honoPath(path: string): string {
  return path.replace(/\{([a-z_]+)\}/g, ":$1").replace(/\/$/, "") || "/";
}

/** The names of the `{param}` placeholders of a path. */
export function pathParams(path: string): string[] {
  return [...path.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1]);
}
