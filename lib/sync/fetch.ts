/**
 * The sync's reads: what the store tracks, and what ODS says about it (the changes since the
 * cursor or every tracked record, quarantine retries, then parents not held yet). A baseline
 * also reads the sites the 2024 PDU list names that the store lacks (`./reference_sites.ts`).
 *
 * @module
 */
import * as keys from "../keys.ts";
import { log } from "../log.ts";
import type { SiteMemberships } from "../memberships.ts";
import type { OdsKind } from "../ods/entities.ts";
import { type FetchOutcome, OdsError, type OdsSource } from "../ods/source.ts";
import type { Store } from "../store.ts";
import { parentsWanted, recordsFrom } from "./fetched.ts";
import { completeSuccessions } from "./successions.ts";
import {
  type CurrentState,
  loadCurrent,
  type QuarantineEntry,
  type RecordsToApply,
  trackedCodes,
} from "./plan.ts";
import {
  loadReferenceSites,
  type ReferenceSites,
  siteMemberships,
  sortReferenceOutcomes,
} from "./reference_sites.ts";

/** New parents are looked for this many levels up (site → trust → ICB → region). */
const MAX_PARENT_DEPTH = 4;

/** What the store holds that the sync keeps current. */
export interface Tracked {
  current: CurrentState;
  /** ODS-backed codes, with the kinds each is stored as. */
  held: Map<string, OdsKind[]>;
  /** Quarantined by earlier runs, by code. */
  quarantined: Map<string, QuarantineEntry>;
  /** Sites the 2024 PDU list names that the store lacks: a baseline creates them. */
  referenceSites: ReferenceSites;
}

/**
 * Read what the sync tracks.
 *
 * @example
 * ```ts
 * import { Store } from "../store.ts";
 * import { loadTracked } from "./fetch.ts";
 *
 * const store = await Store.open(":memory:");
 * (await loadTracked(store)).held.size; // 0: nothing seeded
 * store.close();
 * ```
 */
export async function loadTracked(store: Store): Promise<Tracked> {
  const current = await loadCurrent(store);
  const quarantined = new Map<string, QuarantineEntry>();
  for await (const e of store.kv.list<QuarantineEntry>({ prefix: keys.quarantinePrefix })) {
    quarantined.set(e.value.code, e.value);
  }
  const isHeld = (code: string) =>
    current.organisation.has(code) || current.trust.has(code) ||
    current.local_health_board.has(code);
  const referenceSites = await loadReferenceSites(store, isHeld);
  return { current, held: trackedCodes(current), quarantined, referenceSites };
}

/** What ODS said, or why it couldn't be read (with what was seen before that). */
export type Fetched =
  | {
    ok: true;
    linksSeen: number;
    /** Every fetch outcome by code (tracked changes, retries, parents). */
    outcomes: Map<string, FetchOutcome>;
    /** The valid records, with the kinds each updates (new parents: the kind to create). */
    records: RecordsToApply;
    /** `kind:code` of parents this run creates. */
    newParents: Set<string>;
    /** Reference sites this run creates (a baseline), with their memberships. */
    newSites: Map<string, SiteMemberships>;
  }
  | { ok: false; linksSeen: number; error: string };

/**
 * Fetch a run's records: every tracked code and the reference sites to create (`since` `null`,
 * a baseline) or the tracked changes since `since` plus quarantined records to retry; then the
 * parents they need (in force on `on` or to come) that the store doesn't hold. Never throws for
 * ODS trouble.
 *
 * @example
 * ```ts
 * import type { OdsSource } from "../ods/source.ts";
 * import { Store } from "../store.ts";
 * import { fetchRecords, loadTracked } from "./fetch.ts";
 *
 * const quiet: OdsSource = {
 *   name: "ord",
 *   changesSince: () => Promise.resolve({ seen: 0, outcomes: [] }),
 *   fetchOne: (code) => Promise.resolve({ status: "not_found", code }),
 *   fetchMany: (codes) => Promise.resolve(codes.map((code) => ({ status: "not_found", code }))),
 *   stats: () => ({ requests: 0, retries: 0 }),
 * };
 * const store = await Store.open(":memory:");
 * const fetched = await fetchRecords(quiet, "2026-11-24", await loadTracked(store), "2026-11-25");
 * fetched.linksSeen; // 0
 * store.close();
 * ```
 */
