/**
 * The GP practice part of a run, decided without I/O: what to ask ODS for (a baseline, or the
 * changes since a date), what the answers are (practices, sub-ICB locations, records to
 * quarantine), and the writes, sub-ICB locations first:
 *
 * 1. each fetched sub-ICB location, and each stored one whose ICB or region changed (an ICB the
 *    store didn't hold yet, an ICB that moved region);
 * 2. each fetched practice, its ICB and region through its commissioner as step 1 leaves it;
 * 3. each stored practice (not fetched) whose ICB or region, as the KV indexes hold them, no
 *    longer matches its commissioner's: they follow a sub-ICB location that moved ICB, also
 *    after a run that was cut short between the two;
 * 4. the quarantine entries of records that failed validation (retried by later runs).
 *
 * @module
 */
import { daysBetween } from "../dates.ts";
import * as keys from "../keys.ts";
import type { GeneralPractice, IntegratedCareBoard, SubIcbLocation } from "../model.ts";
import { relationshipsOf } from "../ods/dated.ts";
import {
  gpKindOf,
  type GpLookups,
  practiceGeography,
  practiceProblem,
  relationsDay,
  subIcbGeography,
  toGeneralPractice,
  toSubIcbLocation,
} from "../ods/practice.ts";
import type { OdsRecord } from "../ods/record.ts";
import type { FetchOutcome } from "../ods/source.ts";
import { recordWrite, type WriteGroup } from "../store.ts";
import type { QuarantineEntry } from "./plan.ts";
import { ORD_WINDOW_DAYS } from "./query.ts";

/** What the practice part of a run asks ODS for. */
export type PracticeQuery =
  | { kind: "baseline"; since: null }
  | { kind: "incremental"; since: string };

/** What {@linkcode practiceQuery} decides from. */
export interface PracticeQueryInput {
  /** The run's own query: a baseline, or the changes since `since`. */
  runKind: "baseline" | "incremental";
  since: string | null;
  /** The date practices were last synced up to (`null`: never). */
  gpCursor: string | null;
  today: string;
  source: "ord" | "fhir";
}

/**
 * The practice query of a run: a baseline when the run is one, when practices were never synced,
 * or (ORD) when their cursor is older than the 185-day window; else the changes since the
 * earlier of their cursor and the run's date (so the defensive re-query covers them too).
 *
 * @example
 * ```ts
 * import { practiceQuery } from "./practice_plan.ts";
 *
 * const run = { runKind: "incremental" as const, since: "2025-06-10", today: "2025-06-11" };
 * practiceQuery({ ...run, gpCursor: null, source: "ord" }); // { kind: "baseline", since: null }
 * practiceQuery({ ...run, gpCursor: "2025-06-09", source: "ord" });
 * // { kind: "incremental", since: "2025-06-09" }
 * ```
 */
export function practiceQuery(input: PracticeQueryInput): PracticeQuery {
  const { gpCursor, since } = input;
  if (input.runKind === "baseline" || since === null || gpCursor === null) {
    return { kind: "baseline", since: null };
  }
  if (input.source === "ord" && daysBetween(gpCursor, input.today) > ORD_WINDOW_DAYS) {
    return { kind: "baseline", since: null };
  }
  return { kind: "incremental", since: gpCursor < since ? gpCursor : since };
}

/** A practice's derived fields as the KV indexes hold them. */
export interface StoredGeography {
  commissioner: string | null;
  icb: string | null;
  region: string | null;
}

/** What the store holds that the practice writes derive from. */
export interface PracticeState {
  subIcbs: ReadonlyMap<string, SubIcbLocation>;
  icbs: ReadonlyMap<string, Pick<IntegratedCareBoard, "nhs_england_region_code">>;
  /** The Welsh local health boards held. */
  boards: ReadonlySet<string>;
  /** Every stored practice's derived fields (from the indexes), by code. */
  stored: ReadonlyMap<string, StoredGeography>;
}

