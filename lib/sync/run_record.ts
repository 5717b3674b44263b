/**
 * The record of one sync run (what the history, `/sync/runs` and the status page show), put
 * together without I/O from what the run saw and how it settled, and its Markdown report.
 *
 * @module
 */
import type { DefensiveEvent } from "./defensive.ts";
import type { FinishedOutcome } from "./outcome.ts";
import { type DiffRow, markdownReport } from "./report.ts";
import type { ReviewItem } from "./review.ts";
import type { SyncState } from "./state.ts";

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
  outcome: FinishedOutcome | "busy";
  defensive: { event: DefensiveEvent | null; message: string };
  cursor_before: string | null;
  cursor_after: string | null;
  gaps: string[];
  review_items: number;
  requests: number;
  retries: number;
  /** What its GP practice part did; absent when it had none (`SYNC_GP_PRACTICES=false`). */
  gp_practices?: PracticeSummary;
}

/** What the GP practice part of a run did (`lib/sync/practices.ts`). */
export interface PracticeSummary {
  kind: "incremental" | "baseline";
  /** The `LastChangeDate` queried (incremental). */
  query_date: string | null;
  /** Practices and sub-ICB locations ODS listed. */
  seen: number;
  /** Records fetched (listed ones and quarantine retries). */
  fetched: number;
  /** Records whose stored fields changed (followers included). */
  changed: number;
  created: number;
  /** Practices newly marked as deleted by ODS (its deletion list). */
  deleted: number;
}

/** What a run returns: the run record plus its diff. */
export interface RunResult {
  run: RunRecord;
  rows: DiffRow[];
  review: ReviewItem[];
  markdown: string;
  state: SyncState;
}

/** What a run saw before it settled: every field of the record that the work decides. */
export type RunWork =
  & Pick<
    RunRecord,
    | "kind"
    | "query_date"
    | "links_seen"
    | "fetched"
    | "changed"
    | "created"
    | "field_changes"
    | "quarantined"
    | "not_found"
    | "errors"
    | "gp_practices"
  >
  & { rows: DiffRow[]; review: ReviewItem[] };

/**
 * The work of a run that has done nothing yet.
 *
 * @example
 * ```ts
 * import { noWork } from "./run_record.ts";
 *
 * noWork("baseline", null).errors; // []
 * ```
 */
export function noWork(kind: RunWork["kind"], queryDate: string | null): RunWork {
  return {
    kind,
    query_date: queryDate,
    links_seen: 0,
    fetched: 0,
    changed: 0,
    created: 0,
    field_changes: 0,
    quarantined: [],
    not_found: [],
    errors: [],
    rows: [],
    review: [],
  };
}

/** Who ran, when, and against what. */
export interface RunStart {
  id: string;
  trigger: string;
  source: "ord" | "fhir";
  dryRun: boolean;
  startedAt: string;
  cursor: string | null;
}

/** How the run settled. */
export interface RunEnd {
  outcome: RunRecord["outcome"];
  finishedAt: string;
  defensive: RunRecord["defensive"];
  cursorAfter: string | null;
  gaps: string[];
  reviewItems: number;
  stats: { requests: number; retries: number };
}

/**
 * The run record from its start, its work and its end.
 *
 * @example
 * ```ts
 * import { noWork, runRecord } from "./run_record.ts";
 *
 * const start = { id: "r1", trigger: "cli", source: "ord" as const, dryRun: false,
 *   startedAt: "2026-11-25T06:00:00.000Z", cursor: "2026-11-24" };
 * const end = { outcome: "empty" as const, finishedAt: start.startedAt,
 *   defensive: { event: null, message: "" }, cursorAfter: "2026-11-24", gaps: [],
 *   reviewItems: 0, stats: { requests: 1, retries: 0 } };
 * runRecord(start, noWork("incremental", "2026-11-24"), end).cursor_before; // "2026-11-24"
 * ```
 */
export function runRecord(start: RunStart, work: RunWork, end: RunEnd): RunRecord {
  return {
    id: start.id,
    trigger: start.trigger,
    source: start.source,
    kind: work.kind,
    dry_run: start.dryRun,
    started_at: start.startedAt,
    finished_at: end.finishedAt,
    query_date: work.query_date,
    links_seen: work.links_seen,
    fetched: work.fetched,
    changed: work.changed,
    created: work.created,
    field_changes: work.field_changes,
    quarantined: work.quarantined,
    not_found: work.not_found,
    errors: work.errors,
    outcome: end.outcome,
    defensive: end.defensive,
    cursor_before: start.cursor,
    cursor_after: end.cursorAfter,
    gaps: end.gaps,
    review_items: end.reviewItems,
    requests: end.stats.requests,
    retries: end.stats.retries,
    ...(work.gp_practices ? { gp_practices: work.gp_practices } : {}),
  };
}

/** The report's line on the GP practice part of a run. */
function practiceNote(gp: PracticeSummary): string {
  const what = gp.kind === "baseline" ? "baseline" : `changes since ${gp.query_date}`;
  return `GP practices (${what}): ${gp.seen} listed by ODS, ${gp.changed} record(s) changed, ` +
    `${gp.created} created (creations are counted, not listed below)` +
    (gp.deleted ? `, ${gp.deleted} deleted by ODS (no longer served)` : "");
}

/**
 * The Markdown report of a run: title, notes (outcome, errors, quarantine, not found, gaps) and
 * the diff. A failed run that applied nothing says so, never "no changes".
 *
 * @example
 * ```ts
 * import { noWork, runMarkdown, runRecord } from "./run_record.ts";
 *
 * const start = { id: "r1", trigger: "cli", source: "ord" as const, dryRun: true,
 *   startedAt: "2026-11-25T06:00:00.000Z", cursor: null };
 * const end = { outcome: "failed" as const, finishedAt: start.startedAt,
 *   defensive: { event: null, message: "" }, cursorAfter: null, gaps: [], reviewItems: 0,
 *   stats: { requests: 3, retries: 2 } };
 * const run = runRecord(start, { ...noWork("baseline", null), errors: ["ODS unreachable"] }, end);
 * runMarkdown(run, []).includes("No changes"); // false
 * ```
 */
export function runMarkdown(run: RunRecord, rows: readonly DiffRow[]): string {
  return markdownReport(
    `Sync ${run.dry_run ? "dry run" : "run"} ${run.id} (${run.source}, ${run.kind}` +
      `${run.query_date ? ` from ${run.query_date}` : ""})`,
    rows,
    [
      `outcome: ${run.outcome}`,
      ...run.errors.map((e) => `error: ${e}`),
      ...run.quarantined.map((q) => `quarantined ${q.code}: ${q.reason}`),
      ...run.not_found.map((c) => `not found in ODS: ${c}`),
      ...(run.gaps.length ? [`gap: no records on ${run.gaps.join(", ")}`] : []),
      ...(run.gp_practices ? [practiceNote(run.gp_practices)] : []),
    ],
    { failed: run.outcome === "failed" },
  );
}