export async function fetchRecords(
  source: OdsSource,
  since: string | null,
  tracked: Tracked,
  on: string,
  onProgress?: (done: number, total: number) => void,
): Promise<Fetched> {
  const { held, quarantined } = tracked;
  const outcomes = new Map<string, FetchOutcome>();
  let linksSeen = 0;
  try {
    if (since === null) {
      const codes = [...held.keys()].sort();
      linksSeen = codes.length;
      const sites = [...tracked.referenceSites.sites.keys()].filter((c) => !held.has(c));
      const all = [...codes, ...sites].sort();
      for (const o of await source.fetchMany(all, onProgress)) outcomes.set(o.code, o);
    } else {
      const changes = await source.changesSince(since, (code) => held.has(code), onProgress);
      linksSeen = changes.seen;
      for (const o of changes.outcomes) outcomes.set(o.code, o);
      const retry = [...quarantined.keys()].filter((c) => !outcomes.has(c) && held.has(c));
      for (const o of await source.fetchMany(retry)) outcomes.set(o.code, o);
    }
  } catch (err) {
    return { ok: false, linksSeen, error: describeError(err) };
  }
  const records = recordsFrom(outcomes.values(), held);
  const newSites = takeReferenceSites(outcomes, records, tracked, on);
  const newParents = new Set<string>();
  for (let depth = 0; depth < MAX_PARENT_DEPTH; depth++) {
    const wanted = parentsWanted(records, tracked.current, on);
    if (wanted.size === 0) break;
    let fetched: FetchOutcome[];
    try {
      fetched = await source.fetchMany([...wanted.keys()]);
    } catch (err) {
      return { ok: false, linksSeen, error: describeError(err) };
    }
    for (const o of fetched) {
      outcomes.set(o.code, o);
      if (o.status !== "ok") continue;
      records.set(o.code, { kinds: [wanted.get(o.code)!], record: o.record });
      newParents.add(`${wanted.get(o.code)}:${o.code}`);
    }
  }
  try {
    await completeSuccessions(source, records, tracked.current, outcomes);
  } catch (err) {
    return { ok: false, linksSeen, error: describeError(err) };
  }
  return { ok: true, linksSeen, outcomes, records, newParents, newSites };
}

/**
 * The reference sites among a baseline's outcomes: those ODS has as hospital sites join
 * `records` (as organisations to create), with their memberships; the others leave `outcomes`
 * (they are not tracked: neither errors nor withdrawn records) and are logged.
 */
function takeReferenceSites(
  outcomes: Map<string, FetchOutcome>,
  records: RecordsToApply,
  tracked: Tracked,
  on: string,
): Map<string, SiteMemberships> {
  const { sites } = tracked.referenceSites;
  const sorted = sortReferenceOutcomes(outcomes.values(), sites);
  for (const { code, reason } of sorted.skipped) {
    outcomes.delete(code);
    log("warn", "a site the 2024 PDU list names was not created", { code, reason });
  }
  const isTrust = (code: string) => tracked.current.trust.has(code);
  const out = new Map<string, SiteMemberships>();
  for (const [code, record] of sorted.found) {
    records.set(code, { kinds: ["organisation"], record });
    out.set(code, siteMemberships(code, record, tracked.referenceSites, isTrust, on));
  }
  return out;
}

/**
 * An error in words for the run record (`ODS unreachable: cannot reach …` for ODS errors).
 *
 * @example
 * ```ts
 * import { OdsError } from "../ods/source.ts";
 * import { describeError } from "./fetch.ts";
 *
 * describeError(new OdsError("window", "ORD refused LastChangeDate=2020-01-01"));
 * // "ODS window: ORD refused LastChangeDate=2020-01-01"
 * ```
 */
export function describeError(err: unknown): string {
  if (err instanceof OdsError) return `ODS ${err.kind}: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}
