/**
 * The seed's fixed facts and decisions: country codes, the boundary sets' publication dates,
 * the organisations curated by hand, the corrections to the reference, and the London boroughs.
 *
 * @module
 */

/** Name of the reference set, recorded in the seed. */
export const GENERATED_FROM = "rcpch-2024";

/** Country code of England. */
export const ENGLAND = "E92000001";
/** Country code of Wales. */
export const WALES = "W92000004";
/** Country code the seed gives Jersey (as the original does since its migration 0035). */
export const JERSEY = "JEY";

/** Country text on trusts → country code. */
export const TRUST_COUNTRY: Readonly<Record<string, string>> = { ENGLAND, WALES };

/** Fixed publication dates of the boundary sets (as the original's seed). */
export const PUBLICATION = {
  local_health_board: "2022-04-14",
  integrated_care_board: "2023-03-15",
  nhs_england_region: "2022-07-30",
  openuk_network: "2022-12-08",
} as const;

/** Organisations not in ODS (or not under an English/Welsh parent): curated, fixed country. */
export const CURATED_ORGANISATIONS: Readonly<Record<string, { country: string; note: string }>> = {
  RGT1W: {
    country: JERSEY,
    note: "Jersey General Hospital is not in the NHS data; the original parented it to RGT " +
      "(Cambridge University Hospitals) as a hack, which also gave it RGT's ICB, region and " +
      "OPEN UK network. Here it is curated with no trust, ICB, region or OPEN UK network, " +
      "country JEY.",
  },
  "8HV48": {
    country: ENGLAND,
    note: "RCPCH itself (PZ999): curated, no parent, country England.",
  },
};

/** Country codes the reference gets wrong. */
export const COUNTRY_CORRECTIONS: Readonly<Record<string, { code: string; note: string }>> = {
  E92000003: {
    code: JERSEY,
    note: "country_codes.json gives Jersey E92000003 (an English GSS code, not Jersey's); " +
      "seeded as JEY, as the original's later migration 0035 does.",
  },
};

/** The 33 London boroughs (GSS code → name), E09000001…E09000033. */
export const LONDON_BOROUGHS: Readonly<Record<string, string>> = {
  E09000001: "City of London",
  E09000002: "Barking and Dagenham",
  E09000003: "Barnet",
  E09000004: "Bexley",
  E09000005: "Brent",
  E09000006: "Bromley",
  E09000007: "Camden",
  E09000008: "Croydon",
  E09000009: "Ealing",
  E09000010: "Enfield",
  E09000011: "Greenwich",
  E09000012: "Hackney",
  E09000013: "Hammersmith and Fulham",
  E09000014: "Haringey",
  E09000015: "Harrow",
  E09000016: "Havering",
  E09000017: "Hillingdon",
  E09000018: "Hounslow",
  E09000019: "Islington",
  E09000020: "Kensington and Chelsea",
  E09000021: "Kingston upon Thames",
  E09000022: "Lambeth",
  E09000023: "Lewisham",
  E09000024: "Merton",
  E09000025: "Newham",
  E09000026: "Redbridge",
  E09000027: "Richmond upon Thames",
  E09000028: "Southwark",
  E09000029: "Sutton",
  E09000030: "Tower Hamlets",
  E09000031: "Waltham Forest",
  E09000032: "Wandsworth",
  E09000033: "Westminster",
};
