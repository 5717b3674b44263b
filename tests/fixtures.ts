/**
 * Record factories shared by the tests: every field of the model, blank unless given.
 *
 * @module
 */
import type { Organisation } from "../lib/model.ts";

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
