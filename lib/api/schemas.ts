/**
 * Response shapes of the read API, as zod schemas: the single source of the field sets and
 * nesting the original RCPCH service served (its DRF serializers), of the TypeScript types the
 * serializers return, and of the OpenAPI component schemas.
 *
 * Every object is strict: a key that is not listed here is a bug. Boundary attributes are the
 * ONS ones the original served (`bng_e`, `bng_n`, `long`, `lat`, `globalid`, London borough
 * areas); `geocode_coordinates` is the organisation's point in EWKT; only the boundary shapes
 * (`geom`) are not held and always `null`.
 *
 * @module
 */
import { z } from "zod";

const text = z.string().nullable();
const date = z.string().nullable().describe("Date, YYYY-MM-DD");

/** A field the original served that this service does not hold: always `null`. */
function notHeld(what: string) {
  return z.null().describe(`${what}: not held by this service, always null`);
}

const number = z.number().nullable();

/** NEW: the local authority of a record's postcode (lib/model.ts `LocalAuthority`). */
const localAuthority = z.string().nullable().describe(
  "NEW. The local authority of the postcode, as the FHIR API's postcode CodeSystem gives it " +
    "(`LA`: ODS's code in England, ONS's in Wales; the `local_authority` of " +
    "`/postcodes/{postcode}/`); null when ODS doesn't know the postcode or it was not looked " +
    "up yet",
);

/** Text the original served as `""` when empty: never `null`. */
const blankText = z.string().describe('Empty text is "", as the original served it');

const geo = {
  bng_e: number.describe("ONS centroid, British National Grid easting"),
  bng_n: number.describe("ONS centroid, British National Grid northing"),
  long: number.describe("ONS centroid longitude"),
  lat: number.describe("ONS centroid latitude"),
  globalid: text.describe("ONS boundary global id"),
  geom: notHeld("Boundary geometry"),
};

/** `{ods_code, name}`: an organisation without parents. */
export const organisationLimited = z.strictObject({ ods_code: z.string(), name: z.string() });

/** A trust (TrustSerializer). */
export const trust = z.strictObject({
  ods_code: z.string(),
  name: z.string(),
  address_line_1: text,
  address_line_2: blankText,
  town: text,
  postcode: text,
  country: text.describe('Text, as the original: "ENGLAND" or "WALES"'),
  telephone: text,
  website: text,
  active: z.boolean(),
  published_at: date,
});

/** A trust with its organisations (TrustWithNestedOrganisationsSerializer). */
export const trustWithOrganisations = z.strictObject({
  ...trust.shape,
  organisations: z.array(organisationLimited),
});

/** A local health board, limited (LocalHealthBoardLimitedSerializer). */
export const localHealthBoardLimited = z.strictObject({
  ods_code: z.string(),
  boundary_identifier: text,
  name: z.string(),
});

/** A local health board with its boundary fields (LocalHealthBoardSerializer). */
export const localHealthBoard = z.strictObject({
  ods_code: z.string(),
  publication_date: date,
  boundary_identifier: text,
  name: z.string(),
  welsh_name: text,
  ...geo,
});

/** A local health board with its organisations. */
export const localHealthBoardWithOrganisations = z.strictObject({
  ...localHealthBoardLimited.shape,
  organisations: z.array(organisationLimited),
});

/** An integrated care board, limited. */
export const integratedCareBoardLimited = z.strictObject({
  boundary_identifier: text,
  name: z.string(),
  ods_code: z.string(),
});

/** An integrated care board with its boundary fields. */
export const integratedCareBoard = z.strictObject({
  boundary_identifier: text,
  name: z.string(),
  ...geo,
  ods_code: z.string(),
  publication_date: date,
});

/** An integrated care board with its organisations. */
export const integratedCareBoardWithOrganisations = z.strictObject({
  boundary_identifier: text,
  name: z.string(),
  ods_code: z.string(),
  publication_date: date,
  organisations: z.array(organisationLimited),
});

/** An NHS England region, limited. */
export const nhsEnglandRegionLimited = z.strictObject({
  region_code: z.string(),
  publication_date: date,
  boundary_identifier: text,
  name: z.string(),
});

/** An NHS England region with its boundary fields. */
export const nhsEnglandRegion = z.strictObject({ ...nhsEnglandRegionLimited.shape, ...geo });

/** An NHS England region with its organisations. */
export const nhsEnglandRegionWithOrganisations = z.strictObject({
  ...nhsEnglandRegionLimited.shape,
  organisations: z.array(organisationLimited),
});

/** An OPEN UK paediatric epilepsy network. */
export const openukNetwork = z.strictObject({
  name: z.string(),
  boundary_identifier: z.string(),
  country: text,
  publication_date: date,
});

/** A paediatric diabetes network. */
export const paediatricDiabetesNetwork = z.strictObject({ pn_code: z.string(), name: z.string() });

/** A paediatric diabetes unit, code only (PaediatricDiabetesUnitSerializer, 2024). */
export const paediatricDiabetesUnit = z.strictObject({ pz_code: z.string() });

