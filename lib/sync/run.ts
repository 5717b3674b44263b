/**
 * One sync run: read what changed in ODS, apply it to the store, move the cursor only when every
 * tracked change was applied or quarantined, and record the run.
 *
 * @module
 */
import * as keys from "../keys.ts";
import { log } from "../log.ts";
import { type OdsKind, parentsNeeded } from "../ods/entities.ts";
import type { FetchOutcome, OdsSource } from "../ods/source.ts";
import { OdsError } from "../ods/source.ts";
import { type ChangeEntry, sortableId, type Store } from "../store.ts";
import { addDays, daysBetween, isIsoDate, ukDate } from "../dates.ts";
import { WorkingCalendar } from "./calendar.ts";
import { advance, type DefensiveEvent } from "./defensive.ts";
import { acquireLease } from "./lease.ts";
import { type DiffRow, diffRows, markdownReport } from "./report.ts";
import type { ReviewItem } from "./review.ts";
import {
  loadCurrent,
  networkLookup,
  planWrites,
  type QuarantineEntry,
  type RecordsToApply,
  trackedCodes,
} from "./plan.ts";
import { INITIAL_SYNC_STATE, type SyncState } from "./state.ts";

/** ORD only serves changes from the last 185 days. */
export const ORD_WINDOW_DAYS = 185;

/** Name of the lease that allows one run at a time. */
export const SYNC_LEASE = "sync";

/** What to run. */
export type SyncRequest = "auto" | "full" | { since: string };

/** Options for {@linkcode runSync}. */
export interface SyncOptions {
  store: Store;
  source: OdsSource;
  request?: SyncRequest;
  dryRun?: boolean;
  calendar?: WorkingCalendar;
  now?: () => Date;
  trigger?: "cli" | "cron" | "api" | "test";
  leaseTtlMs?: number;
  onProgress?: (phase: string, done: number, total: number) => void;
}

export type { QuarantineEntry };

/** The record of one run (stored at `keys.runKey`, without its diff rows). */
export interface RunRecord {
  id: string;
  trigger: string;
  source: "ord" | "fhir";
  kind: "incremental" | "baseline";
  dry_run: boolean;
  started_at: string;
  finished_at: string;
  /** The `LastChangeDate` queried (incremental runs). */
  query_date: string | null;
  /** Distinct changed codes ODS listed. */
  links_seen: number;
  /** Records fetched (tracked changes, quarantine retries and new parents). */
  fetched: number;
  /** Records whose stored fields changed. */
  changed: number;
  created: number;
  field_changes: number;
  quarantined: { code: string; reason: string }[];
  not_found: string[];
  errors: string[];
  outcome: "success" | "empty" | "failed" | "busy";
  defensive: { event: DefensiveEvent | null; message: string };
  cursor_before: string | null;
  cursor_after: string | null;
  gaps: string[];
  review_items: number;
  requests: number;
  retries: number;
}

/** What {@linkcode runSync} returns: the run record plus its diff. */
export interface RunResult {
  run: RunRecord;
  rows: DiffRow[];
  review: ReviewItem[];
  markdown: string;
  state: SyncState;
}

/** Read the persisted sync state. */
export async function readSyncState(store: Store): Promise<SyncState> {
  const v = (await store.kv.get<SyncState>(keys.syncStateKey)).value;
  return v ? { ...INITIAL_SYNC_STATE, ...v } : { ...INITIAL_SYNC_STATE };
}

/**
 * Run the sync once. Never throws for ODS trouble: a failure is reported as `outcome: "failed"`
 * with the cursor left where it was.
 */
