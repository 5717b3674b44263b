/**
 * One sync run: read what changed in ODS, apply it to the store, move the cursor only when every
 * tracked change was applied or quarantined, and record the run.
 *
 * The decisions are pure and live beside this loop: what to query (`./query.ts`), what the
 * fetch brought (`./fetched.ts`), the writes (`./plan.ts`), the outcome (`./outcome.ts`) and
 * whether and where the cursor moves (`./cursor.ts`). This module does the I/O between them.
 *
 * @module
 */
import { addDays, ukDate } from "../dates.ts";
import * as keys from "../keys.ts";
import { log } from "../log.ts";
import type { SiteMemberships } from "../memberships.ts";
import type { PostcodeResolver } from "../ods/postcode_cache.ts";
import type { DeletedRecord, OdsSource } from "../ods/source.ts";
import { type ChangeEntry, sortableId, type Store } from "../store.ts";
import { WorkingCalendar } from "./calendar.ts";
import { settle } from "./cursor.ts";
import { deletionWrites, readDeletions } from "./deletions.ts";
import { classifyFetches } from "./fetched.ts";
import { describeError, fetchRecords, loadTracked, type Tracked } from "./fetch.ts";
import { acquireLease, DEFAULT_SYNC_LEASE_TTL_MS, type Lease, SYNC_LEASE } from "./lease.ts";
import {
  DEFAULT_POSTCODE_LOOKUPS,
  skippedStep,
  skipReason,
  syncLocalAuthorities,
  withLocalAuthorities,
} from "./local_authorities.ts";
import { runOutcome } from "./outcome.ts";
import { networkLookup, planWrites, type QuarantineEntry, type RecordsToApply } from "./plan.ts";
import { beforePublication, DEFAULT_PUBLICATION_TIME } from "./publication.ts";
import { practiceQuery } from "./practice_plan.ts";
import { syncPractices, withPractices } from "./practices.ts";
import { planQuery, type SyncRequest } from "./query.ts";
import { diffRows } from "./report.ts";
import { gapItem, notFoundItem, type ReviewItem } from "./review.ts";
import {
  noWork,
  runMarkdown,
  runRecord,
  type RunResult,
  type RunStart,
  type RunWork,
} from "./run_record.ts";
import { saveRun } from "./save.ts";
import { INITIAL_SYNC_STATE, type SyncState } from "./state.ts";

export { readSyncState } from "./history.ts";
export { SYNC_LEASE } from "./lease.ts";
export { ORD_WINDOW_DAYS, type SyncRequest } from "./query.ts";
export type { QuarantineEntry } from "./plan.ts";
export type { RunRecord, RunResult } from "./run_record.ts";

/** Options for {@linkcode runSync}. */
export interface SyncOptions {
  store: Store;
  /** Create one per run: a source gives up on an unreachable host for the rest of its life. */
  source: OdsSource;
  request?: SyncRequest;
  dryRun?: boolean;
  calendar?: WorkingCalendar;
  now?: () => Date;
  trigger?: "cli" | "cron" | "api" | "test";
  /** How long the run's lease lasts without renewal (`SYNC_LEASE_TTL_MS`); default 120 s. */
  leaseTtlMs?: number;
  /** The sync lease, already taken by the caller (released when the run ends). */
  lease?: Lease;
  /** ODS's daily publication time, UK `HH:MM` (`ODS_PUBLICATION_TIME`); default 03:00. */
  publicationTime?: string;
  /**
   * Sync GP practices too (`SYNC_GP_PRACTICES`, which the service and `deno task sync` pass;
   * default false here, so a run asked for without it sends ODS no practice request).
   */
  gpPractices?: boolean;
  /**
   * The FHIR postcode look-up of the local authority step (`./local_authorities.ts`); without
   * one the step is skipped, and the run record says so.
   */
  postcodes?: Pick<PostcodeResolver, "resolve"> | null;
  /** The step's look-ups per run (`SYNC_POSTCODE_LOOKUPS`); default 1000. */
  postcodeLookups?: number;
  onProgress?: (phase: string, done: number, total: number) => void;
}

/** One run's fixed facts, shared by its steps. */
interface Run {
  opts: SyncOptions;
  store: Store;
  source: OdsSource;
  dryRun: boolean;
  calendar: WorkingCalendar;
  now: () => Date;
  today: string;
  /** The run started before the day's publication time: it sees yesterday's publication. */
  beforePublication: boolean;
  start: RunStart;
}