/** The outcomes of the practice fetch, sorted. */
export interface SortedPractices {
  subIcbs: Map<string, OdsRecord>;
  practices: Map<string, OdsRecord>;
  /** `code` and `reason` of each record to quarantine. */
  invalid: { code: string; reason: string }[];
  /** `code: reason` of each record still failing after retries (the run fails). */
  errors: string[];
  notFound: string[];
}

/**
 * Sort the fetch outcomes: valid practices and sub-ICB locations (records of other roles are
 * left out), invalid ones (a parse failure or {@linkcode practiceProblem}), errors, not found.
 *
 * @example
 * ```ts
 * import { sortPracticeOutcomes } from "./practice_plan.ts";
 *
 * sortPracticeOutcomes([{ status: "error", code: "Y01234", reason: "HTTP 503" }]).errors;
 * // ["Y01234: HTTP 503"]
 * ```
 */
export function sortPracticeOutcomes(outcomes: Iterable<FetchOutcome>): SortedPractices {
  const out: SortedPractices = {
    subIcbs: new Map(),
    practices: new Map(),
    invalid: [],
    errors: [],
    notFound: [],
  };
  for (const o of outcomes) {
    if (o.status === "error") out.errors.push(`${o.code}: ${o.reason}`);
    else if (o.status === "not_found") out.notFound.push(o.code);
    else if (o.status === "invalid") out.invalid.push({ code: o.code, reason: o.reason });
    else {
      const kind = gpKindOf(o.record);
      const problem = kind === "general_practice" ? practiceProblem(o.record) : null;
      if (problem) out.invalid.push({ code: o.code, reason: problem });
      else if (kind === "general_practice") out.practices.set(o.code, o.record);
      else if (kind === "sub_icb_location") out.subIcbs.set(o.code, o.record);
    }
  }
  return out;
}

/** What {@linkcode planPracticeWrites} needs. */
export interface PracticePlanInput {
  records: Pick<SortedPractices, "subIcbs" | "practices">;
  state: PracticeState;
  /** Quarantined before this run (released when the record applies). */
  quarantined: ReadonlyMap<string, QuarantineEntry>;
  /** Quarantined by this run. */
  quarantine: readonly QuarantineEntry[];
  /** The run's UK date. */
  on: string;
}

/**
 * The write groups of the practice part of a run (see the module documentation for the order).
 *
 * @example
 * ```ts
 * import { planPracticeWrites } from "./practice_plan.ts";
 *
 * planPracticeWrites({
 *   records: { subIcbs: new Map(), practices: new Map() },
 *   state: { subIcbs: new Map(), icbs: new Map(), boards: new Set(), stored: new Map() },
 *   quarantined: new Map(),
 *   quarantine: [],
 *   on: "2025-06-11",
 * }); // []: nothing to write
 * ```
 */
export function planPracticeWrites(input: PracticePlanInput): WriteGroup[] {
  const { records, state, on } = input;
  const icbLookup: Pick<GpLookups, "icb"> = { icb: (code) => state.icbs.get(code) ?? null };
  const planned = plannedSubIcbs(records.subIcbs, state, icbLookup, on);
  const lookups: GpLookups = {
    ...icbLookup,
    subIcb: (code) => planned.get(code) ?? state.subIcbs.get(code) ?? null,
    isBoard: (code) => state.boards.has(code),
  };
  const release = (code: string) =>
    input.quarantined.has(code) ? { delete: [keys.quarantineKey(code)] } : undefined;
  const groups: WriteGroup[] = [];
  for (const [code, next] of planned) {
    const record = records.subIcbs.get(code);
    groups.push({
      writes: [recordWrite(
        "sub_icb_location",
        code,
        (cur) => {
          if (cur && cur.source !== "ods") return undefined;
          return record ? toSubIcbLocation(record, cur, icbLookup, on) : cur && { ...cur, ...next };
        },
        record?.lastChangeDate,
        record?.name,
      )],
      extra: () => release(code),
    });
  }
  for (const [code, record] of records.practices) {
    groups.push({
      writes: [recordWrite(
        "general_practice",
        code,
        (cur) => {
          if (cur && cur.source !== "ods") return undefined;
          return toGeneralPractice(record, cur, lookups, on);
        },
        record.lastChangeDate,
        record.name,
      )],
      extra: () => release(code),
    });
  }
  for (const code of staleFollowers(state.stored, records.practices, lookups)) {
    groups.push({ writes: [recordWrite("general_practice", code, (cur) => follow(cur, lookups))] });
  }
  if (input.quarantine.length) groups.push(quarantineGroup(input));
  return groups;
}

