/**
 * What the GP practice routes serve, without I/O: a stored practice as its item (the
 * `GeneralPractice` schema), the query's filters, and a practice as it was on a date
 * (`?as_of=`) from its dated relationships.
 *
 * Filters: `ods_code` (any case), `postcode` (normalised: case and spacing don't matter, so
 * `cb20qq` finds `CB2 0QQ`), `name` (contains, any case, as ORD's `Name` search), `active`,
 * `integrated_care_board` (the ICB code, any case).
 *
 * @module
 */
import type { GeneralPractice, SubIcbLocation } from "../model.ts";
import { activeOn, governing, relationshipsOf } from "../ods/dated.ts";
import {
  type GpLookups,
  practiceGeography,
  relationOn,
  relationsDay,
  subIcbGeography,
} from "../ods/practice.ts";
import { normalizeCode, type OdsRelationship, REL } from "../ods/record.ts";
import type { Filter, FilterSpec } from "./filters.ts";
import { fieldsOf, type Shape } from "./schemas.ts";

/** A practice as the routes serve it. */
export type PracticeItem = Shape<"GeneralPractice">;

/** The fields of a practice item, in order (what `?fields=` may name). */
export const PRACTICE_FIELDS: readonly string[] = fieldsOf("GeneralPractice");

/** The filters of `/general_practices/`. */
export const PRACTICE_FILTERS: FilterSpec = {
  ods_code: "string",
  postcode: "string",
  name: "string",
  active: "boolean",
  integrated_care_board: "string",
};

/**
 * The served item of a stored practice (its fields in the schema's order).
 *
 * @example
 * ```ts
 * import { practiceItem } from "./practice_view.ts";
 *
 * const item = practiceItem({
 *   ods_code: "G81086", name: "UCKFIELD SURGERY", address_line_1: "HIGH STREET",
 *   address_line_2: null, address_line_3: null, town: "UCKFIELD", county: "EAST SUSSEX",
 *   postcode: "TN22 1AB", country: "ENGLAND", telephone: "01825 700000", active: true,
 *   operational_start: "1974-04-01", operational_end: null, last_change_date: "2025-01-10",
 *   commissioner_code: "97R", local_health_board_code: null, integrated_care_board_code: "QNX",
 *   nhs_england_region_code: "Y59", primary_care_network_code: "U36842",
 *   ods_facts: { roles: [], relationships: [], successions: [] },
 *   source: "ods", updated_at: "2025-06-11T06:00:00.000Z",
 * });
 * Object.keys(item).length; // 20: no dated facts, source or updated_at
 * ```
 */
export function practiceItem(r: GeneralPractice): PracticeItem {
  return {
    ods_code: r.ods_code,
    name: r.name,
    address_line_1: r.address_line_1,
    address_line_2: r.address_line_2,
    address_line_3: r.address_line_3,
    town: r.town,
    county: r.county,
    postcode: r.postcode,
    country: r.country,
    telephone: r.telephone,
    active: r.active,
    operational_start: r.operational_start,
    operational_end: r.operational_end,
    last_change_date: r.last_change_date,
    commissioner_code: r.commissioner_code,
    local_health_board_code: r.local_health_board_code,
    integrated_care_board_code: r.integrated_care_board_code,
    nhs_england_region_code: r.nhs_england_region_code,
    primary_care_network_code: r.primary_care_network_code,
    local_authority: r.local_authority ?? null,
  };
}

/**
 * A postcode as compared: upper-case, without spaces.
 *
 * @example
 * ```ts
 * import { normalisePostcode } from "./practice_view.ts";
 *
 * normalisePostcode(" cb2  0qq"); // "CB20QQ"
 * ```
 */
export function normalisePostcode(postcode: string): string {
  return postcode.replace(/\s+/g, "").toUpperCase();
}

/**
 * The filters with their values as compared (codes and postcodes normalised, names in lower
 * case): what a query's answer is filed under, whatever its spelling.
 *
 * @example
 * ```ts
 * import { canonicalFilters } from "./practice_view.ts";
 *
 * canonicalFilters([{ field: "postcode", value: "cb2 0qq" }, { field: "ods_code", value: "y01" }]);
 * // [{ field: "postcode", value: "CB20QQ" }, { field: "ods_code", value: "Y01" }]
 * ```
 */
export function canonicalFilters(filters: readonly Filter[]): Filter[] {
  return filters.map(({ field, value }) => {
    if (typeof value !== "string") return { field, value };
    if (field === "postcode") return { field, value: normalisePostcode(value) };
    if (field === "name") return { field, value: value.toLowerCase() };
    return { field, value: normalizeCode(value) };
  });
}

/**
 * Does `item` pass every (canonical, {@linkcode canonicalFilters}) filter?
 *
 * @example
 * ```ts
 * import { practiceMatches } from "./practice_view.ts";
 *
 * const item = { ods_code: "Y01234", postcode: "CB2 0QQ", name: "PARK SURGERY", active: true,
 *   integrated_care_board_code: "QUE" };
 * practiceMatches(item, [{ field: "postcode", value: "CB20QQ" }, { field: "name", value: "park" }]);
 * // true
 * ```
 */
