/**
 * The seed's fixed facts and decisions: country codes, the boundary sets' publication dates,
 * the organisations curated by hand and the corrections to the reference.
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

/** How a curated organisation is placed. */
export interface CuratedOrganisation {
  /** Its country code, or `null` for none (the original gave it none). */
  country: string | null;
  /** Keep the reference's parent (and so its ICB, region and OPEN UK network)? */
  keepParent: boolean;
  note: string;
}

/**
 * Organisations not in ODS (or not under an English/Welsh parent): `curated`, so the sync never
 * touches them, and placed as the original placed them.
 */
export const CURATED_ORGANISATIONS: Readonly<Record<string, CuratedOrganisation>> = {
  RGT1W: {
    country: JERSEY,
    keepParent: true,
    note: "Jersey General Hospital is not in the NHS data. As in the original, it hangs off " +
      "its reference parent RGT (Cambridge University Hospitals), which gives it RGT's ICB, " +
      "region and OPEN UK network (the audits need a parent for its PDU, PZ248); curated so " +
      "the sync never touches it; country JEY, as the original's later migration 0035 fixes it.",
  },
  "8HV48": {
    country: null,
    keepParent: false,
    note: "RCPCH itself (PZ999): curated, no parent and no country, as in the original (its " +
      "seed created the record but found no parent, so never set a country).",
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
