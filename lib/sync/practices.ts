/**
 * The GP practice part of a sync run (`SYNC_GP_PRACTICES`, on by default in the service and
 * `deno task sync`): after the organisations are applied, read the practices and sub-ICB
 * locations ODS changed since the practice cursor (or all of them, a baseline), retry the
 * practice records quarantined by earlier runs, and apply them with their followers
 * (`./practice_plan.ts`). The decisions are pure and live there; this module does the I/O.
 *
 * Its errors are the run's: a practice that can't be read fails the run, so the cursor (and the
 * practice cursor, `SyncState.gp_cursor`) never moves past data not applied. Records that fail
 * validation are quarantined and don't fail it.
 *
 * @module
 */
import * as keys from "../keys.ts";
import type { GeneralPractice } from "../model.ts";
import type { DeletedRecord, FetchOutcome, OdsSource, OnProgress } from "../ods/source.ts";
import { type ChangeEntry, recordWrite, type Store, type WriteGroup } from "../store.ts";
import { markDeleted } from "./deletions.ts";
import { describeError } from "./fetch.ts";
import type { QuarantineEntry } from "./plan.ts";
import {
  planPracticeWrites,
  type PracticeQuery,
  type PracticeState,
  sortPracticeOutcomes,
  type StoredGeography,
} from "./practice_plan.ts";
import { diffRows } from "./report.ts";
import type { PracticeSummary, RunWork } from "./run_record.ts";

/** The practice part's outcome. */
export interface PracticeWork {
  summary: PracticeSummary;
  entries: ChangeEntry[];
  quarantined: { code: string; reason: string }[];
  notFound: string[];
  errors: string[];
}

/** What {@linkcode syncPractices} needs. */
export interface PracticeRun {
  store: Store;
  source: OdsSource;
  query: PracticeQuery;
  /** The run's UK date. */
  on: string;
  runId: string;
  /** ISO instant of the run's writes. */
  time: string;
  dryRun: boolean;
  /** ODS's deletion list, read once by the run: practices in it are marked deleted. */
  deleted?: readonly DeletedRecord[];
  onProgress?: OnProgress;
}

/**
 * Read and apply the practices. Never throws for ODS or store trouble: it is in `errors`.
 *
 * @example
 * ```ts
 * import type { OdsSource } from "../ods/source.ts";
 * import { Store } from "../store.ts";
 * import { syncPractices } from "./practices.ts";
 *
 * const none = {
 *   name: "ord",
 *   gpPractices: () => Promise.resolve({ seen: 0, outcomes: [] }),
 *   fetchMany: () => Promise.resolve([]),
 * } as unknown as OdsSource;
 * const store = await Store.open(":memory:");
 * const work = await syncPractices({
 *   store, source: none, query: { kind: "baseline", since: null }, on: "2025-06-11",
 *   runId: "r1", time: "2025-06-11T06:00:00.000Z", dryRun: false,
 * });
 * work.summary.seen; // 0
 * store.close();
 * ```
 */
export async function syncPractices(run: PracticeRun): Promise<PracticeWork> {
  const { store, source, query } = run;
  const work: PracticeWork = {
    summary: {
      kind: query.kind,
      query_date: query.since,
      seen: 0,
      fetched: 0,
      changed: 0,
      created: 0,
      deleted: 0,
    },
    entries: [],
    quarantined: [],
    notFound: [],
    errors: [],
  };
  if (!source.gpPractices) return work;
  const quarantined = await loadQuarantined(store);
  const outcomes = new Map<string, FetchOutcome>();
  try {
    const changes = await source.gpPractices(query.since, run.onProgress);
    work.summary.seen = changes.seen;
    for (const o of changes.outcomes) outcomes.set(o.code, o);
    const retry = [...quarantined.keys()].filter((c) => !outcomes.has(c));
    for (const o of retry.length ? await source.fetchMany(retry) : []) outcomes.set(o.code, o);
  } catch (err) {
    return { ...work, errors: [describeError(err)] };
  }
  work.summary.fetched = outcomes.size;
  const sorted = sortPracticeOutcomes(outcomes.values());
  const quarantine = sorted.invalid.map(({ code, reason }): QuarantineEntry => ({
    code,
    reason,
    first_seen_at: run.time,
    last_seen_at: run.time,
    attempts: 1,
    run_id: run.runId,
    gp: true,
  }));
  const groups = planPracticeWrites({
    records: sorted,
    state: await loadPracticeState(store),
    quarantined,
    quarantine: run.dryRun ? [] : quarantine,
    on: run.on,
  });
  groups.push(...practiceDeletions(run.deleted ?? [], run.on));
  try {
    const result = await store.write(groups, {
      cause: "sync",
      runId: run.runId,
      time: run.time,
      dryRun: run.dryRun,
    });
    work.entries = result.entries;
  } catch (err) {
    return { ...work, errors: [`applying GP practices failed: ${describeError(err)}`] };
  }
  work.summary.changed = new Set(work.entries.map((e) => `${e.entity}:${e.code}`)).size;
  work.summary.created = work.entries.filter((e) => e.op === "create").length;
  work.summary.deleted =
    work.entries.filter((e) => e.changes.some((c) => c.field === "ods_deleted")).length;
  return { ...work, quarantined: sorted.invalid, notFound: sorted.notFound, errors: sorted.errors };
}