/** A paediatric diabetes unit with its network. */
export const paediatricDiabetesUnitWithNetwork = z.strictObject({
  pz_code: z.string(),
  paediatric_diabetes_network: paediatricDiabetesNetwork.nullable(),
});

/** A paediatric diabetes unit with its organisations. */
export const paediatricDiabetesUnitWithOrganisations = z.strictObject({
  pz_code: z.string(),
  organisations: z.array(organisationLimited),
});

/** A paediatric diabetes unit with its network, parent and primary organisation. */
export const paediatricDiabetesUnitWithParent = z.strictObject({
  pz_code: z.string(),
  paediatric_diabetes_network: paediatricDiabetesNetwork.nullable(),
  parent: z.union([trust, localHealthBoardLimited]).nullable().describe(
    "The primary organisation's trust, or its local health board (limited) for Welsh units",
  ),
  primary_organisation: organisationLimited.describe(
    "The unit's lead site: fixed for six multi-site units (PZ024 RVV01, PZ050 RVR07, " +
      "PZ099 RWH01, PZ136 R0A03, PZ206 RM321, PZ230 RXC01), otherwise the first by name. " +
      "Units with no organisation yet are left out",
  ),
});

/** An organisation with its parent (trust, or local health board with boundary fields). */
export const organisationWithParent = z.strictObject({
  ods_code: z.string(),
  name: z.string(),
  parent: z.union([trust, localHealthBoard]).nullable(),
});

/** A paediatric diabetes unit with its organisations and their parents. */
export const paediatricDiabetesUnitSiblings = z.strictObject({
  pz_code: z.string(),
  organisations: z.array(organisationWithParent),
});

/** A London borough, limited. */
export const londonBoroughLimited = z.strictObject({ name: z.string(), gss_code: z.string() });

/** A London borough with its boundary fields. */
export const londonBorough = z.strictObject({
  name: z.string(),
  gss_code: z.string(),
  hectares: number.describe("ONS area in hectares"),
  nonld_area: number.describe("ONS non-land area in hectares"),
  ons_inner: text.describe('ONS inner London flag, "T" or "F"'),
  sub_2009: text.describe("2009 sub-region (null, as the original served it)"),
  sub_2006: text.describe("2006 sub-region (null, as the original served it)"),
  geom: geo.geom,
});

/** A London borough with its organisations. */
export const londonBoroughWithOrganisations = z.strictObject({
  ...londonBoroughLimited.shape,
  organisations: z.array(organisationLimited),
});

/** A country, limited. */
export const countryLimited = z.strictObject({ boundary_identifier: z.string(), name: z.string() });

/** A country with its boundary fields. */
export const country = z.strictObject({
  boundary_identifier: z.string(),
  name: z.string(),
  welsh_name: text,
  ...geo,
});

/** An organisation with every parent nested (OrganisationSerializer, 2024 field set). */
export const organisation = z.strictObject({
  ods_code: z.string(),
  name: z.string(),
  website: blankText,
  address1: text,
  address2: blankText,
  address3: blankText,
  telephone: blankText,
  city: text,
  county: blankText,
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  postcode: text,
  geocode_coordinates: z.string().nullable().describe(
    "The point of latitude and longitude in EWKT, `SRID=4326;POINT (longitude latitude)`; " +
      "null without coordinates",
  ),
  active: z.boolean(),
  published_at: date,
  paediatric_diabetes_unit: paediatricDiabetesUnitWithNetwork.nullable(),
  trust: trust.nullable(),
  local_health_board: localHealthBoardLimited.nullable(),
  integrated_care_board: integratedCareBoardLimited.nullable(),
  nhs_england_region: nhsEnglandRegionLimited.nullable(),
  openuk_network: openukNetwork.nullable(),
  london_borough: londonBoroughLimited.nullable(),
  country: countryLimited.nullable(),
  local_authority: localAuthority,
});

/** One changed field in the change log. */
export const fieldChange = z.strictObject({
  field: z.string(),
  old: z.unknown(),
  new: z.unknown(),
});

/** One change log entry (lib/store.ts `ChangeEntry`). */
export const changeEntry = z.strictObject({
  id: z.string().describe("Sortable id: entries sort by time"),
  entity: z.string(),
  code: z.string(),
  op: z.enum(["create", "update", "delete"]),
  changes: z.array(fieldChange),
  cause: z.enum(["seed", "sync", "merge", "effective"]),
  run_id: z.string(),
  time: z.string().describe("ISO instant of the write"),
  last_change_date: z.string().nullable().describe("ODS LastChangeDate of the data applied"),
  ods_name: z.string().optional().describe(
    "ODS's own spelling of the name, when the name written is styled differently (an ICB " +
      "created from ODS gets the mixed-case style of the ONS names)",
  ),
});

