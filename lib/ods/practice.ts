/**
 * Pure mapping of ODS records onto GP practices and sub-ICB locations.
 *
 * - A **GP practice** is a record with the non-primary role RO76 GP PRACTICE (its primary role
 *   is RO177 PRESCRIBING COST CENTRE). Its commissioner is the target of `RE4` IS COMMISSIONED
 *   BY in force on the date: a sub-ICB location, or, for a Welsh practice, its local health
 *   board. ICB and NHS England region come through the commissioner (the sub-ICB location's,
 *   never guessed from the address); its primary care network is the `RE8` IS PARTNER TO target.
 * - A **sub-ICB location** is a record whose primary role is RO98 (former CCGs keep it). Its ICB
 *   is the `RE5` target in force that the store holds as an ICB; its region is that ICB's.
 * - A **closed** practice (or sub-ICB location) keeps the relationships it had on its last day
 *   (its operational end): an audit looking up a patient's former practice still gets its ICB.
 *
 * What is in force follows ODS's dates (`./dated.ts`), never `Status` alone. The stored dated
 * facts of both kinds carry no relationship target roles and no successions: the FHIR API gives
 * neither without a request per target or per record, and none of the derivations needs them,
 * so leaving them out keeps what either source stores the same.
 *
 * @module
 */
import type { GeneralPractice, GpKind, OdsFacts, SubIcbLocation } from "../model.ts";
import { keptLocalAuthority } from "./postcode_lookup.ts";
import { ukDate } from "../dates.ts";
import { type Lines, placeLines } from "./address_lines.ts";
import { activeOn, factsOf, governing, inForce } from "./dated.ts";
import { type OdsRecord, type OdsRelationship, type Period, REL, ROLE } from "./record.ts";

/**
 * Which GP kind an ODS record is: `general_practice` for a record with role RO76,
 * `sub_icb_location` for a record whose primary role is RO98, else `null`.
 *
 * @example
 * ```ts
 * import { gpKindOf } from "./practice.ts";
 *
 * const role = (id: string, primary: boolean) =>
 *   ({ id, primary, active: true, operational: { start: "1974-04-01", end: null } });
 * gpKindOf({ primaryRole: "RO177", roles: [role("RO177", true), role("RO76", false)] });
 * // "general_practice"
 * gpKindOf({ primaryRole: "RO98", roles: [role("RO98", true)] }); // "sub_icb_location"
 * gpKindOf({ primaryRole: "RO177", roles: [role("RO177", true)] }); // null: not a GP practice
 * ```
 */
export function gpKindOf(record: Pick<OdsRecord, "primaryRole" | "roles">): GpKind | null {
  if (record.roles.some((r) => r.id === ROLE.GP_PRACTICE)) return "general_practice";
  if (record.primaryRole === ROLE.SUB_ICB_LOCATION) return "sub_icb_location";
  return null;
}

/**
 * The target of the `id` relationship in force on `date`, whatever the target's role; overlaps
 * resolve to the one that started last, then the lower target code. `null` when none is.
 *
 * @example
 * ```ts
 * import { relationOn } from "./practice.ts";
 *
 * const rel = (target: string, start: string, end: string | null) => ({
 *   id: "RE4",
 *   target,
 *   targetRole: null,
 *   active: end === null,
 *   operational: { start, end },
 *   legal: { start: null, end: null },
 * });
 * const moved = [rel("06H", "2013-04-01", "2025-06-09"), rel("97R", "2025-06-10", null)];
 * relationOn(moved, "RE4", "2025-06-09"); // "06H"
 * relationOn(moved, "RE4", "2025-06-10"); // "97R"
 * ```
 */
export function relationOn(
  relationships: readonly OdsRelationship[],
  id: string,
  date: string,
): string | null {
  let best: { start: string; target: string } | null = null;
  for (const r of relationships) {
    if (r.id !== id) continue;
    const period = governing(r);
    if (!inForce(period, date)) continue;
    const start = period.start ?? "";
    if (!best || start > best.start || (start === best.start && r.target < best.target)) {
      best = { start, target: r.target };
    }
  }
  return best?.target ?? null;
}

