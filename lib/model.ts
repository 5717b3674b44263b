/**
 * The stored entities: their fields, natural keys and which fields are indexed.
 *
 * Records use the field names of the original RCPCH service (snake_case), so the API can serve
 * them with little translation. Relations are stored as natural codes in `*_code` fields.
 *
 * @module
 */

/** Where a record came from: ODS (kept current by the sync) or curated by people. */
export type Source = "ods" | "curated";

/** Fields every record carries, ODS-backed or not. */
export interface Tracked {
  /** `ods` records are kept current by the sync; `curated` ones are never touched by it. */
  source: Source;
  /** When this record was last written by this service (ISO instant). */
  updated_at: string;
}

/** Start and end as ODS publishes them (`YYYY-MM-DD`, `null` if absent); an end is a last day. */
export interface DatePeriod {
  start: string | null;
  end: string | null;
}

/**
 * ODS's dated facts about a record, as ODS publishes them, ended ones included: what the parent,
 * ICB, region and `active` in force on a date are derived from (`lib/ods/dated.ts`).
 */
export interface OdsFacts {
  roles: {
    id: string;
    primary: boolean;
    active: boolean;
    operational: DatePeriod;
    legal: DatePeriod;
  }[];
  /** From this record (the child) to a target (the parent), e.g. `RE6` IS OPERATED BY. */
  relationships: {
    id: string;
    target: string;
    /** The target's primary role (`null` when ODS didn't say). */
    target_role: string | null;
    /** ODS's `Status` (or FHIR `active`): kept, but dates decide what is in force. */
    active: boolean;
    operational: DatePeriod;
    legal: DatePeriod;
  }[];
  successions: {
    type: "Predecessor" | "Successor";
    target: string;
    target_role: string | null;
    /** The legal date of the succession (`null` when the source doesn't give it). */
    date: string | null;
  }[];
}

/** Dates and status ODS gives for an organisation record. */
export interface OdsDates {
  /** ODS `LastChangeDate` of the record as last applied (YYYY-MM-DD). */
  last_change_date: string | null;
  active: boolean;
  operational_start: string | null;
  operational_end: string | null;
  legal_start: string | null;
  legal_end: string | null;
  /** ODS successions as seen from this record. */
  successors: string[];
  predecessors: string[];
  /** ODS's dated roles, relationships and successions (absent on records not synced since). */
  ods_facts?: OdsFacts | null;
  /** The date ODS deleted the record (ORD `/notifications`, FHIR `List/Organization-deletion`). */
  ods_deleted?: string | null;
}

/**
 * The local authority of a record's postcode: the `LA` code the FHIR API's `postcode`
 * CodeSystem gives (ODS's code in England, ONS's in Wales), filled by the sync's local authority
 * step (lib/sync/local_authorities.ts); `null` when the postcode is unknown to ODS or not looked
 * up yet. Absent on records written before it was kept, which read as `null`.
 */
export type LocalAuthority = string | null;

/** A hospital or other site. */
export interface Organisation extends Tracked, OdsDates {
  ods_code: string;
  name: string;
  website: string | null;
  address1: string | null;
  address2: string | null;
  address3: string | null;
  telephone: string | null;
  city: string | null;
  county: string | null;
  latitude: number | null;
  longitude: number | null;
  postcode: string | null;
  /** NEW: the postcode's local authority ({@linkcode LocalAuthority}). */
  local_authority?: LocalAuthority;
  /** Original service: the date ODS last amended the record. */
  published_at: string | null;
  trust_code: string | null;
  local_health_board_code: string | null;
  integrated_care_board_code: string | null;
  nhs_england_region_code: string | null;
  country_code: string | null;
  london_borough_code: string | null;
  paediatric_diabetes_unit_code: string | null;
  openuk_network_code: string | null;
}

/** An NHS trust (parent of English sites). */
export interface Trust extends Tracked, OdsDates {
  ods_code: string;
  name: string;
  address_line_1: string | null;
  address_line_2: string | null;
  town: string | null;
  postcode: string | null;
  /** Text, as the original: "ENGLAND" or "WALES". */
  country: string | null;
  telephone: string | null;
  website: string | null;
  published_at: string | null;
  integrated_care_board_code: string | null;
}