/**
 * The writes marking each stored practice in ODS's deletion list as deleted on its date (`on`
 * when the list gives none). No review item: practices are not curated by hand, so a deleted
 * one simply leaves today's answers (see lib/api/practice_snapshot.ts).
 *
 * @example
 * ```ts
 * import { practiceDeletions } from "./practices.ts";
 * practiceDeletions([{ code: "Y01234", date: "2026-05-01" }], "2026-05-02").length; // 1
 * ```
 */
export function practiceDeletions(
  deleted: readonly DeletedRecord[],
  on: string,
): WriteGroup[] {
  return deleted.map(({ code, date }) => ({
    writes: [recordWrite("general_practice", code, (cur) => markDeleted(cur, date ?? on))],
  }));
}

/** The quarantine entries the practice sync made (and retries). */
async function loadQuarantined(store: Store): Promise<Map<string, QuarantineEntry>> {
  const out = new Map<string, QuarantineEntry>();
  for await (const e of store.kv.list<QuarantineEntry>({ prefix: keys.quarantinePrefix })) {
    if (e.value.gp) out.set(e.value.code, e.value);
  }
  return out;
}

/** The index fields that hold each practice's derived geography. */
const GEOGRAPHY_INDEXES = {
  commissioner: "commissioner_code",
  icb: "integrated_care_board_code",
  region: "nhs_england_region_code",
} as const satisfies Record<keyof StoredGeography, keyof GeneralPractice>;

/**
 * What the practice writes derive from: the sub-ICB locations, ICBs and Welsh boards held, and
 * every practice's derived fields, read from the KV indexes (keys only, not 15,000 records).
 *
 * @example
 * ```ts
 * import { Store } from "../store.ts";
 * import { loadPracticeState } from "./practices.ts";
 *
 * const store = await Store.open(":memory:");
 * (await loadPracticeState(store)).stored.size; // 0: no practice stored
 * store.close();
 * ```
 */
export async function loadPracticeState(store: Store): Promise<PracticeState> {
  const [subIcbs, icbs, boards] = await Promise.all([
    store.list("sub_icb_location"),
    store.list("integrated_care_board"),
    store.list("local_health_board"),
  ]);
  const stored = new Map<string, StoredGeography>();
  for (const [name, field] of Object.entries(GEOGRAPHY_INDEXES)) {
    const prefix = keys.indexFieldPrefix("general_practice", field);
    for await (const e of store.kv.list({ prefix })) {
      const code = String(e.key[e.key.length - 1]);
      const held = stored.get(code) ?? { commissioner: null, icb: null, region: null };
      held[name as keyof StoredGeography] = String(e.key[e.key.length - 2]);
      stored.set(code, held);
    }
  }
  return {
    subIcbs: new Map(subIcbs.map((s) => [s.ods_code, s])),
    icbs: new Map(icbs.map((i) => [i.ods_code, i])),
    boards: new Set(boards.map((b) => b.ods_code)),
    stored,
  };
}

/**
 * A run's work with its practice part added: counts and errors, quarantined and not found, and
 * the diff rows of the practices' updates (a baseline's 15,000 creations are counted, not
 * listed field by field).
 *
 * @example
 * ```ts
 * import { withPractices } from "./practices.ts";
 * import { noWork } from "./run_record.ts";
 *
 * const summary = {
 *   kind: "baseline" as const, query_date: null, seen: 0, fetched: 0, changed: 0, created: 0,
 *   deleted: 0,
 * };
 * const gp = { summary, entries: [], quarantined: [], notFound: [], errors: ["ODS down"] };
 * withPractices(noWork("incremental", "2025-06-10"), gp).errors; // ["ODS down"]
 * ```
 */
export function withPractices(work: RunWork, gp: PracticeWork): RunWork {
  const updates = gp.entries.filter((e) => e.op === "update");
  return {
    ...work,
    fetched: work.fetched + gp.summary.fetched,
    changed: work.changed + gp.summary.changed,
    created: work.created + gp.summary.created,
    field_changes: work.field_changes + gp.entries.reduce((n, e) => n + e.changes.length, 0),
    quarantined: [...work.quarantined, ...gp.quarantined],
    not_found: [...work.not_found, ...gp.notFound],
    errors: [...work.errors, ...gp.errors],
    rows: [...work.rows, ...diffRows(updates)],
    gp_practices: gp.summary,
  };
}
