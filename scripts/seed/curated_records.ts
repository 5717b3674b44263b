/**
 * The records that are not ODS entities (`source: "curated"`): countries and London boroughs
 * (with their ONS names and attributes), paediatric diabetes networks and OPEN UK networks.
 *
 * @module
 */
import type { SeedRecord } from "../../lib/seed.ts";
import { COUNTRY_CORRECTIONS, PUBLICATION } from "./curated.ts";
import type { Findings } from "./findings.ts";
import { attributesOf, byOnsCode, NO_ATTRIBUTES, type OnsRow, onsRowFor } from "./ons.ts";
import type { ReferenceRow } from "./reference.ts";
import { text } from "./values.ts";

/**
 * The country records, with the reference's wrong codes corrected (and each correction noted);
 * names, Welsh names and attributes from ONS where it has the country (not Jersey, whose
 * record, as the original's, has only its name).
 *
 * @example
 * ```ts
 * import { buildCountries } from "./curated_records.ts";
 * import { Findings } from "./findings.ts";
 *
 * buildCountries([{ ons_code: "E92000003", name: "Jersey" }], [], new Findings())[0].boundary_identifier;
 * // "JEY"
 * ```
 */
export function buildCountries(
  rows: readonly ReferenceRow<"countries">[],
  ons: readonly OnsRow<"onsCountries">[],
  f: Findings,
): SeedRecord<"country">[] {
  const byCode = byOnsCode(ons);
  return rows.map((c) => {
    const code = c.ons_code.trim();
    const fix = COUNTRY_CORRECTIONS[code];
    if (fix) f.notes.corrections.push(fix.note);
    // Jersey is not in the ONS countries table; any other country missing from it is listed.
    const row = fix ? byCode.get(code) ?? null : onsRowFor("onsCountries", byCode, code, code, f);
    return {
      boundary_identifier: fix ? fix.code : code,
      name: row?.name ?? c.name.trim(),
      welsh_name: row?.welsh_name ?? null,
      ...(row ? attributesOf(row) : NO_ATTRIBUTES),
      source: "curated",
    };
  });
}

/**
 * The London borough records, from the ONS table: name, GSS code and areas. The original
 * served `sub_2009` and `sub_2006` as `null` (the table's columns are empty).
 *
 * @example
 * ```ts
 * import { buildLondonBoroughs } from "./curated_records.ts";
 *
 * const row = {
 *   gss_code: "E09000007", name: "Camden", hectares: 2178.932, nonld_area: 0, ons_inner: "T",
 *   sub_2009: "", sub_2006: "",
 * };
 * buildLondonBoroughs([row])[0];
 * // { gss_code: "E09000007", name: "Camden", hectares: 2178.932, nonld_area: 0,
 * //   ons_inner: "T", sub_2009: null, sub_2006: null, source: "curated" }
 * ```
 */
export function buildLondonBoroughs(
  rows: readonly ReferenceRow<"onsLondonBoroughs">[],
): SeedRecord<"london_borough">[] {
  return rows.map((b) => ({
    gss_code: b.gss_code.trim(),
    name: b.name.trim(),
    hectares: b.hectares,
    nonld_area: b.nonld_area,
    ons_inner: text(b.ons_inner),
    sub_2009: text(b.sub_2009),
    sub_2006: text(b.sub_2006),
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
