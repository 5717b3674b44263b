/**
 * Pure planning of a sync run's writes: which records change, in which order, what follows from
 * a parent's move, and what goes on the review list or into quarantine.
 *
 * @module
 */
import * as keys from "../keys.ts";
import { type SiteMemberships, withMemberships } from "../memberships.ts";
import type { Entities, IntegratedCareBoard, Organisation, Trust } from "../model.ts";
import { ODS_KINDS, type OdsKind, type ParentLookup, toEntity } from "../ods/entities.ts";
import type { OdsRecord } from "../ods/record.ts";
import { recordWrite, type Store, type WriteGroup } from "../store.ts";
import { type ReviewItem, reviewItemsFor } from "./review.ts";
import { datedReviewItems } from "./upcoming.ts";

/** A quarantined ODS record: failed validation, retried on every later run. */
export interface QuarantineEntry {
  code: string;
  reason: string;
  first_seen_at: string;
  last_seen_at: string;
  attempts: number;
  run_id: string;
  /** Found by the GP practice sync, which retries it (the organisations' sync leaves it alone). */
  gp?: boolean;
}

/** The stored ODS-backed records, by kind and code. */
export type CurrentState = { [K in OdsKind]: Map<string, Entities[K]> };

/** ODS records fetched in this run, with the kinds of entity each one updates. */
export type RecordsToApply = Map<string, { kinds: OdsKind[]; record: OdsRecord }>;

/**
 * Read every ODS-backed kind from the store.
 *
 * @example
 * ```ts
 * import { Store } from "../store.ts";
 * import { loadCurrent } from "./plan.ts";
 *
 * const store = await Store.open(":memory:");
 * (await loadCurrent(store)).trust.size; // 0
 * store.close();
 * ```
 */
export async function loadCurrent(store: Store): Promise<CurrentState> {
  const current = {} as Record<OdsKind, Map<string, unknown>>;
  for (const kind of ODS_KINDS) {
    const map = new Map<string, unknown>();
    for (const rec of await store.list(kind)) {
      const code = kind === "nhs_england_region"
        ? (rec as Entities["nhs_england_region"]).region_code
        : (rec as { ods_code: string }).ods_code;
      map.set(code, rec);
    }
    current[kind] = map;
  }
  return current as CurrentState;
}

/**
 * The codes the sync keeps current (source `ods`), with the kinds each one is stored as.
 *
 * @example
 * ```ts
 * import { type CurrentState, trackedCodes } from "./plan.ts";
 *
 * const current = {
 *   organisation: new Map([["RGT1W", { source: "curated" }]]),
 *   trust: new Map([["RGT", { source: "ods" }]]),
 *   local_health_board: new Map(),
 *   integrated_care_board: new Map(),
 *   nhs_england_region: new Map(),
 * } as unknown as CurrentState;
 * [...trackedCodes(current).keys()]; // ["RGT"]: curated records are never synced
 * ```
 */
export function trackedCodes(current: CurrentState): Map<string, OdsKind[]> {
  const held = new Map<string, OdsKind[]>();
  for (const kind of ODS_KINDS) {
    for (const [code, rec] of current[kind] as Map<string, { source: string }>) {
      if (rec.source === "ods") held.set(code, [...(held.get(code) ?? []), kind]);
    }
  }
  return held;
}

/**
 * The OPEN UK network most of a trust's (or board's) organisations belong to.
 *
 * @example
 * ```ts
 * import type { Organisation } from "../model.ts";
 * import { networkLookup } from "./plan.ts";
 *
 * const look = networkLookup([
 *   { trust_code: "RGT", local_health_board_code: null, openuk_network_code: "EPEN" },
 * ] as Organisation[]);
 * look("RGT"); // "EPEN"
 * ```
 */