/**
 * The dated facts stored for a practice or sub-ICB location: roles and relationships as ODS
 * dates them, without target roles or successions (see the module documentation).
 *
 * @example
 * ```ts
 * import { gpFacts } from "./practice.ts";
 *
 * const open = { start: "2020-04-01", end: null };
 * const facts = gpFacts({
 *   roles: [{ id: "RO177", primary: true, active: true, operational: open }],
 *   relationships: [{
 *     id: "RE4", target: "97R", targetRole: "RO98", active: true, operational: open,
 *     legal: { start: null, end: null },
 *   }],
 *   successions: [{ type: "Predecessor", target: "G81001", targetRole: "RO177", date: null }],
 * });
 * facts.relationships[0].target_role; // null
 * facts.successions; // []
 * ```
 */
export function gpFacts(
  r: Pick<OdsRecord, "roles" | "relationships" | "successions">,
): OdsFacts {
  const facts = factsOf({ ...r, successions: [], successionsKnown: true }, null);
  return {
    ...facts,
    relationships: facts.relationships.map((x) => ({ ...x, target_role: null })),
  };
}

/** The relationships a GP practice's derived fields come from. */
const PRACTICE_RELS: readonly string[] = [REL.IS_COMMISSIONED_BY, REL.IS_PARTNER_TO];

/**
 * Why a practice's relationships contradict their dates (an `RE4` or `RE8` without a start, or
 * ending before it starts), or `null`: such a record is quarantined, not half-applied.
 *
 * @example
 * ```ts
 * import { practiceProblem } from "./practice.ts";
 *
 * practiceProblem({
 *   relationships: [{
 *     id: "RE4", target: "97R", targetRole: "RO98", active: true,
 *     operational: { start: null, end: null }, legal: { start: null, end: null },
 *   }],
 * }); // "relationship RE4 to 97R has no start date"
 * ```
 */
export function practiceProblem(r: Pick<OdsRecord, "relationships">): string | null {
  for (const rel of r.relationships) {
    if (!PRACTICE_RELS.includes(rel.id)) continue;
    const what = `relationship ${rel.id} to ${rel.target}`;
    const p = governing(rel);
    if (p.start === null) return `${what} has no start date`;
    if (p.end !== null && p.end < p.start) return `${what} ends (${p.end}) before it starts`;
  }
  return null;
}

/** What a practice's or sub-ICB location's derived fields are looked up in. */
export interface GpLookups {
  /** An ICB the store holds, with its NHS England region; `null` when not held. */
  icb(code: string): { nhs_england_region_code: string | null } | null;
  /** A sub-ICB location as the run leaves it; `null` when not held. */
  subIcb(
    code: string,
  ): Pick<SubIcbLocation, "integrated_care_board_code" | "nhs_england_region_code"> | null;
  /** Is `code` a Welsh local health board the store holds? */
  isBoard(code: string): boolean;
}

/** The ICB and region of a sub-ICB location, derived on a date. */
export type SubIcbGeography = Pick<
  SubIcbLocation,
  "integrated_care_board_code" | "nhs_england_region_code"
>;

/**
 * A sub-ICB location's ICB (its `RE5` target in force on `date` among the ICBs the store holds)
 * and that ICB's region.
 *
 * @example
 * ```ts
 * import { subIcbGeography } from "./practice.ts";
 *
 * const re5 = {
 *   id: "RE5", target: "QKS", targetRole: null, active: true,
 *   operational: { start: "2022-07-01", end: null }, legal: { start: null, end: null },
 * };
 * const lookups = {
 *   icb: (code: string) => code === "QKS" ? { nhs_england_region_code: "Y59" } : null,
 *   subIcb: () => null,
 *   isBoard: () => false,
 * };
 * subIcbGeography([re5], lookups, "2025-06-10");
 * // { integrated_care_board_code: "QKS", nhs_england_region_code: "Y59" }
 * ```
 */