/**
 * Run the sync once. Never throws for ODS trouble: a failure is reported as `outcome: "failed"`
 * with the cursor left where it was.
 *
 * @example
 * ```ts
 * import type { OdsSource } from "../ods/source.ts";
 * import { Store } from "../store.ts";
 * import { runSync } from "./run.ts";
 *
 * const quiet: OdsSource = {
 *   name: "ord",
 *   changesSince: () => Promise.resolve({ seen: 0, outcomes: [] }),
 *   fetchOne: (code) => Promise.resolve({ status: "not_found", code }),
 *   fetchMany: (codes) => Promise.resolve(codes.map((code) => ({ status: "not_found", code }))),
 *   stats: () => ({ requests: 0, retries: 0 }),
 * };
 * const store = await Store.open(":memory:");
 * const result = await runSync({ store, source: quiet, trigger: "test" });
 * result.run.kind; // "baseline": the store had never synced
 * store.close();
 * ```
 */
export async function runSync(opts: SyncOptions): Promise<RunResult> {
  const now = opts.now ?? (() => new Date());
  const stateEntry = await opts.store.kv.get<SyncState>(keys.syncStateKey);
  const state: SyncState = { ...INITIAL_SYNC_STATE, ...(stateEntry.value ?? {}) };
  const r: Run = {
    opts,
    store: opts.store,
    source: opts.source,
    dryRun: opts.dryRun ?? false,
    calendar: opts.calendar ?? new WorkingCalendar(),
    now,
    today: ukDate(now()),
    beforePublication: beforePublication(now(), opts.publicationTime ?? DEFAULT_PUBLICATION_TIME),
    start: {
      id: sortableId(now().getTime()),
      trigger: opts.trigger ?? "cli",
      source: opts.source.name,
      dryRun: opts.dryRun ?? false,
      startedAt: now().toISOString(),
      cursor: state.cursor,
    },
  };
  const ttl = opts.leaseTtlMs ?? DEFAULT_SYNC_LEASE_TTL_MS;
  const lease = r.dryRun ? null : opts.lease ?? await acquireLease(r.store.kv, SYNC_LEASE, ttl);
  if (!r.dryRun && !lease) return busy(r, state);
  try {
    return await finish(r, stateEntry, state, await localAuthorities(r, await work(r, state)));
  } finally {
    await lease?.release();
  }
}

/** Another run holds the lease: nothing is read or written. */
function busy(r: Run, state: SyncState): RunResult {
  const work = { ...noWork("incremental", null), errors: [BUSY] };
  const run = runRecord(r.start, work, {
    outcome: "busy",
    finishedAt: r.start.startedAt,
    defensive: { event: null, message: "" },
    cursorAfter: state.cursor,
    gaps: [],
    reviewItems: 0,
    stats: { requests: 0, retries: 0 },
  });
  log("warn", "sync not started: another run is in progress", { run_id: r.start.id });
  return { run, rows: [], review: [], markdown: "", state };
}

const BUSY = "another sync run holds the lease; not started";

/** Query, fetch, classify and apply; what the run saw, errors included. */
async function work(r: Run, state: SyncState): Promise<RunWork> {
  const query = planQuery({
    request: r.opts.request ?? "auto",
    cursor: state.cursor,
    today: r.today,
    source: r.source.name,
  });
  if (!query.ok) return { ...noWork(query.kind, null), errors: [query.error] };
  if (query.stale) {
    log("warn", "sync cursor is older than the ORD window: re-baselining", {
      cursor: state.cursor,
    });
  }
  log("info", "sync run started", {
    run_id: r.start.id,
    kind: query.kind,
    source: r.source.name,
    query_date: query.since,
    dry_run: r.dryRun,
  });
  // ODS's deletion list is read once, by the first part, and serves both parts.
  const deleted: DeletedRecord[] = [];
  const done = await fetchAndApply(r, noWork(query.kind, query.since), deleted);
  // Practices only after everything else applied: a failed run moves no cursor anyway.
  if (!r.opts.gpPractices || done.errors.length) return done;
  const gp = await syncPractices({
    store: r.store,
    source: r.source,
    query: practiceQuery({
      runKind: query.kind,
      since: query.since,
      gpCursor: state.gp_cursor ?? null,
      today: r.today,
      source: r.source.name,
    }),
    on: r.today,
    runId: r.start.id,
    time: r.now().toISOString(),
    dryRun: r.dryRun,
    deleted,
    onProgress: (d, t) => r.opts.onProgress?.("gp practices", d, t),
  });
  return withPractices(done, gp);
}