export function networkLookup(orgs: Iterable<Organisation>): (parentCode: string) => string | null {
  const counts = new Map<string, Map<string, number>>();
  for (const o of orgs) {
    const parent = o.trust_code ?? o.local_health_board_code;
    if (!parent || !o.openuk_network_code) continue;
    const m = counts.get(parent) ?? new Map<string, number>();
    m.set(o.openuk_network_code, (m.get(o.openuk_network_code) ?? 0) + 1);
    counts.set(parent, m);
  }
  return (code) => {
    const m = counts.get(code);
    return m ? [...m.entries()].sort((a, b) => b[1] - a[1])[0][0] : null;
  };
}

const NO_PARENTS: ParentLookup = { trust: () => null, icb: () => null };

/** What {@linkcode planWrites} needs. */
export interface PlanInput {
  records: RecordsToApply;
  current: CurrentState;
  /** Quarantined before this run (cleared when the record applies). */
  quarantined: ReadonlyMap<string, QuarantineEntry>;
  /** Quarantined by this run. */
  quarantine: readonly QuarantineEntry[];
  /** `kind:code` of parents created by this run. */
  newParents: ReadonlySet<string>;
  /** Sites the 2024 PDU list names, created by this run, with their memberships. */
  newSites?: ReadonlyMap<string, SiteMemberships>;
  networkOfParent: (parentCode: string) => string | null;
  /** The run's UK date: parents and `active` are those in force on it. */
  on: string;
  runId: string;
  time: string;
  makeId: () => string;
  /** Receives review items as their commits are planned. */
  onReview: (items: ReviewItem[]) => void;
}

/**
 * The write groups of a run, parents first. Each ODS record is one group (record, indexes, change
 * log, review items, quarantine release); organisations whose trust moved ICB, or whose ICB moved
 * region, follow in groups of their own; quarantine entries go last.
 *
 * @example
 * ```ts
 * import { type CurrentState, planWrites } from "./plan.ts";
 *
 * const none = {
 *   organisation: new Map(),
 *   trust: new Map(),
 *   local_health_board: new Map(),
 *   integrated_care_board: new Map(),
 *   nhs_england_region: new Map(),
 * } as CurrentState;
 * planWrites({
 *   records: new Map(),
 *   current: none,
 *   quarantined: new Map(),
 *   quarantine: [],
 *   newParents: new Set(),
 *   networkOfParent: () => null,
 *   on: "2026-11-25",
 *   runId: "r1",
 *   time: "2026-11-25T06:00:00.000Z",
 *   makeId: () => "id",
 *   onReview: () => {},
 * }); // []: nothing to write
 * ```
 */
export function planWrites(input: PlanInput): WriteGroup[] {
  const { records, current } = input;
  const planned = plannedParents(records, current, input.on);
  const parents: ParentLookup = {
    trust: (code) => planned.trust.get(code) ?? current.trust.get(code) ?? null,
    icb: (code) => planned.icb.get(code) ?? current.integrated_care_board.get(code) ?? null,
  };
  const groups = recordGroups(input, parents);
  for (const code of followers(current, planned, parents, records)) {
    groups.push(followerGroup(code, parents));
  }
  if (input.quarantine.length) groups.push(quarantineGroup(input));
  return groups;
}

/** Trusts and ICBs as this run will leave them (what their children derive from). */
interface Planned {
  trust: Map<string, Trust>;
  icb: Map<string, IntegratedCareBoard>;
}

function plannedParents(records: RecordsToApply, current: CurrentState, on: string): Planned {
  const planned: Planned = { trust: new Map(), icb: new Map() };
  for (const [code, { kinds, record }] of records) {
    if (kinds.includes("trust")) {
      planned.trust.set(
        code,
        toEntity("trust", record, current.trust.get(code) ?? null, NO_PARENTS, on),
      );
    }
    if (kinds.includes("integrated_care_board")) {
      const before = current.integrated_care_board.get(code) ?? null;
      planned.icb.set(code, toEntity("integrated_care_board", record, before, NO_PARENTS, on));
    }
  }
  return planned;
}

