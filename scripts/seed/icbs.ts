/**
 * NHS England regions, integrated care boards, and the trust → ICB → region map that places
 * trusts (and so their organisations) in an ICB and a region.
 *
 * @module
 */
import type { TrustIcbMembership } from "../../lib/model.ts";
import type { SeedRecord } from "../../lib/seed.ts";
import { PUBLICATION } from "./curated.ts";
import type { Findings } from "./findings.ts";
import { LISTS, type ReferenceRow } from "./reference.ts";
import { odsDates, text } from "./values.ts";

/**
 * The region records.
 *
 * @example
 * ```ts
 * import { buildRegions } from "./icbs.ts";
 *
 * buildRegions([{ region_code: "Y56", name: "London", ons_code: "E40000003" }])[0].region_code;
 * // "Y56"
 * ```
 */
export function buildRegions(
  rows: readonly ReferenceRow<"regions">[],
): SeedRecord<"nhs_england_region">[] {
  return rows.map((r) => ({
    region_code: r.region_code.trim(),
    boundary_identifier: text(r.ons_code),
    name: r.name.trim(),
    publication_date: PUBLICATION.nhs_england_region,
    source: "ods",
    ...odsDates(),
  }));
}

/** The trust → ICB → region map, as read. */
export interface IcbMap {
  /** Each ICB's region (the first row naming the ICB wins). */
  icbRegion: Map<string, string>;
  /** Per trust, the ICBs it appears with and in how many rows (first-appearance order). */
  perTrust: Map<string, Map<string, number>>;
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
  }
  return { icbRegion, perTrust };
}

/**
 * The ICB records, each with its region from the map (when the region is seeded).
 *
 * @example
 * ```ts
 * import { buildIcbs, readIcbMap } from "./icbs.ts";
 * import { Findings } from "./findings.ts";
 *
 * const f = new Findings();
 * const map = readIcbMap([{ trust_code: "RGT", icb_code: "QUE", region_code: "Y61" }], f);
 * const rows = [{ ods_code: "QUE", name: "NHS CAMBRIDGESHIRE AND PETERBOROUGH ICB", gss_code: "" }];
 * buildIcbs(rows, map, new Set(["Y61"]), f)[0].nhs_england_region_code; // "Y61"
 * ```
 */
export function buildIcbs(
  rows: readonly ReferenceRow<"integratedCareBoards">[],
  map: IcbMap,
  regionCodes: ReadonlySet<string>,
  f: Findings,
): SeedRecord<"integrated_care_board">[] {
  const file = LISTS.integratedCareBoards.file;
  return rows.map((i) => {
    const code = i.ods_code.trim();
    let region = map.icbRegion.get(code) ?? null;
    if (region === null) {
      f.miss("icb_region", file, code, null, "no row in the ICB map");
    } else if (!regionCodes.has(region)) {
      f.miss("icb_region", file, code, region, "unknown NHS England region");
      region = null;
    }
    return {
      ods_code: code,
      boundary_identifier: text(i.gss_code),
      name: i.name.trim(),
      publication_date: PUBLICATION.integrated_care_board,
      nhs_england_region_code: region,
      source: "ods" as const,
      ...odsDates(),
    };
  });
}

/** The ICB a trust appears with in most rows; ties go to the one seen first. */
function mostRows(counts: ReadonlyMap<string, number>): string {
  let chosen = "";
  let best = 0;
  for (const [icb, n] of counts) {
    if (n > best) {
      chosen = icb;
      best = n;
    }
  }
  return chosen;
}

/**
 * Choose each trust's ICB (most rows wins, ties to the first seen); trusts seen with several
 * ICBs are noted for the report, an unknown ICB code is listed as unresolved.
 *
 * @example
 * ```ts
 * import { chooseTrustIcbs, readIcbMap } from "./icbs.ts";
 * import { Findings } from "./findings.ts";
 *
 * const f = new Findings();
 * const map = readIcbMap([{ trust_code: "RGT", icb_code: "QUE", region_code: "Y61" }], f);
 * chooseTrustIcbs(map, new Set(["QUE"]), f).get("RGT");
 * // { trust_code: "RGT", icb_code: "QUE", region_code: "Y61" }
 * ```
 */
export function chooseTrustIcbs(
  map: IcbMap,
  icbCodes: ReadonlySet<string>,
  f: Findings,
): Map<string, TrustIcbMembership> {
  const trustIcb = new Map<string, TrustIcbMembership>();
  for (const [trust, counts] of map.perTrust) {
    const chosen = mostRows(counts);
    if (!icbCodes.has(chosen)) {
      f.miss("trust_icb", LISTS.icbLocalAuthorities.file, trust, chosen, "unknown ICB code");
      continue;
    }
    trustIcb.set(trust, {
      trust_code: trust,
      icb_code: chosen,
      region_code: map.icbRegion.get(chosen) ?? "",
    });
    if (counts.size > 1) {
      f.notes.multiIcbTrusts.push({
        trust_code: trust,
        chosen,
        icbs: [...counts].map(([icb_code, rows]) => ({ icb_code, rows })),
        organisations: 0,
      });
    }
  }
  return trustIcb;
}
