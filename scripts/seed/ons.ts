/**
 * The ONS boundary attributes the original served with ICBs, health boards, regions, countries
 * and London boroughs: names as ONS gives them (mixed case), Welsh names, centroids and global
 * ids, looked up by GSS code.
 *
 * @module
 */
import { type BoundaryAttributes, boundaryAttributes } from "../../lib/model.ts";
import type { Findings } from "./findings.ts";
import { type ListName, type ReferenceRow, specOf } from "./reference.ts";

/** The ONS lists that carry a centroid and a global id. */
export type CentroidList =
  | "onsCountries"
  | "onsIntegratedCareBoards"
  | "onsLocalHealthBoards"
  | "onsRegions";

/** An ONS row of one of the centroid lists. */
export type OnsRow<L extends CentroidList> = ReferenceRow<L>;

/** The attributes of a boundary with no ONS row: all `null`. */
export const NO_ATTRIBUTES: Required<BoundaryAttributes> = boundaryAttributes(null);

/**
 * An ONS list by GSS code (the first row of a code wins).
 *
 * @example
 * ```ts
 * import { byOnsCode } from "./ons.ts";
 *
 * byOnsCode([{ ons_code: "E40000003", name: "London" }]).get("E40000003")?.name; // "London"
 * ```
 */
export function byOnsCode<T extends { ons_code: string }>(rows: readonly T[]): Map<string, T> {
  const out = new Map<string, T>();
  for (const r of rows) if (!out.has(r.ons_code)) out.set(r.ons_code, r);
  return out;
}

/**
 * The centroid and global id of an ONS row, as the original served them.
 *
 * @example
 * ```ts
 * import { attributesOf } from "./ons.ts";
 *
 * const row = {
 *   ons_code: "E40000003", name: "London", bng_e: 517515, bng_n: 178392, long: -0.30866,
 *   lat: 51.4923, globalid: "5f0c37a2-1880-4224-84e8-d1d388ec5680",
 * };
 * attributesOf(row).bng_e; // 517515
 * ```
 */
export function attributesOf(
  row: Pick<OnsRow<"onsRegions">, "bng_e" | "bng_n" | "long" | "lat" | "globalid">,
): Required<BoundaryAttributes> {
  return boundaryAttributes(row);
}

/**
 * The ONS row of a seeded boundary, or `null` (listed as unresolved: the record keeps the
 * reference's name and has no attributes).
 *
 * @example
 * ```ts
 * import { onsRowFor } from "./ons.ts";
 * import { Findings } from "./findings.ts";
 *
 * const f = new Findings();
 * onsRowFor("onsRegions", new Map(), "Y56", "E40000003", f); // null
 * f.unresolved[0].reason; // "no row for E40000003 in ons_nhs_england_regions.json; ..."
 * ```
 */
export function onsRowFor<T>(
  list: ListName,
  rows: ReadonlyMap<string, T>,
  code: string,
  gss: string | null,
  f: Findings,
): T | null {
  const row = gss === null ? undefined : rows.get(gss);
  if (row) return row;
  const file = specOf(list).target ?? specOf(list).file;
  f.miss(
    "ons_boundary",
    file,
    code,
    gss,
    `no row for ${gss ?? "(no GSS code)"} in ${file}; the reference name is kept and the ` +
      "boundary attributes are null",
  );
  return null;
}