/** The local authority step (`./local_authorities.ts`), after ODS work that had no error. */
async function localAuthorities(r: Run, done: RunWork): Promise<RunWork> {
  const resolver = r.opts.postcodes ?? null;
  const errors = done.errors.length;
  const skip = skipReason({ errors, dryRun: r.dryRun, configured: resolver !== null });
  if (skip !== null || !resolver) return withLocalAuthorities(done, skippedStep(skip ?? ""));
  const step = await syncLocalAuthorities({
    store: r.store,
    resolver,
    budget: r.opts.postcodeLookups ?? DEFAULT_POSTCODE_LOOKUPS,
    practices: r.opts.gpPractices ?? false,
    runId: r.start.id,
    time: r.now().toISOString(),
    now: r.now,
    onProgress: (d, t) => r.opts.onProgress?.("local authorities", d, t),
  });
  return withLocalAuthorities(done, step);
}

/**
 * Fetch from ODS (from `seen.query_date`, or everything), sort the outcomes, apply; the
 * deletion list read is added to `deleted`.
 */
async function fetchAndApply(
  r: Run,
  seen: RunWork,
  deleted: DeletedRecord[],
): Promise<RunWork> {
  const tracked = await loadTracked(r.store);
  const fetched = await fetchRecords(
    r.source,
    seen.query_date,
    tracked,
    r.today,
    (d, t) => r.opts.onProgress?.("fetch", d, t),
  );
  if (!fetched.ok) return { ...seen, links_seen: fetched.linksSeen, errors: [fetched.error] };
  const time = r.now().toISOString();
  const sorted = classifyFetches(
    fetched.outcomes.values(),
    fetched.records,
    tracked.current,
    (code, reason) => ({
      code,
      reason,
      first_seen_at: time,
      last_seen_at: time,
      attempts: 1,
      run_id: r.start.id,
    }),
    r.today,
  );
  const classified: RunWork = {
    ...seen,
    links_seen: fetched.linksSeen,
    fetched: fetched.outcomes.size,
    quarantined: sorted.quarantine.map(({ code, reason }) => ({ code, reason })),
    not_found: sorted.notFound,
    errors: sorted.errors,
  };
  const deletions = await readDeletions(r.source);
  if (!deletions.ok) classified.errors = [...classified.errors, deletions.error];
  else deleted.push(...deletions.deleted);
  const applied = await apply(r, tracked, {
    records: sorted.records,
    quarantine: sorted.quarantine,
    newParents: fetched.newParents,
    newSites: fetched.newSites,
    deleted: deletions.ok ? deletions.deleted : [],
    time,
  });
  if (!applied.ok) {
    return {
      ...classified,
      errors: [...classified.errors, `applying changes failed: ${applied.error}`],
    };
  }
  const items = { runId: r.start.id, time, makeId: () => sortableId() };
  const notFound = sorted.notFound.map((code) =>
    notFoundItem(code, tracked.held.get(code)?.[0] ?? null, items)
  );
  return {
    ...classified,
    ...appliedCounts(applied.entries),
    rows: applied.rows,
    review: [...applied.review, ...notFound],
  };
}

/** What the change entries of a run add up to. */
function appliedCounts(entries: readonly ChangeEntry[]) {
  return {
    changed: new Set(entries.map((e) => `${e.entity}:${e.code}`)).size,
    created: entries.filter((e) => e.op === "create").length,
    field_changes: entries.reduce((n, e) => n + e.changes.length, 0),
  };
}