/** One group per record and kind, parents first. */
function recordGroups(input: PlanInput, parents: ParentLookup): WriteGroup[] {
  const { records, current, quarantined } = input;
  const ordered = [...records.entries()]
    .flatMap(([code, r]) => r.kinds.map((kind) => ({ code, kind, record: r.record })))
    .sort((a, b) =>
      ODS_KINDS.indexOf(a.kind) - ODS_KINDS.indexOf(b.kind) || a.code.localeCompare(b.code)
    );
  return ordered.map(({ code, kind, record }) => ({
    writes: [
      recordWrite(
        kind,
        code,
        (cur) => {
          if (cur && cur.source !== "ods") return undefined; // curated: never touched
          // Held when the run began, deleted since (a concurrent merge): never re-create it.
          if (!cur && (current[kind] as ReadonlyMap<string, unknown>).has(code)) return undefined;
          const next = toEntity(kind, record, cur as never, parents, input.on);
          const site = cur ? undefined : input.newSites?.get(code);
          return site ? withMemberships(next as Organisation, site) as typeof next : next;
        },
        record.lastChangeDate,
        record.name,
      ),
    ],
    extra: (entries) => {
      const ctx = { runId: input.runId, time: input.time, makeId: input.makeId };
      const items = [
        ...reviewItemsFor(entries, {
          ...ctx,
          networkOfParent: input.networkOfParent,
          newParents: input.newParents,
          newSites: input.newSites,
        }),
        ...entries.flatMap((e) => datedReviewItems(e, record, input.on, ctx)),
      ];
      input.onReview(items);
      return {
        set: items.map((i) => [keys.reviewKey(i.id), i] as [Deno.KvKey, unknown]),
        delete: quarantined.has(code) ? [keys.quarantineKey(code)] : [],
      };
    },
  }));
}

/** An organisation re-deriving its ICB and region from its trust's planned state. */
function followerGroup(code: string, parents: ParentLookup): WriteGroup {
  return {
    writes: [
      recordWrite("organisation", code, (cur) => {
        if (!cur || !cur.trust_code) return undefined;
        const icb = parents.trust(cur.trust_code)?.integrated_care_board_code ?? null;
        const region = icb ? parents.icb(icb)?.nhs_england_region_code ?? null : null;
        return { ...cur, integrated_care_board_code: icb, nhs_england_region_code: region };
      }),
    ],
  };
}

/** This run's quarantine entries (new, or counting another attempt). */
function quarantineGroup(input: PlanInput): WriteGroup {
  const { quarantined, runId, time } = input;
  return {
    writes: [],
    extra: () => ({
      set: input.quarantine.map((q) => {
        const prev = quarantined.get(q.code);
        const entry: QuarantineEntry = prev
          ? {
            ...prev,
            reason: q.reason,
            last_seen_at: time,
            attempts: prev.attempts + 1,
            run_id: runId,
          }
          : q;
        return [keys.quarantineKey(q.code), entry] as [Deno.KvKey, unknown];
      }),
    }),
  };
}

/**
 * Organisations not in this run whose stored ICB or region differs from what their trust (as
 * this run leaves it) implies, among those whose trust, or trust's ICB, this run read: they
 * follow a trust that moved ICB, or an ICB that moved region. Comparing with the stored values,
 * not the trust's previous ICB, also catches organisations an interrupted run left behind after
 * it had moved their trust.
 */
function followers(
  current: CurrentState,
  planned: Planned,
  parents: ParentLookup,
  records: RecordsToApply,
): string[] {
  const out: string[] = [];
  for (const org of current.organisation.values()) {
    if (!org.trust_code) continue;
    if (records.get(org.ods_code)?.kinds.includes("organisation")) continue;
    const icb = parents.trust(org.trust_code)?.integrated_care_board_code ?? null;
    const read = planned.trust.has(org.trust_code) || (icb !== null && planned.icb.has(icb));
    if (!read) continue;
    const region = icb ? parents.icb(icb)?.nhs_england_region_code ?? null : null;
    if (org.integrated_care_board_code !== icb || org.nhs_england_region_code !== region) {
      out.push(org.ods_code);
    }
  }
  return out;
}
