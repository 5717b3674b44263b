/**
 * The parents of organisations: NHS trusts (with the ICB chosen for each) and Welsh local
 * health boards (named, in English and Welsh, as ONS names them).
 *
 * @module
 */
import type { TrustIcbMembership } from "../../lib/model.ts";
import type { SeedRecord } from "../../lib/seed.ts";
import { PUBLICATION } from "./curated.ts";
import type { Findings } from "./findings.ts";
import { attributesOf, byOnsCode, NO_ATTRIBUTES, type OnsRow, onsRowFor } from "./ons.ts";
import { LISTS, type ReferenceRow } from "./reference.ts";
import { given, odsDates, text } from "./values.ts";

/** Trust rows by trimmed code (a repeated code: the last row). */
export type TrustRows = ReadonlyMap<string, ReferenceRow<"trusts">>;

/**
 * List the trusts of the ICB map that are not in the trust list (their ICB is still kept in
 * the seed's `memberships.trust_icb`).
 *
 * @example
 * ```ts
 * import { checkMapTrusts } from "./parents.ts";
 * import { Findings } from "./findings.ts";
 *
 * const f = new Findings();
 * const icb = new Map([["RXX", { trust_code: "RXX", icb_code: "QUE", region_code: "Y61" }]]);
 * checkMapTrusts(icb, new Map(), f);
 * f.unresolved[0].code; // "RXX"
 * ```
 */
export function checkMapTrusts(
  trustIcb: ReadonlyMap<string, TrustIcbMembership>,
  trustRows: TrustRows,
  f: Findings,
): void {
  for (const [code, m] of trustIcb) {
    if (trustRows.has(code)) continue;
    f.miss(
      "trust_icb",
      LISTS.icbLocalAuthorities.file,
      code,
      m.icb_code,
      "trust code not in trusts.json (kept in memberships.trust_icb)",
    );
  }
}

/**
 * The trust records, each with its chosen ICB; trusts without one are noted for the report.
 * Text is as given (an empty `address_line_2` stays `""`); the list has no telephone or
 * website, which stay `null` as in the original.
 *
 * @example
 * ```ts
 * import { buildTrusts } from "./parents.ts";
 * import { Findings } from "./findings.ts";
 *
 * const row = {
 *   ods_code: "RGT", name: "CAMBRIDGE UNIVERSITY HOSPITALS NHS FOUNDATION TRUST",
 *   address_line_1: "", address_line_2: "", town: "", postcode: "", country: "ENGLAND",
 * };
 * buildTrusts([row], new Map(), new Findings())[0].integrated_care_board_code; // null
 * ```
 */
export function buildTrusts(
  rows: readonly ReferenceRow<"trusts">[],
  trustIcb: ReadonlyMap<string, TrustIcbMembership>,
  f: Findings,
): SeedRecord<"trust">[] {
  return rows.map((t) => {
    const code = t.ods_code.trim();
    const icb = trustIcb.get(code)?.icb_code ?? null;
    if (icb === null) f.notes.trustsWithoutIcb.push(code);
    return {
      ods_code: code,
      name: t.name.trim(),
      address_line_1: given(t.address_line_1),
      address_line_2: given(t.address_line_2),
      town: given(t.town),
      postcode: given(t.postcode),
      country: given(t.country),
      telephone: null,
      website: null,
      published_at: null,
      integrated_care_board_code: icb,
      source: "ods",
      ...odsDates(),
    };
  });
}

/**
 * The local health board records: codes from the reference, names (English and Welsh) and
 * attributes from ONS by GSS code; a code that is also a trust is noted (as a parent it
 * resolves as the board).
 *
 * @example
 * ```ts
 * import { buildLocalHealthBoards } from "./parents.ts";
 * import { Findings } from "./findings.ts";
 *
 * const row = { ods_code: "7A6", name: "ANEURIN BEVAN UNIVERSITY HEALTH BOARD", gss_code: "W11000028" };
 * const ons = [{
 *   ons_code: "W11000028", name: "Aneurin Bevan University Health Board",
 *   welsh_name: "Bwrdd Iechyd Prifysgol Aneurin Bevan", bng_e: 331785, bng_n: 205411,
 *   long: -2.9894, lat: 51.74323, globalid: "b09db5b2-d7c6-4ae3-9f21-f75d84f4e9c5",
 * }];
 * const [lhb] = buildLocalHealthBoards([row], new Map(), ons, new Findings());
 * lhb.name; // "Aneurin Bevan University Health Board"
 * lhb.welsh_name; // "Bwrdd Iechyd Prifysgol Aneurin Bevan"
 * ```
 */
export function buildLocalHealthBoards(
  rows: readonly ReferenceRow<"localHealthBoards">[],
  trustRows: TrustRows,
  ons: readonly OnsRow<"onsLocalHealthBoards">[],
  f: Findings,
): SeedRecord<"local_health_board">[] {
  const byCode = byOnsCode(ons);
  const both = [...new Set(rows.map((l) => l.ods_code.trim()))].filter((c) => trustRows.has(c));
  if (both.length) {
    f.notes.observations.push(
      `${both.join(", ")} is listed both as a trust and as a local health board; as a parent ` +
        "it resolves as the LHB (LHB first), and both records are seeded.",
    );
  }
  return rows.map((l) => {
    const code = l.ods_code.trim();
    const gss = text(l.gss_code);
    const row = onsRowFor("onsLocalHealthBoards", byCode, code, gss, f);
    return {
      ods_code: code,
      boundary_identifier: gss,
      name: row?.name ?? l.name.trim(),
      welsh_name: row?.welsh_name ?? null,
      publication_date: PUBLICATION.local_health_board,
      ...(row ? attributesOf(row) : NO_ATTRIBUTES),
      source: "ods",
      ...odsDates(),
    };
  });
}
