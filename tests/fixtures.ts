/**
 * Record factories shared by the tests: every field of the model, blank unless given.
 *
 * @module
 */
import type { Organisation } from "../lib/model.ts";
import type { OdsRecord } from "../lib/ods/record.ts";

/** The address of a parsed ODS record. */
type OdsAddress = OdsRecord["address"];
import type { RunRecord } from "../lib/sync/run.ts";

/** ODS date fields of a record no ODS data has reached yet. */
export const BLANK_ODS_DATES = {
  last_change_date: null,
  active: true,
  operational_start: null,
  operational_end: null,
  legal_start: null,
  legal_end: null,
  successors: [] as string[],
  predecessors: [] as string[],
};

/** An active ODS-backed organisation with every other field empty, then `fields`. */
export function organisationRecord(code: string, fields: Partial<Organisation> = {}): Organisation {
  return {
    ods_code: code,
    name: code,
    website: null,
    address1: null,
    address2: null,
    address3: null,
    telephone: null,
    city: null,
    county: null,
    latitude: null,
    longitude: null,
    postcode: null,
    local_authority: null,
    published_at: null,
    trust_code: null,
    local_health_board_code: null,
    integrated_care_board_code: null,
    nhs_england_region_code: null,
    country_code: null,
    london_borough_code: null,
    paediatric_diabetes_unit_code: null,
    openuk_network_code: null,
    source: "ods",
    updated_at: "",
    ...BLANK_ODS_DATES,
    ...fields,
  };
}

/** An ODS address with every line empty, then `fields`. */
export function odsAddress(fields: Partial<OdsAddress> = {}): OdsAddress {
  return {
    line1: null,
    line2: null,
    line3: null,
    town: null,
    county: null,
    postcode: null,
    country: null,
    uprn: null,
    ...fields,
  };
}

/**
 * An active parsed ODS record (as the sources give them) with no roles, relationships, contact
 * or address, open since 2000-04-01, then `fields`.
 */
export function odsRecord(code: string, fields: Partial<OdsRecord> = {}): OdsRecord {
  return {
    code,
    name: `ORG ${code}`,
    active: true,
    lastChangeDate: "2026-11-24",
    recordClass: "RC1",
    refOnly: false,
    primaryRole: "RO197",
    roles: [],
    operational: { start: "2000-04-01", end: null },
    legal: { start: null, end: null },
    address: odsAddress(),
    telephone: null,
    website: null,
    email: null,
    relationships: [],
    successions: [],
    ...fields,
  };
}

/** A finished successful sync run record with every count zero, then `fields`. */
export function runRecord(fields: Partial<RunRecord> = {}): RunRecord {
  return {
    id: "r",
    trigger: "test",
    source: "ord",
    kind: "incremental",
    dry_run: false,
    started_at: "2026-11-24T06:00:00.000Z",
    finished_at: "2026-11-24T06:00:01.000Z",
    query_date: null,
    links_seen: 0,
    fetched: 0,
    changed: 0,
    created: 0,
    field_changes: 0,
    quarantined: [],
    not_found: [],
    errors: [],
    outcome: "success",
    defensive: { event: "bau", message: "business as usual" },
    cursor_before: null,
    cursor_after: null,
    gaps: [],
    review_items: 0,
    requests: 0,
    retries: 0,
    ...fields,
  };
}
