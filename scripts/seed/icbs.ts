/**
 * NHS England regions, integrated care boards, and the trust → ICB → region map that places
 * trusts (and so their organisations) in an ICB and a region. Region and ICB names and
 * attributes are the ONS ones, as the original loaded them from the ONS boundary files.
 *
 * @module
 */
import type { TrustIcbMembership } from "../../lib/model.ts";
import type { SeedRecord } from "../../lib/seed.ts";
import { PUBLICATION } from "./curated.ts";
import type { Findings } from "./findings.ts";
import { attributesOf, byOnsCode, NO_ATTRIBUTES, type OnsRow, onsRowFor } from "./ons.ts";
import { LISTS, type ReferenceRow } from "./reference.ts";
import { odsDates, text } from "./values.ts";

/**
 * The region records: codes from the reference, names and attributes from ONS (by GSS code).
 *
 * @example
 * ```ts
 * import { buildRegions } from "./icbs.ts";
 * import { Findings } from "./findings.ts";
 *
 * const ons = [{
 *   ons_code: "E40000003", name: "London", bng_e: 517515, bng_n: 178392, long: -0.30866,
 *   lat: 51.4923, globalid: "5f0c37a2-1880-4224-84e8-d1d388ec5680",
 * }];
 * const rows = [{ region_code: "Y56", name: "London", ons_code: "E40000003" }];
 * buildRegions(rows, ons, new Findings())[0].bng_e; // 517515
 * ```
 */
export function buildRegions(
  rows: readonly ReferenceRow<"regions">[],
  ons: readonly OnsRow<"onsRegions">[],
  f: Findings,
): SeedRecord<"nhs_england_region">[] {
  const byCode = byOnsCode(ons);
  return rows.map((r) => {
    const code = r.region_code.trim();
    const gss = text(r.ons_code);
    const row = onsRowFor("onsRegions", byCode, code, gss, f);
    return {
      region_code: code,
      boundary_identifier: gss,
      name: row?.name ?? r.name.trim(),
      publication_date: PUBLICATION.nhs_england_region,
      ...(row ? attributesOf(row) : NO_ATTRIBUTES),
      source: "ods",
      ...odsDates(),
    };
  });
}

/** The trust → ICB → region map, as read. */
export interface IcbMap {
  /** Each ICB's region (the first row naming the ICB wins). */
  icbRegion: Map<string, string>;
  /** Per trust, the ICBs it appears with and in how many rows (first-appearance order). */
  perTrust: Map<string, Map<string, number>>;
  /** Per trust, the ICB and region of its last row (what the original's seed assigned). */
  lastRow: Map<string, { icb: string; region: string }>;
}

/**
 * Read the trust → ICB → region map; an ICB given two regions keeps the first.
 *
 * @example
 * ```ts
 * import { readIcbMap } from "./icbs.ts";
 * import { Findings } from "./findings.ts";
 *
 * const map = readIcbMap([{ trust_code: "RGT", icb_code: "QUE", region_code: "Y61" }], new Findings());
 * map.icbRegion.get("QUE"); // "Y61"
 * ```
 */
export function readIcbMap(
  rows: readonly ReferenceRow<"icbLocalAuthorities">[],
  f: Findings,
): IcbMap {
  const icbRegion = new Map<string, string>();
  const perTrust = new Map<string, Map<string, number>>();
  const lastRow = new Map<string, { icb: string; region: string }>();
  for (const row of rows) {
    const trust = row.trust_code.trim();
    const icb = row.icb_code.trim();
    const region = row.region_code.trim();
    const known = icbRegion.get(icb);
    if (known === undefined) icbRegion.set(icb, region);
    else if (known !== region) {
      f.miss(
        "icb_region",
        LISTS.icbLocalAuthorities.file,
        icb,
        region,
        `ICB ${icb} appears with region ${region} here but ${known} in an earlier row; ${known} kept`,
      );
    }
    if (!trust) continue;
    const counts = perTrust.get(trust) ?? new Map<string, number>();
    counts.set(icb, (counts.get(icb) ?? 0) + 1);
    perTrust.set(trust, counts);
    lastRow.set(trust, { icb, region });
  }
  return { icbRegion, perTrust, lastRow };
}