/**
 * Attributes of an ONS boundary the original served with the boundary: its centroid (British
 * National Grid and WGS84) and the ONS global id. Optional: records written before they were
 * carried (or by code that does not know them) have none, which the API serves as `null`.
 */
export interface BoundaryAttributes {
  bng_e?: number | null;
  bng_n?: number | null;
  long?: number | null;
  lat?: number | null;
  globalid?: string | null;
}

/**
 * The boundary attributes of `current` (a stored ICB, health board, region or country), each
 * `null` when it has none: what a record rewritten from ODS keeps (ODS knows nothing of them),
 * so that every record of a kind has the same fields.
 *
 * @example
 * ```ts
 * import { boundaryAttributes } from "./model.ts";
 *
 * boundaryAttributes({ bng_e: 536856, bng_n: 268346, long: 0.005437, lat: 52.2962 }).globalid;
 * // null
 * boundaryAttributes(null).bng_e; // null
 * ```
 */
export function boundaryAttributes(
  current: BoundaryAttributes | null | undefined,
): Required<BoundaryAttributes> {
  return {
    bng_e: current?.bng_e ?? null,
    bng_n: current?.bng_n ?? null,
    long: current?.long ?? null,
    lat: current?.lat ?? null,
    globalid: current?.globalid ?? null,
  };
}

/** A Welsh local health board (parent of Welsh sites). */
export interface LocalHealthBoard extends Tracked, OdsDates, BoundaryAttributes {
  ods_code: string;
  boundary_identifier: string | null;
  name: string;
  welsh_name: string | null;
  publication_date: string | null;
}

/** An integrated care board. */
export interface IntegratedCareBoard extends Tracked, OdsDates, BoundaryAttributes {
  ods_code: string;
  boundary_identifier: string | null;
  name: string;
  publication_date: string | null;
  nhs_england_region_code: string | null;
}

/** An NHS England region. */
export interface NHSEnglandRegion extends Tracked, OdsDates, BoundaryAttributes {
  region_code: string;
  boundary_identifier: string | null;
  name: string;
  publication_date: string | null;
}

/** A country or crown dependency. */
export interface Country extends Tracked, BoundaryAttributes {
  boundary_identifier: string;
  name: string;
  welsh_name: string | null;
}

/** A London borough. */
export interface LondonBorough extends Tracked {
  gss_code: string;
  name: string;
  /** ONS area in hectares (optional, like {@linkcode BoundaryAttributes}). */
  hectares?: number | null;
  /** ONS non-land area in hectares. */
  nonld_area?: number | null;
  /** ONS inner London flag, `"T"` or `"F"`. */
  ons_inner?: string | null;
  sub_2009?: string | null;
  sub_2006?: string | null;
}

/** A paediatric diabetes unit (PZ code), invented by RCPCH. */
export interface PaediatricDiabetesUnit extends Tracked {
  pz_code: string;
  paediatric_diabetes_network_code: string | null;
}

/** A paediatric diabetes network (PN code). */
export interface PaediatricDiabetesNetwork extends Tracked {
  pn_code: string;
  name: string;
}

/** An OPEN UK paediatric epilepsy network. */
export interface OPENUKNetwork extends Tracked {
  boundary_identifier: string;
  name: string;
  country: string | null;
  publication_date: string | null;
}

/**
 * A GP practice (ODS role RO76 GP PRACTICE on a record whose primary role is RO177 PRESCRIBING
 * COST CENTRE), in England or Wales, active or closed. Its commissioner is the target of the
 * `RE4` IS COMMISSIONED BY relationship in force (a sub-ICB location, or for Welsh practices
 * their local health board); ICB and NHS England region are the commissioner's; its primary
 * care network the target of `RE8` IS PARTNER TO. Stored as `general_practice`, outside the
 * read snapshot of the other kinds (see `GP_KINDS`).
 */