export function subIcbGeography(
  relationships: readonly OdsRelationship[],
  lookups: Pick<GpLookups, "icb">,
  date: string,
): SubIcbGeography {
  const toIcbs = relationships.filter((r) =>
    r.id === REL.IS_LOCATED_IN_THE_GEOGRAPHY_OF && lookups.icb(r.target) !== null
  );
  const icb = relationOn(toIcbs, REL.IS_LOCATED_IN_THE_GEOGRAPHY_OF, date);
  return {
    integrated_care_board_code: icb,
    nhs_england_region_code: icb ? lookups.icb(icb)?.nhs_england_region_code ?? null : null,
  };
}

/** The fields of a practice that follow from its commissioner. */
export type PracticeGeography = Pick<
  GeneralPractice,
  "local_health_board_code" | "integrated_care_board_code" | "nhs_england_region_code"
>;

/**
 * The geography of a practice commissioned by `commissioner`: a Welsh board is its local health
 * board (no ICB, no region); a sub-ICB location gives its ICB and region.
 *
 * @example
 * ```ts
 * import { practiceGeography } from "./practice.ts";
 *
 * const lookups = {
 *   icb: () => null,
 *   subIcb: (code: string) =>
 *     code === "97R"
 *       ? { integrated_care_board_code: "QNX", nhs_england_region_code: "Y59" }
 *       : null,
 *   isBoard: (code: string) => code === "7A1",
 * };
 * practiceGeography("97R", lookups).integrated_care_board_code; // "QNX"
 * practiceGeography("7A1", lookups).local_health_board_code; // "7A1"
 * ```
 */
export function practiceGeography(
  commissioner: string | null,
  lookups: Pick<GpLookups, "subIcb" | "isBoard">,
): PracticeGeography {
  if (commissioner !== null && lookups.isBoard(commissioner)) {
    return {
      local_health_board_code: commissioner,
      integrated_care_board_code: null,
      nhs_england_region_code: null,
    };
  }
  const sub = commissioner === null ? null : lookups.subIcb(commissioner);
  return {
    local_health_board_code: null,
    integrated_care_board_code: sub?.integrated_care_board_code ?? null,
    nhs_england_region_code: sub?.nhs_england_region_code ?? null,
  };
}

/**
 * The day a practice's relationships are read on, for the state on `date`: its last day when it
 * had closed by then (its governing period ended before `date`), else `date`.
 *
 * @example
 * ```ts
 * import { relationsDay } from "./practice.ts";
 *
 * const closed = { operational: { start: "1974-04-01", end: "2024-03-31" } };
 * relationsDay(closed, "2025-06-10"); // "2024-03-31"
 * relationsDay(closed, "2020-01-01"); // "2020-01-01"
 * ```
 */
export function relationsDay(
  r: { operational: { start: string | null; end: string | null }; legal?: Period | null },
  date: string,
): string {
  const end = governing(r).end;
  return end !== null && end < date ? end : date;
}

/** Today in the UK: the default date of the mappings (the sync passes its own). */
const today = (): string => ukDate(new Date());

/** The address lines of `r`, placed where the stored ones are when the source can't say. */
function linesOf(r: OdsRecord, current: GeneralPractice | null): Lines {
  const { line1, line2, line3 } = r.address;
  if (!r.absent?.includes("line_positions")) return [line1, line2, line3];
  const stored = current
    ? [current.address_line_1, current.address_line_2, current.address_line_3]
    : [];
  return placeLines([line1, line2, line3].filter((l): l is string => !!l), stored);
}

/**
 * The GP practice after applying `r` on `date`. ODS owns every field; a county the source can't
 * express (FHIR without a `district`) keeps the stored one.
 *
 * @example
 * ```ts
 * import { toGeneralPractice } from "./practice.ts";
 *
 * const open = { start: "2020-04-01", end: null };
 * const none = { start: null, end: null };
 * const gp = toGeneralPractice({
 *   code: "G81086", name: "UCKFIELD SURGERY", active: true, lastChangeDate: "2025-01-10",
 *   recordClass: "RC1", refOnly: false, primaryRole: "RO177",
 *   roles: [{ id: "RO177", primary: true, active: true, operational: open }],
 *   operational: open, legal: none,
 *   address: { line1: "HIGH STREET", line2: null, line3: null, town: "UCKFIELD", county: null,
 *     postcode: "TN22 1AB", country: "ENGLAND", uprn: null },
 *   telephone: "01825 700000", website: null, email: null,
 *   relationships: [{ id: "RE4", target: "97R", targetRole: "RO98", active: true,
 *     operational: open, legal: none }],
 *   successions: [],
 * }, null, {
 *   subIcb: () => ({ integrated_care_board_code: "QNX", nhs_england_region_code: "Y59" }),
 *   isBoard: () => false,
 * }, "2025-06-10");
 * [gp.commissioner_code, gp.integrated_care_board_code, gp.nhs_england_region_code];
 * // ["97R", "QNX", "Y59"]
 * ```
 */