/** Plan the writes (parents first) and commit them (or, in a dry run, only compute them). */
async function apply(
  r: Run,
  tracked: Tracked,
  input: {
    records: RecordsToApply;
    quarantine: QuarantineEntry[];
    newParents: Set<string>;
    newSites: Map<string, SiteMemberships>;
    /** ODS's deletion list: tracked codes in it are marked and go on the review list once. */
    deleted: DeletedRecord[];
    time: string;
  },
) {
  const { time } = input;
  const review: ReviewItem[] = [];
  const groups = planWrites({
    records: input.records,
    current: tracked.current,
    quarantined: tracked.quarantined,
    quarantine: r.dryRun ? [] : input.quarantine,
    newParents: input.newParents,
    newSites: input.newSites,
    networkOfParent: networkLookup(tracked.current.organisation.values()),
    on: r.today,
    runId: r.start.id,
    time,
    makeId: () => sortableId(),
    onReview: (items) => review.push(...items),
  });
  const ctx = { runId: r.start.id, time, makeId: () => sortableId() };
  groups.push(
    ...deletionWrites(input.deleted, tracked.current, r.today, ctx, (i) => review.push(...i)),
  );
  try {
    r.opts.onProgress?.("apply", 0, groups.length);
    const result = await r.store.write(groups, {
      cause: "sync",
      runId: r.start.id,
      time,
      dryRun: r.dryRun,
    });
    r.opts.onProgress?.("apply", groups.length, groups.length);
    return { ok: true as const, entries: result.entries, rows: diffRows(result.entries), review };
  } catch (err) {
    return { ok: false as const, error: describeError(err) };
  }
}

/** Decide the outcome and the next state, look for gaps, then record and log the run. */
async function finish(
  r: Run,
  stateEntry: Deno.KvEntryMaybe<SyncState>,
  state: SyncState,
  work: RunWork,
): Promise<RunResult> {
  const outcome = runOutcome({ kind: work.kind, linksSeen: work.links_seen, errors: work.errors });
  const finishedAt = r.now().toISOString();
  const settled = settle(
    state,
    {
      runId: r.start.id,
      at: finishedAt,
      today: r.today,
      kind: work.kind,
      outcome,
      beforePublication: r.beforePublication,
    },
    r.calendar,
  );
  const gaps = settled.gapCheckFrom ? await findGaps(r, settled.gapCheckFrom) : [];
  const items = { runId: r.start.id, time: finishedAt, makeId: () => sortableId() };
  const review = gaps.length ? [...work.review, gapItem(gaps, items)] : work.review;
  let run = runRecord(r.start, work, {
    outcome,
    finishedAt,
    defensive: { event: settled.transition.event, message: settled.transition.message },
    cursorAfter: settled.state.cursor,
    gaps,
    reviewItems: review.length,
    stats: r.source.stats(),
  });
  const reported = run;
  let next = settled.state;
  // Practices synced by a run that didn't fail are read up to where the cursor now stands.
  if (work.gp_practices && outcome !== "failed") next = { ...next, gp_cursor: next.cursor };
  if (!r.dryRun && !await saveRun(r.store, { stateEntry, next, run, rows: work.rows, review })) {
    run = {
      ...run,
      outcome: "failed",
      errors: [...run.errors, CONFLICT],
      cursor_after: state.cursor,
    };
    next = state;
  }
  logFinished(r, run, next, settled.transition.message);
  return {
    run,
    rows: work.rows,
    review,
    state: next,
    // Built when read (the CLI prints it): a long report is milliseconds of work the service
    // would do on its request thread for nothing.
    get markdown() {
      return runMarkdown(reported, work.rows);
    },
  };
}

const CONFLICT = "sync state changed under this run (another writer?): cursor not moved";

function logFinished(r: Run, run: RunResult["run"], next: SyncState, defensive: string): void {
  const level = run.outcome === "failed" || next.mode === "alert" ? "error" : "info";
  log(level, `sync run ${run.outcome}`, {
    run_id: run.id,
    kind: run.kind,
    query_date: run.query_date,
    links_seen: run.links_seen,
    fetched: run.fetched,
    changed: run.changed,
    quarantined: run.quarantined.length,
    errors: run.errors,
    cursor: next.cursor,
    mode: next.mode,
    defensive,
    dry_run: r.dryRun,
  });
  if (next.mode === "alert" && next.alert) log("error", next.alert, { run_id: run.id });
}

/**
 * Working days from `from` to yesterday on which ODS has no record with that LastChangeDate:
 * changes made on a working day should all be there once data flows again.
 */
async function findGaps(r: Run, from: string): Promise<string[]> {
  const { source } = r;
  if (!source.countChangedOn) return [];
  const gaps: string[] = [];
  for (const day of r.calendar.workingDays(from, addDays(r.today, -1))) {
    try {
      if ((await source.countChangedOn(day)) === 0) gaps.push(day);
    } catch (err) {
      log("warn", "gap check failed", { day, error: describeError(err) });
    }
  }
  return gaps;
}