export interface GeneralPractice extends Tracked {
  ods_code: string;
  name: string;
  address_line_1: string | null;
  address_line_2: string | null;
  address_line_3: string | null;
  town: string | null;
  county: string | null;
  postcode: string | null;
  /** The postcode's local authority ({@linkcode LocalAuthority}). */
  local_authority?: LocalAuthority;
  /** As ODS gives it: "ENGLAND" or "WALES". */
  country: string | null;
  telephone: string | null;
  active: boolean;
  operational_start: string | null;
  operational_end: string | null;
  /** ODS `LastChangeDate` of the record as last applied. */
  last_change_date: string | null;
  /** The `RE4` target in force: a sub-ICB location, or a Welsh local health board. */
  commissioner_code: string | null;
  /** The commissioner, when it is a Welsh local health board. */
  local_health_board_code: string | null;
  /** The commissioning sub-ICB location's ICB. */
  integrated_care_board_code: string | null;
  /** That ICB's NHS England region. */
  nhs_england_region_code: string | null;
  /** The `RE8` target in force (a primary care network), when ODS gives one. */
  primary_care_network_code: string | null;
  /** ODS's dated roles and relationships (successions are not kept for practices). */
  ods_facts: OdsFacts;
  /**
   * The date ODS deleted the record (its deletion list), when it did: the practice is then left
   * out of today's answers, and kept for `?as_of=` dates before it.
   */
  ods_deleted?: string | null;
}

/**
 * A sub-ICB location (primary role RO98, non-primary RO319; former CCGs keep RO98): what maps a
 * GP practice's commissioner onto its ICB (`RE5` to an ICB the store holds) and region.
 */
export interface SubIcbLocation extends Tracked {
  ods_code: string;
  name: string;
  postcode: string | null;
  active: boolean;
  operational_start: string | null;
  operational_end: string | null;
  last_change_date: string | null;
  /** The `RE5` target in force that is an ICB the store holds. */
  integrated_care_board_code: string | null;
  /** That ICB's NHS England region. */
  nhs_england_region_code: string | null;
  ods_facts: OdsFacts;
}

/** Every entity kind and its record type. */
export interface Entities {
  organisation: Organisation;
  trust: Trust;
  local_health_board: LocalHealthBoard;
  integrated_care_board: IntegratedCareBoard;
  nhs_england_region: NHSEnglandRegion;
  country: Country;
  london_borough: LondonBorough;
  paediatric_diabetes_unit: PaediatricDiabetesUnit;
  paediatric_diabetes_network: PaediatricDiabetesNetwork;
  openuk_network: OPENUKNetwork;
  general_practice: GeneralPractice;
  sub_icb_location: SubIcbLocation;
}

/** Name of an entity kind. */
export type Kind = keyof Entities;

/** A record of any kind. */
export type AnyRecord = Entities[Kind];

/** How each kind is keyed and indexed. */
export interface KindSpec<K extends Kind> {
  /** Field holding the natural key. */
  key: keyof Entities[K] & string;
  /** Fields with a secondary index (exact match lookups, parent → children). */
  indexed: readonly (keyof Entities[K] & string)[];
}

const ODS_DATES = ["active", "last_change_date"] as const;