export function practiceMatches(
  item: Pick<
    PracticeItem,
    "ods_code" | "postcode" | "name" | "active" | "integrated_care_board_code"
  >,
  filters: readonly Filter[],
): boolean {
  return filters.every(({ field, value }) => {
    switch (field) {
      case "ods_code":
        return item.ods_code === value;
      case "postcode":
        return item.postcode !== null && normalisePostcode(item.postcode) === value;
      case "name":
        return item.name.toLowerCase().includes(String(value));
      case "active":
        return item.active === value;
      case "integrated_care_board":
        return item.integrated_care_board_code === value;
      default:
        return true;
    }
  });
}

const AS_OF_RELS: readonly string[] = [REL.IS_COMMISSIONED_BY, REL.IS_PARTNER_TO];

/**
 * What `?as_of=` needs of a stored practice beyond its item, kept compact (15,000 of them stay
 * in memory): its `RE4` and `RE8` relationships as one string of `id,target,start,end` entries
 * joined by `;` (each relationship's governing period).
 *
 * @example
 * ```ts
 * import { practiceRelations } from "./practice_view.ts";
 *
 * practiceRelations({
 *   ods_facts: { roles: [], successions: [], relationships: [{
 *     id: "RE4", target: "97R", target_role: null, active: true,
 *     operational: { start: "2013-04-01", end: null }, legal: { start: null, end: null },
 *   }] },
 * }); // "RE4,97R,2013-04-01,"
 * ```
 */
export function practiceRelations(r: Pick<GeneralPractice, "ods_facts">): string {
  let out = "";
  for (const x of r.ods_facts.relationships) {
    if (!AS_OF_RELS.includes(x.id)) continue;
    const p = governing(x);
    out += `${out ? ";" : ""}${x.id},${x.target},${p.start ?? ""},${p.end ?? ""}`;
  }
  return out;
}

/** The relationships of {@linkcode practiceRelations} in the parsed shape. */
function relationshipsIn(relations: string): OdsRelationship[] {
  if (!relations) return [];
  const none = { start: null, end: null };
  return relations.split(";").map((entry) => {
    const [id, target, start, end] = entry.split(",");
    return {
      id,
      target,
      targetRole: null,
      active: end === "",
      operational: { start: start || null, end: end || null },
      legal: none,
    };
  });
}

/** What the state of practices on a date is looked up in. */
export interface PracticeGeographyOn {
  /** A sub-ICB location's ICB and region on a date (`null` when not held). */
  subIcbOn(code: string, date: string): ReturnType<GpLookups["subIcb"]>;
  isBoard(code: string): boolean;
}

/**
 * The item of a practice as on `date`, from its item and {@linkcode practiceRelations}: `null`
 * when it had not opened yet; `active` by its dates (its `active` today when it has none);
 * commissioner, geography and network from its relationships in force then (its last day's, if
 * it had closed). Names and addresses are today's.
 *
 * @example
 * ```ts
 * import { practiceOn } from "./practice_view.ts";
 *
 * const item = { ods_code: "Y09999", operational_start: "2024-04-01", operational_end: null };
 * const geo = { subIcbOn: () => null, isBoard: () => false };
 * practiceOn(item as never, "", "2023-06-01", geo); // null: not opened yet
 * ```
 */
export function practiceOn(
  item: PracticeItem,
  relations: string,
  date: string,
  geo: PracticeGeographyOn,
): PracticeItem | null {
  const operational = { start: item.operational_start, end: item.operational_end };
  if (operational.start !== null && operational.start > date) return null;
  const day = relationsDay({ operational }, date);
  const relationships = relationshipsIn(relations);
  const commissioner = relationOn(relationships, REL.IS_COMMISSIONED_BY, day);
  const none = { start: null, end: null };
  return {
    ...item,
    active: activeOn({ active: item.active, operational, legal: none }, date),
    commissioner_code: commissioner,
    ...practiceGeography(commissioner, {
      subIcb: (code) => geo.subIcbOn(code, day),
      isBoard: geo.isBoard,
    }),
    primary_care_network_code: relationOn(relationships, REL.IS_PARTNER_TO, day),
  };
}

/**
 * A sub-ICB location's ICB (its `RE5` in force on the date, among the ICBs held) and region
 * (the ICB's region as held today), on `date`: its last day's when it had closed by then.
 *
 * @example
 * ```ts
 * import { subIcbOn } from "./practice_view.ts";
 *
 * const loc = {
 *   operational_start: "2022-07-01", operational_end: null,
 *   ods_facts: { roles: [], successions: [], relationships: [{
 *     id: "RE5", target: "QKS", target_role: null, active: true,
 *     operational: { start: "2022-07-01", end: null }, legal: { start: null, end: null },
 *   }] },
 * };
 * subIcbOn(loc, (code) => code === "QKS" ? "Y59" : undefined, "2025-06-10");
 * // { integrated_care_board_code: "QKS", nhs_england_region_code: "Y59" }
 * ```
 */
export function subIcbOn(
  loc: Pick<SubIcbLocation, "operational_start" | "operational_end" | "ods_facts">,
  regionOf: (icb: string) => string | null | undefined,
  date: string,
): ReturnType<GpLookups["subIcb"]> {
  const operational = { start: loc.operational_start, end: loc.operational_end };
  const icb = (code: string) => {
    const region = regionOf(code);
    return region === undefined ? null : { nhs_england_region_code: region };
  };
  return subIcbGeography(
    relationshipsOf(loc.ods_facts),
    { icb },
    relationsDay({ operational }, date),
  );
}