export function toGeneralPractice(
  r: OdsRecord,
  current: GeneralPractice | null,
  lookups: Pick<GpLookups, "subIcb" | "isBoard">,
  on = today(),
): GeneralPractice {
  const [line1, line2, line3] = linesOf(r, current);
  const day = relationsDay(r, on);
  const commissioner = relationOn(r.relationships, REL.IS_COMMISSIONED_BY, day);
  const county = r.absent?.includes("county") && current ? current.county : r.address.county;
  return {
    ods_code: r.code,
    name: r.name,
    address_line_1: line1,
    address_line_2: line2,
    address_line_3: line3,
    town: r.address.town,
    county,
    postcode: r.address.postcode,
    local_authority: keptLocalAuthority(current, r.address.postcode),
    country: r.address.country,
    telephone: r.telephone,
    active: activeOn(r, on),
    operational_start: r.operational.start,
    operational_end: r.operational.end,
    last_change_date: r.lastChangeDate,
    commissioner_code: commissioner,
    ...practiceGeography(commissioner, lookups),
    primary_care_network_code: relationOn(r.relationships, REL.IS_PARTNER_TO, day),
    ods_facts: gpFacts(r),
    ...deletionKept(current, r.lastChangeDate),
    source: "ods",
    updated_at: current?.updated_at ?? "",
  };
}

/**
 * The deletion mark a practice keeps when ODS sends its record again: ODS's deletion stands
 * until ODS changes the record after it (the code is in use again).
 */
function deletionKept(
  current: GeneralPractice | null,
  lastChange: string | null,
): { ods_deleted?: string } {
  const deleted = current?.ods_deleted;
  if (!deleted || (lastChange !== null && lastChange > deleted)) return {};
  return { ods_deleted: deleted };
}

/**
 * The sub-ICB location after applying `r` on `date`.
 *
 * @example
 * ```ts
 * import { toSubIcbLocation } from "./practice.ts";
 *
 * const open = { start: "2022-07-01", end: null };
 * const none = { start: null, end: null };
 * const loc = toSubIcbLocation({
 *   code: "91Q", name: "NHS KENT AND MEDWAY ICB - 91Q", active: true,
 *   lastChangeDate: "2023-07-04", recordClass: "RC1", refOnly: false, primaryRole: "RO98",
 *   roles: [{ id: "RO98", primary: true, active: true, operational: open }],
 *   operational: open, legal: none,
 *   address: { line1: null, line2: null, line3: null, town: null, county: null,
 *     postcode: "ME14 4PL", country: "ENGLAND", uprn: null },
 *   telephone: null, website: null, email: null,
 *   relationships: [{ id: "RE5", target: "QKS", targetRole: "RO261", active: true,
 *     operational: open, legal: none }],
 *   successions: [],
 * }, null, { icb: () => ({ nhs_england_region_code: "Y59" }) }, "2025-06-10");
 * loc.integrated_care_board_code; // "QKS"
 * ```
 */
export function toSubIcbLocation(
  r: OdsRecord,
  current: SubIcbLocation | null,
  lookups: Pick<GpLookups, "icb">,
  on = today(),
): SubIcbLocation {
  return {
    ods_code: r.code,
    name: r.name,
    postcode: r.address.postcode,
    active: activeOn(r, on),
    operational_start: r.operational.start,
    operational_end: r.operational.end,
    last_change_date: r.lastChangeDate,
    ...subIcbGeography(r.relationships, lookups, relationsDay(r, on)),
    ods_facts: gpFacts(r),
    source: "ods",
    updated_at: current?.updated_at ?? "",
  };
}