/**
 * The ICB records: codes from the reference, each with its region from the map (when the region
 * is seeded), names and attributes from ONS (by GSS code).
 *
 * @example
 * ```ts
 * import { buildIcbs, readIcbMap } from "./icbs.ts";
 * import { Findings } from "./findings.ts";
 *
 * const f = new Findings();
 * const map = readIcbMap([{ trust_code: "RGT", icb_code: "QUE", region_code: "Y61" }], f);
 * const rows = [{
 *   ods_code: "QUE", name: "NHS CAMBRIDGESHIRE AND PETERBOROUGH INTEGRATED CARE BOARD",
 *   gss_code: "E54000056",
 * }];
 * const ons = [{
 *   ons_code: "E54000056", name: "NHS Cambridgeshire and Peterborough Integrated Care Board",
 *   bng_e: 536856, bng_n: 268346, long: 0.005437, lat: 52.2962,
 *   globalid: "456aed5c-f453-4a7d-a73b-cc3c3fe82637",
 * }];
 * const [icb] = buildIcbs(rows, map, new Set(["Y61"]), ons, f);
 * icb.name; // "NHS Cambridgeshire and Peterborough Integrated Care Board"
 * icb.nhs_england_region_code; // "Y61"
 * ```
 */
export function buildIcbs(
  rows: readonly ReferenceRow<"integratedCareBoards">[],
  map: IcbMap,
  regionCodes: ReadonlySet<string>,
  ons: readonly OnsRow<"onsIntegratedCareBoards">[],
  f: Findings,
): SeedRecord<"integrated_care_board">[] {
  const file = LISTS.integratedCareBoards.file;
  const byCode = byOnsCode(ons);
  return rows.map((i) => {
    const code = i.ods_code.trim();
    let region = map.icbRegion.get(code) ?? null;
    if (region === null) {
      f.miss("icb_region", file, code, null, "no row in the ICB map");
    } else if (!regionCodes.has(region)) {
      f.miss("icb_region", file, code, region, "unknown NHS England region");
      region = null;
    }
    const gss = text(i.gss_code);
    const row = onsRowFor("onsIntegratedCareBoards", byCode, code, gss, f);
    return {
      ods_code: code,
      boundary_identifier: gss,
      name: row?.name ?? i.name.trim(),
      ...(row ? attributesOf(row) : NO_ATTRIBUTES),
      publication_date: PUBLICATION.integrated_care_board,
      nhs_england_region_code: region,
      source: "ods" as const,
      ...odsDates(),
    };
  });
}

/**
 * Each trust's ICB and region: those of its last row in the map, as the original's seed, which
 * applied the rows in order (so a trust in several rows ends with the last one's). Trusts seen
 * with several ICBs are noted for the report; an unknown ICB code is listed as unresolved.
 *
 * @example
 * ```ts
 * import { chooseTrustIcbs, readIcbMap } from "./icbs.ts";
 * import { Findings } from "./findings.ts";
 *
 * const f = new Findings();
 * const map = readIcbMap([
 *   { trust_code: "RAT", icb_code: "QH8", region_code: "Y61" },
 *   { trust_code: "RAT", icb_code: "QMF", region_code: "Y56" },
 * ], f);
 * chooseTrustIcbs(map, new Set(["QH8", "QMF"]), f).get("RAT");
 * // { trust_code: "RAT", icb_code: "QMF", region_code: "Y56" }
 * ```
 */
export function chooseTrustIcbs(
  map: IcbMap,
  icbCodes: ReadonlySet<string>,
  f: Findings,
): Map<string, TrustIcbMembership> {
  const trustIcb = new Map<string, TrustIcbMembership>();
  for (const [trust, counts] of map.perTrust) {
    const last = map.lastRow.get(trust)!;
    if (!icbCodes.has(last.icb)) {
      f.miss("trust_icb", LISTS.icbLocalAuthorities.file, trust, last.icb, "unknown ICB code");
      continue;
    }
    trustIcb.set(trust, { trust_code: trust, icb_code: last.icb, region_code: last.region });
    if (counts.size > 1) {
      f.notes.multiIcbTrusts.push({
        trust_code: trust,
        chosen: last.icb,
        icbs: [...counts].map(([icb_code, rows]) => ({ icb_code, rows })),
        organisations: 0,
      });
    }
  }
  return trustIcb;
}