/** An entity's change log and current stored record (NEW in this service). */
export const history = z.strictObject({
  entity: z.string().describe("Entity kind, e.g. organisation"),
  code: z.string(),
  record: z.record(z.string(), z.unknown()).nullable().describe(
    "The record as stored, with every field this service keeps (source, updated_at, " +
      "last_change_date, operational and legal dates, successors, predecessors, *_code " +
      "relations; for ODS-backed records ods_facts, ODS's dated roles, relationships and " +
      "successions, and ods_deleted, the date ODS deleted the record); null when it has been " +
      "deleted",
  ),
  changes: z.array(changeEntry).describe("Oldest first"),
  parents: z.array(z.strictObject({
    from: z.string().nullable().describe("First day in force"),
    to: z.string().nullable().describe("Last day in force; null while open"),
    parent: z.string().describe("The parent's ODS code"),
    relationship: z.string().describe("RE6 (operated by) or RE5 (in the geography of)"),
    parent_role: z.string().nullable().describe("The parent's primary ODS role"),
  })).describe(
    "NEW. The dated parent timeline from ODS's relationships, oldest first: what ?as_of= " +
      "answers the parents from (empty for records without dated ODS facts)",
  ),
});

/**
 * Every error body, in Django REST framework's shape: `detail` is DRF's message
 * (`"Not found."`, `"Method \"POST\" not allowed."`); `error` names the error in a few words;
 * other keys explain it (the code asked for, the fields at fault...).
 */
export const error = z.looseObject({
  detail: z.string().describe('Django REST framework\'s message, e.g. "Not found."'),
  error: z.string().describe('The error in a few words, e.g. "not found"'),
});

/** An organisation as it was on a date, and the predecessor answered for it, if any. */
export const organisationSnapshot = organisation.extend({
  predecessor_ods_code: z.string().nullable().describe(
    "The predecessor answered when the code asked for did not exist on the date; else null",
  ),
});

const code = (what: string) => z.string().nullable().describe(what);

/** A GP practice (NEW in this service: the original's model was never filled). */
export const generalPractice = z.strictObject({
  ods_code: z.string(),
  name: z.string(),
  address_line_1: text,
  address_line_2: text,
  address_line_3: text,
  town: text,
  county: text,
  postcode: text,
  country: text.describe('As ODS gives it: "ENGLAND" or "WALES"'),
  telephone: text,
  active: z.boolean(),
  operational_start: date,
  operational_end: date,
  last_change_date: date.describe("ODS LastChangeDate of the record as last applied"),
  commissioner_code: code(
    "ODS RE4 IS COMMISSIONED BY: the sub-ICB location, or a Welsh local health board " +
      "(a closed practice keeps the one of its last day)",
  ),
  local_health_board_code: code("The commissioner, when it is a Welsh local health board"),
  integrated_care_board_code: code("The commissioning sub-ICB location's ICB"),
  nhs_england_region_code: code("That ICB's NHS England region"),
  primary_care_network_code: code("ODS RE8 IS PARTNER TO: the primary care network, if any"),
  local_authority: localAuthority,
});

/** Named component schemas, as published in the OpenAPI document. */
export const COMPONENTS = {
  Organisation: organisation,
  OrganisationSnapshot: organisationSnapshot,
  OrganisationLimited: organisationLimited,
  OrganisationWithParent: organisationWithParent,
  Trust: trust,
  TrustWithOrganisations: trustWithOrganisations,
  LocalHealthBoard: localHealthBoard,
  LocalHealthBoardLimited: localHealthBoardLimited,
  LocalHealthBoardWithOrganisations: localHealthBoardWithOrganisations,
  IntegratedCareBoard: integratedCareBoard,
  IntegratedCareBoardLimited: integratedCareBoardLimited,
  IntegratedCareBoardWithOrganisations: integratedCareBoardWithOrganisations,
  NHSEnglandRegion: nhsEnglandRegion,
  NHSEnglandRegionLimited: nhsEnglandRegionLimited,
  NHSEnglandRegionWithOrganisations: nhsEnglandRegionWithOrganisations,
  OPENUKNetwork: openukNetwork,
  PaediatricDiabetesNetwork: paediatricDiabetesNetwork,
  PaediatricDiabetesUnit: paediatricDiabetesUnit,
  PaediatricDiabetesUnitWithNetwork: paediatricDiabetesUnitWithNetwork,
  PaediatricDiabetesUnitWithOrganisations: paediatricDiabetesUnitWithOrganisations,
  PaediatricDiabetesUnitWithParent: paediatricDiabetesUnitWithParent,
  PaediatricDiabetesUnitSiblings: paediatricDiabetesUnitSiblings,
  LondonBorough: londonBorough,
  LondonBoroughLimited: londonBoroughLimited,
  LondonBoroughWithOrganisations: londonBoroughWithOrganisations,
  Country: country,
  CountryLimited: countryLimited,
  GeneralPractice: generalPractice,
  FieldChange: fieldChange,
  ChangeEntry: changeEntry,
  History: history,
  Error: error,
} as const;

/** Name of a component schema. */
export type ComponentName = keyof typeof COMPONENTS;

/** The output type of a component schema. */
export type Shape<N extends ComponentName> = z.infer<(typeof COMPONENTS)[N]>;

/** The top-level field names of a component schema, in serialization order. */
export function fieldsOf(name: ComponentName): string[] {
  return Object.keys(COMPONENTS[name].shape);
}