/** Key and index layout per kind. Index values are stored as-is; `null` is not indexed. */
export const KINDS: { readonly [K in Kind]: KindSpec<K> } = {
  organisation: {
    key: "ods_code",
    indexed: [
      "name",
      "website",
      "address1",
      "address2",
      "address3",
      "telephone",
      "city",
      "county",
      "latitude",
      "longitude",
      "postcode",
      "published_at",
      ...ODS_DATES,
      "source",
      "trust_code",
      "local_health_board_code",
      "integrated_care_board_code",
      "nhs_england_region_code",
      "country_code",
      "london_borough_code",
      "paediatric_diabetes_unit_code",
      "openuk_network_code",
    ],
  },
  trust: {
    key: "ods_code",
    indexed: [
      "name",
      "address_line_1",
      "address_line_2",
      "town",
      "postcode",
      "country",
      "telephone",
      "website",
      "published_at",
      ...ODS_DATES,
      "source",
      "integrated_care_board_code",
    ],
  },
  local_health_board: {
    key: "ods_code",
    indexed: ["name", "welsh_name", "boundary_identifier", "publication_date", ...ODS_DATES],
  },
  integrated_care_board: {
    key: "ods_code",
    indexed: [
      "name",
      "boundary_identifier",
      "publication_date",
      ...ODS_DATES,
      "nhs_england_region_code",
    ],
  },
  nhs_england_region: {
    key: "region_code",
    indexed: ["name", "boundary_identifier", "publication_date", ...ODS_DATES],
  },
  country: { key: "boundary_identifier", indexed: ["name"] },
  london_borough: { key: "gss_code", indexed: ["name"] },
  paediatric_diabetes_unit: { key: "pz_code", indexed: ["paediatric_diabetes_network_code"] },
  paediatric_diabetes_network: { key: "pn_code", indexed: ["name"] },
  openuk_network: {
    key: "boundary_identifier",
    indexed: ["name", "country", "publication_date"],
  },
  // Served from their own in-memory cache, not KV indexes: these indexes are what the sync
  // needs to find practices whose derived geography no longer matches their commissioner's.
  general_practice: {
    key: "ods_code",
    indexed: ["commissioner_code", "integrated_care_board_code", "nhs_england_region_code"],
  },
  sub_icb_location: { key: "ods_code", indexed: [] },
};

/**
 * The GP practice kinds: about 15,000 records kept apart from the other kinds' read snapshot
 * (they have their own version key and read cache), so a commit to one never reloads the other.
 */
export const GP_KINDS = ["sub_icb_location", "general_practice"] as const;

/** A GP practice kind. */
export type GpKind = (typeof GP_KINDS)[number];

/** A kind of the read snapshot and the seed: every kind but the {@linkcode GP_KINDS}. */
export type SnapshotKind = Exclude<Kind, GpKind>;

/**
 * Is `kind` one of the {@linkcode GP_KINDS}?
 *
 * @example
 * ```ts
 * import { isGpKind } from "./model.ts";
 *
 * isGpKind("general_practice"); // true
 * isGpKind("trust"); // false
 * ```
 */
export function isGpKind(kind: string): kind is GpKind {
  return (GP_KINDS as readonly string[]).includes(kind);
}

/**
 * The kinds of the read snapshot and the seed, parents before children (the order bulk loads
 * use). The {@linkcode GP_KINDS} are not among them.
 */
export const KIND_ORDER: readonly SnapshotKind[] = [
  "country",
  "nhs_england_region",
  "integrated_care_board",
  "local_health_board",
  "trust",
  "london_borough",
  "paediatric_diabetes_network",
  "paediatric_diabetes_unit",
  "openuk_network",
  "organisation",
];

/** The natural key of a record. */
export function keyOf<K extends Kind>(kind: K, record: Entities[K]): string {
  return String(record[KINDS[kind].key]);
}

/** Is `value` a known entity kind? */
export function isKind(value: string): value is Kind {
  return Object.hasOwn(KINDS, value);
}

/** A PDU membership row: the organisation (or trust / LHB) `ods_code` belongs to PDU `pz_code`. */
export interface PduMembership {
  ods_code: string;
  pz_code: string;
}

/** An OPEN UK membership row: the organisations under `parent_code` belong to `network_code`. */
export interface OpenUkMembership {
  /** A trust or local health board code. */
  parent_code: string;
  network_code: string;
}

/** The ICB (and NHS England region) chosen for a trust. */
export interface TrustIcbMembership {
  trust_code: string;
  icb_code: string;
  region_code: string;
}

/**
 * The curated membership reference, as given by RCPCH: carried in the seed
 * (`seed.memberships`) and read by the merge command.
 */
export interface SeedMemberships {
  /** Every PDU row as given, including codes that are not seeded organisations. */
  pdu: PduMembership[];
  /** Every OPEN UK row as given. */
  openuk: OpenUkMembership[];
  /** The chosen ICB per trust, sorted by trust code. */
  trust_icb: TrustIcbMembership[];
}
