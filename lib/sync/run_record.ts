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
  /** What its local authority step did (`lib/sync/local_authorities.ts`); absent on older runs. */
  local_authorities?: LocalAuthoritySummary;
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

/**
 * What the local authority step of a run did (`lib/sync/local_authorities.ts`). Its look-ups
 * never fail the run: a failed one is a warning of the report, and its records keep what they
 * hold until a later run looks the postcode up.
 */
export interface LocalAuthoritySummary {
  /** Postcodes looked up in FHIR (at most `SYNC_POSTCODE_LOOKUPS`), failed ones included. */
  looked_up: number;
  /** Look-ups that failed (FHIR unreachable, 5xx, key refused, a bad answer). */
  failed: number;
  /** Organisations and practices whose `local_authority` this step wrote. */
  updated: number;
  /** Postcodes not cached, or expired, left for later runs (budget spent, or FHIR failing). */
  deferred: number;
  /** Why the step did nothing: no postcode look-up configured, a dry run, or the run had errors. */
  skipped_reason?: string;
  /** What went wrong (the first failed look-up's reason, a failed write): the report's warnings. */
  warnings?: string[];
}

/** What a run returns: the run record plus its diff. */
export interface RunResult {
  run: RunRecord;
  rows: DiffRow[];
  review: ReviewItem[];
  /** The run's Markdown report (see report.ts), built when read. */
  readonly markdown: string;
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
    | "local_authorities"
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
    ...(work.local_authorities ? { local_authorities: work.local_authorities } : {}),
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
 * The report's lines on the local authority step: what it did, then each warning.
 *
 * @example
 * ```ts
 * import { localAuthorityNotes } from "./run_record.ts";
 * import { equal } from "node:assert/strict";
 *
 * const notes = localAuthorityNotes({
 *   looked_up: 3, failed: 3, updated: 0, deferred: 40,
 *   warnings: ["3 postcode look-up(s) failed: HTTP 503"],
 * });
 * equal(notes[1], "warning: 3 postcode look-up(s) failed: HTTP 503");
 * equal(localAuthorityNotes({ looked_up: 0, failed: 0, updated: 0, deferred: 0,
 *   skipped_reason: "dry run" })[0], "local authorities: skipped (dry run)");
 * ```
 */
export function localAuthorityNotes(la: LocalAuthoritySummary): string[] {
  if (la.skipped_reason) return [`local authorities: skipped (${la.skipped_reason})`];
  return [
    `local authorities: ${la.looked_up} postcode(s) looked up (${la.failed} failed), ` +
    `${la.updated} record(s) updated, ${la.deferred} postcode(s) left for later runs`,
    ...(la.warnings ?? []).map((w) => `warning: ${w}`),
  ];
}

/**
 * The Markdown report of a run: title, notes (outcome, errors, quarantine, not found, gaps, the
 * GP practices, the local authority step and its warnings) and the diff. A failed run that
 * applied nothing says so, never "no changes".
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
      ...(run.local_authorities ? localAuthorityNotes(run.local_authorities) : []),
    ],
    { failed: run.outcome === "failed" },
  );
}
