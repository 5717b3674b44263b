/**
 * The records that are not ODS entities (`source: "curated"`): countries, London boroughs,
 * paediatric diabetes networks and OPEN UK networks.
 *
 * @module
 */
import type { SeedRecord } from "../../lib/seed.ts";
import { COUNTRY_CORRECTIONS, LONDON_BOROUGHS, PUBLICATION } from "./curated.ts";
import type { Findings } from "./findings.ts";
import type { ReferenceRow } from "./reference.ts";
import { text } from "./values.ts";

/**
 * The country records, with the reference's wrong codes corrected (and each correction noted).
 *
 * @example
 * ```ts
 * import { buildCountries } from "./curated_records.ts";
 * import { Findings } from "./findings.ts";
 *
 * buildCountries([{ ons_code: "E92000003", name: "Jersey" }], new Findings())[0].boundary_identifier;
 * // "JEY"
 * ```
 */
export function buildCountries(
  rows: readonly ReferenceRow<"countries">[],
  f: Findings,
): SeedRecord<"country">[] {
  return rows.map((c) => {
    const given = c.ons_code.trim();
    const fix = COUNTRY_CORRECTIONS[given];
    if (fix) f.notes.corrections.push(fix.note);
    return {
      boundary_identifier: fix ? fix.code : given,
      name: c.name.trim(),
      welsh_name: null,
      source: "curated",
    };
  });
}

/**
 * The 33 London borough records.
 *
 * @example
 * ```ts
 * import { buildLondonBoroughs } from "./curated_records.ts";
 *
 * buildLondonBoroughs().length; // 33
 * ```
 */
export function buildLondonBoroughs(): SeedRecord<"london_borough">[] {
  return Object.entries(LONDON_BOROUGHS).map(([gss_code, name]) => ({
    gss_code,
    name,
    source: "curated",
  }));
}

/**
 * The paediatric diabetes network records.
 *
 * @example
 * ```ts
 * import { buildDiabetesNetworks } from "./curated_records.ts";
 *
 * buildDiabetesNetworks([{ pn_code: "PN01", name: "Jersey" }])[0].pn_code; // "PN01"
 * ```
 */
export function buildDiabetesNetworks(
  rows: readonly ReferenceRow<"diabetesNetworks">[],
): SeedRecord<"paediatric_diabetes_network">[] {
  return rows.map((n) => ({ pn_code: n.pn_code.trim(), name: n.name.trim(), source: "curated" }));
}

/**
 * The OPEN UK network records.
 *
 * @example
 * ```ts
 * import { buildOpenUkNetworks } from "./curated_records.ts";
 *
 * const row = { network_code: "EPEN", name: "Eastern Paediatric Epilepsy Network", country: "England" };
 * buildOpenUkNetworks([row])[0].boundary_identifier; // "EPEN"
 * ```
 */
export function buildOpenUkNetworks(
  rows: readonly ReferenceRow<"openUkNetworks">[],
): SeedRecord<"openuk_network">[] {
  return rows.map((n) => ({
    boundary_identifier: n.network_code.trim(),
    name: n.name.trim(),
    country: text(n.country),
    publication_date: PUBLICATION.openuk_network,
    source: "curated",
  }));
}