/**
 * The sub-ICB locations this run writes, as it leaves them: every fetched one, and every stored
 * one whose ICB or region, derived again from its stored facts, differs from what it holds.
 */
function plannedSubIcbs(
  fetched: ReadonlyMap<string, OdsRecord>,
  state: PracticeState,
  icbs: Pick<GpLookups, "icb">,
  on: string,
): Map<string, SubIcbLocation> {
  const out = new Map<string, SubIcbLocation>();
  for (const [code, record] of fetched) {
    out.set(code, toSubIcbLocation(record, state.subIcbs.get(code) ?? null, icbs, on));
  }
  for (const [code, stored] of state.subIcbs) {
    if (out.has(code) || stored.source !== "ods") continue;
    const day = relationsDay({
      operational: { start: stored.operational_start, end: stored.operational_end },
    }, on);
    const geo = subIcbGeography(relationshipsOf(stored.ods_facts), icbs, day);
    if (
      geo.integrated_care_board_code !== stored.integrated_care_board_code ||
      geo.nhs_england_region_code !== stored.nhs_england_region_code
    ) out.set(code, { ...stored, ...geo });
  }
  return out;
}

/**
 * Stored practices not fetched in this run whose ICB or region differs from what their
 * commissioner gives now.
 *
 * @example
 * ```ts
 * import { staleFollowers } from "./practice_plan.ts";
 *
 * const stored = new Map([["G81086", { commissioner: "97R", icb: "QXU", region: "Y59" }]]);
 * const lookups = {
 *   icb: () => null,
 *   subIcb: () => ({ integrated_care_board_code: "QNX", nhs_england_region_code: "Y59" }),
 *   isBoard: () => false,
 * };
 * staleFollowers(stored, new Map(), lookups); // ["G81086"]: 97R moved to QNX
 * ```
 */
export function staleFollowers(
  stored: ReadonlyMap<string, StoredGeography>,
  fetched: ReadonlyMap<string, unknown>,
  lookups: Pick<GpLookups, "subIcb" | "isBoard">,
): string[] {
  const out: string[] = [];
  for (const [code, held] of stored) {
    if (fetched.has(code)) continue;
    const now = practiceGeography(held.commissioner, lookups);
    if (
      now.integrated_care_board_code !== held.icb || now.nhs_england_region_code !== held.region
    ) {
      out.push(code);
    }
  }
  return out.sort();
}

/** A stored practice re-deriving its geography from its commissioner. */
function follow(
  cur: GeneralPractice | null,
  lookups: Pick<GpLookups, "subIcb" | "isBoard">,
): GeneralPractice | undefined {
  if (!cur || cur.source !== "ods") return undefined;
  return { ...cur, ...practiceGeography(cur.commissioner_code, lookups) };
}

/** This run's quarantine entries (new, or counting another attempt). */
function quarantineGroup(input: PracticePlanInput): WriteGroup {
  return {
    writes: [],
    extra: () => ({
      set: input.quarantine.map((q) => {
        const prev = input.quarantined.get(q.code);
        const entry: QuarantineEntry = prev
          ? {
            ...prev,
            reason: q.reason,
            last_seen_at: q.last_seen_at,
            attempts: prev.attempts + 1,
            run_id: q.run_id,
          }
          : q;
        return [keys.quarantineKey(q.code), { ...entry, gp: true }] as [Deno.KvKey, unknown];
      }),
    }),
  };
}