export async function runSync(opts: SyncOptions): Promise<RunResult> {
  const now = opts.now ?? (() => new Date());
  const calendar = opts.calendar ?? new WorkingCalendar();
  const { store, source } = opts;
  const dryRun = opts.dryRun ?? false;
  const runId = sortableId(now().getTime());
  const startedAt = now().toISOString();
  const today = ukDate(now());
  const stateEntry = await store.kv.get<SyncState>(keys.syncStateKey);
  const state: SyncState = { ...INITIAL_SYNC_STATE, ...(stateEntry.value ?? {}) };
  const request = opts.request ?? "auto";

  const run: RunRecord = {
    id: runId,
    trigger: opts.trigger ?? "cli",
    source: source.name,
    kind: "incremental",
    dry_run: dryRun,
    started_at: startedAt,
    finished_at: startedAt,
    query_date: null,
    links_seen: 0,
    fetched: 0,
    changed: 0,
    created: 0,
    field_changes: 0,
    quarantined: [],
    not_found: [],
    errors: [],
    outcome: "failed",
    defensive: { event: null, message: "" },
    cursor_before: state.cursor,
    cursor_after: state.cursor,
    gaps: [],
    review_items: 0,
    requests: 0,
    retries: 0,
  };

  const lease = dryRun
    ? null
    : await acquireLease(store.kv, SYNC_LEASE, opts.leaseTtlMs ?? 120_000);
  if (!dryRun && !lease) {
    run.outcome = "busy";
    run.errors.push("another sync run holds the lease; not started");
    log("warn", "sync not started: another run is in progress", { run_id: runId });
    return { run, rows: [], review: [], markdown: "", state };
  }

  try {
    return await execute();
  } finally {
    await lease?.release();
  }

  async function execute(): Promise<RunResult> {
    // 1. Decide what to query.
    let since: string | null = null;
    if (request === "full") {
      run.kind = "baseline";
    } else if (request !== "auto") {
      since = request.since;
    } else if (state.cursor === null) {
      run.kind = "baseline";
    } else if (daysBetween(state.cursor, today) > ORD_WINDOW_DAYS) {
      run.kind = "baseline";
      log("warn", "sync cursor is older than the ORD window: re-baselining", {
        cursor: state.cursor,
      });
    } else {
      since = state.cursor;
    }
    if (since !== null) {
      if (!isIsoDate(since)) return finish("failed", `invalid date "${since}"`);
      if (since > today) return finish("failed", `date ${since} is in the future`);
      if (source.name === "ord" && daysBetween(since, today) > ORD_WINDOW_DAYS) {
        return finish(
          "failed",
          `ORD only serves the last ${ORD_WINDOW_DAYS} days; ${since} is older: run with --full`,
        );
      }
      run.query_date = since;
    }
    log("info", "sync run started", {
      run_id: runId,
      kind: run.kind,
      source: source.name,
      query_date: since,
      dry_run: dryRun,
    });

    // 2. What we track.
    const current = await loadCurrent(store);
    const held = trackedCodes(current);
    const quarantined = new Map<string, QuarantineEntry>();
    for await (const e of store.kv.list<QuarantineEntry>({ prefix: keys.quarantinePrefix })) {
      quarantined.set(e.value.code, e.value);
    }

    // 3. Fetch.
    const outcomes = new Map<string, FetchOutcome>();
    try {
      if (run.kind === "baseline") {
        const codes = [...held.keys()].sort();
        run.links_seen = codes.length;
        const results = await source.fetchMany(
          codes,
          (d, t) => opts.onProgress?.("fetch", d, t),
        );
        for (const o of results) outcomes.set(o.code, o);
      } else {
        const changes = await source.changesSince(
          since!,
          (code) => held.has(code),
          (d, t) => opts.onProgress?.("fetch", d, t),
        );
        run.links_seen = changes.seen;
        for (const o of changes.outcomes) outcomes.set(o.code, o);
        const retry = [...quarantined.keys()].filter((c) => !outcomes.has(c) && held.has(c));
        for (const o of await source.fetchMany(retry)) outcomes.set(o.code, o);
      }
    } catch (err) {
      return finish("failed", describe(err));
    }

    // 4. Parents we don't hold yet (a new trust, a new ICB...): fetch and create them.
    const records: RecordsToApply = new Map();
    for (const [code, o] of outcomes) {
      if (o.status === "ok") records.set(code, { kinds: held.get(code) ?? [], record: o.record });
    }
    const newParents = new Set<string>();
    for (let depth = 0; depth < 4; depth++) {
      const wanted = new Map<string, OdsKind>();
      for (const { kinds, record } of records.values()) {
        for (const kind of kinds) {
          for (const p of parentsNeeded(kind, record)) {
            const have = (current[p.kind] as Map<string, unknown>).has(p.code) ||
              records.get(p.code)?.kinds.includes(p.kind);
            if (!have) wanted.set(p.code, p.kind);
          }
        }
      }
      if (wanted.size === 0) break;
      let fetched: FetchOutcome[];
      try {
        fetched = await source.fetchMany([...wanted.keys()]);
      } catch (err) {
        return finish("failed", describe(err));
      }
      for (const o of fetched) {
        outcomes.set(o.code, o);
        if (o.status === "ok") {
          records.set(o.code, { kinds: [wanted.get(o.code)!], record: o.record });
          newParents.add(`${wanted.get(o.code)}:${o.code}`);
        }
      }
    }

    // 5. Classify outcomes.
    const quarantine: QuarantineEntry[] = [];
    for (const o of outcomes.values()) {
      if (o.status === "error") run.errors.push(`${o.code}: ${o.reason}`);
      if (o.status === "not_found") run.not_found.push(o.code);
      if (o.status === "invalid") quarantine.push(quarantineEntry(o.code, o.reason));
    }
    // A record whose parent could not be fetched is held back (quarantined), not half-applied.
    for (const [code, { kinds, record }] of records) {
      for (const kind of kinds) {
        for (const p of parentsNeeded(kind, record)) {
          const known = (current[p.kind] as Map<string, unknown>).has(p.code) ||
            records.has(p.code);
          if (!known) {
            quarantine.push(quarantineEntry(code, `parent ${p.kind} ${p.code} is not in ODS`));
            records.delete(code);
          }
        }
      }
    }
    run.fetched = [...outcomes.values()].length;
    run.quarantined = quarantine.map(({ code, reason }) => ({ code, reason }));

    // 6. Plan the writes: parents first; derived ICB/region follow the (planned) parent.
    const time = now().toISOString();
    const makeId = () => sortableId();
    const review: ReviewItem[] = [];
    const groups = planWrites({
      records,
      current,
      quarantined,
      quarantine: dryRun ? [] : quarantine,
      newParents,
      networkOfParent: networkLookup(current.organisation.values()),
      runId,
      time,
      makeId,
      onReview: (items) => review.push(...items),
    });

    // 7. Apply.
    let entries: ChangeEntry[] = [];
    try {
      opts.onProgress?.("apply", 0, groups.length);
      const result = await store.write(groups, { cause: "sync", runId, time, dryRun });
      entries = result.entries;
      opts.onProgress?.("apply", groups.length, groups.length);
    } catch (err) {
      return finish("failed", `applying changes failed: ${describe(err)}`);
    }
    const rows = diffRows(entries);
    run.changed = new Set(entries.map((e) => `${e.entity}:${e.code}`)).size;
    run.created = entries.filter((e) => e.op === "create").length;
    run.field_changes = rows.length;
    for (const code of run.not_found) {
      review.push({
        id: makeId(),
        reason: "not_found",
        entity: held.get(code)?.[0] ?? null,
        code,
        name: null,
        detail:
          `ODS listed a change to ${code} but the record is not found (deleted or withdrawn?)`,
        facts: {},
        commands: [],
        run_id: runId,
        created_at: time,
        status: "open",
      });
    }

    // 8. Outcome and the defensive algorithm.
    if (run.errors.length) return finish("failed", undefined, rows, review);
    const empty = run.kind === "incremental" && run.links_seen === 0;
    return finish(empty ? "empty" : "success", undefined, rows, review);
  }

  function quarantineEntry(code: string, reason: string): QuarantineEntry {
    const t = now().toISOString();
    return { code, reason, first_seen_at: t, last_seen_at: t, attempts: 1, run_id: runId };
  }

  async function finish(
    outcome: "success" | "empty" | "failed",
    error?: string,
    rows: DiffRow[] = [],
    review: ReviewItem[] = [],
  ): Promise<RunResult> {
    if (error) run.errors.push(error);
    run.outcome = outcome;
    run.finished_at = now().toISOString();
    run.requests = source.stats().requests;
    run.retries = source.stats().retries;
    const transition = advance(
      state,
      {
        runId,
        at: run.finished_at,
        runDate: today,
        result: outcome === "success" ? "data" : outcome === "empty" ? "empty" : "failed",
      },
      calendar,
    );
    let next = transition.state;
    if (outcome === "success" && run.kind === "incremental" && transition.gapCheckFrom) {
      run.gaps = await findGaps(transition.gapCheckFrom);
    }
    if (outcome === "success" && run.kind === "baseline") next = { ...next, cursor: today };
    run.defensive = { event: transition.event, message: transition.message };
    run.cursor_after = next.cursor;
    run.review_items = review.length;
    if (run.gaps.length) {
      review.push({
        id: sortableId(),
        reason: "gap",
        entity: null,
        code: null,
        name: null,
        detail: `ODS returned no records with LastChangeDate on ${run.gaps.join(", ")}`,
        facts: { days: run.gaps },
        commands: [],
        run_id: runId,
        created_at: run.finished_at,
        status: "open",
      });
      run.review_items = review.length;
    }
    const markdown = markdownReport(
      `Sync ${dryRun ? "dry run" : "run"} ${runId} (${run.source}, ${run.kind}` +
        `${run.query_date ? ` from ${run.query_date}` : ""})`,
      rows,
      [
        `outcome: ${outcome}`,
        ...run.errors.map((e) => `error: ${e}`),
        ...run.quarantined.map((q) => `quarantined ${q.code}: ${q.reason}`),
        ...run.not_found.map((c) => `not found in ODS: ${c}`),
        ...(run.gaps.length ? [`gap: no records on ${run.gaps.join(", ")}`] : []),
      ],
    );
    if (!dryRun) {
      // The diff rows first: a crash before the run record is committed leaves only unreferenced
      // report chunks behind, never a recorded run without its report.
      for (let i = 0; i * 200 < rows.length; i++) {
        await store.kv.set(keys.runReportKey(runId, i), rows.slice(i * 200, i * 200 + 200));
      }
      const op = store.kv.atomic()
        .check(stateEntry)
        .set(keys.syncStateKey, next)
        .set(keys.runKey(runId), run);
      for (const item of review.filter((i) => i.reason === "not_found" || i.reason === "gap")) {
        op.set(keys.reviewKey(item.id), item);
      }
      const res = await op.commit();
      if (!res.ok) {
        run.outcome = "failed";
        run.errors.push("sync state changed under this run (another writer?): cursor not moved");
        next = state;
      }
    }
    const level = run.outcome === "failed" || next.mode === "alert" ? "error" : "info";
    log(level, `sync run ${run.outcome}`, {
      run_id: runId,
      kind: run.kind,
      query_date: run.query_date,
      links_seen: run.links_seen,
      fetched: run.fetched,
      changed: run.changed,
      quarantined: run.quarantined.length,
      errors: run.errors,
      cursor: next.cursor,
      mode: next.mode,
      defensive: transition.message,
      dry_run: dryRun,
    });
    if (next.mode === "alert" && next.alert) log("error", next.alert, { run_id: runId });
    return { run, rows, review, markdown, state: next };
  }

  /**
   * Working days from `from` to yesterday on which ODS has no record with that LastChangeDate:
   * changes made on a working day should all be there once data flows again.
   */
  async function findGaps(from: string): Promise<string[]> {
    if (!source.countChangedOn) return [];
    const gaps: string[] = [];
    for (const day of calendar.workingDays(from, addDays(today, -1))) {
      try {
        if ((await source.countChangedOn(day)) === 0) gaps.push(day);
      } catch (err) {
        log("warn", "gap check failed", { day, error: describe(err) });
      }
    }
    return gaps;
  }
}

function describe(err: unknown): string {
  if (err instanceof OdsError) return `ODS ${err.kind}: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}
