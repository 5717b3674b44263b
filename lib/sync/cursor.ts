/**
 * Whether, and where, a run moves the cursor: NHS England's defensive algorithm
 * ({@linkcode advance}) for incremental runs, and a successful baseline sets it to the run's date
 * whatever the algorithm's state. A pure decision; the run commits it.
 *
 * @module
 */
import { addDays } from "../dates.ts";
import type { WorkingCalendar } from "./calendar.ts";
import { advance, type Transition } from "./defensive.ts";
import type { FinishedOutcome } from "./outcome.ts";
import type { SyncState } from "./state.ts";

/** The run being settled. */
export interface SettleInput {
  runId: string;
  /** ISO instant the run finished. */
  at: string;
  /** UK date of the run. */
  today: string;
  kind: "incremental" | "baseline";
  outcome: FinishedOutcome;
  /** The run came before the day's publication time (see `./publication.ts`). */
  beforePublication?: boolean;
}

/** The state to commit, the algorithm's verdict, and whether to look for gaps. */
export interface Settled {
  state: SyncState;
  transition: Transition;
  /** Set when data came back after empty days: check ODS has records from this date on. */
  gapCheckFrom: string | null;
}

/**
 * The next sync state after a run.
 *
 * @example
 * ```ts
 * import { WorkingCalendar } from "./calendar.ts";
 * import { settle } from "./cursor.ts";
 * import { INITIAL_SYNC_STATE } from "./state.ts";
 *
 * const state = { ...INITIAL_SYNC_STATE, cursor: "2026-11-24" };
 * const run = { runId: "r1", at: "2026-11-25T06:00:00Z", today: "2026-11-25" };
 * settle(state, { ...run, kind: "incremental", outcome: "failed" }, new WorkingCalendar())
 *   .state.cursor; // "2026-11-24": a failed run never moves it
 * settle(state, { ...run, kind: "incremental", outcome: "success" }, new WorkingCalendar())
 *   .state.cursor; // "2026-11-25"
 * ```
 */
export function settle(state: SyncState, run: SettleInput, calendar: WorkingCalendar): Settled {
  const result = run.outcome === "success" ? "data" : run.outcome;
  const transition = advance(
    state,
    {
      runId: run.runId,
      at: run.at,
      runDate: run.today,
      result,
      beforePublication: run.beforePublication,
    },
    calendar,
  );
  const success = run.outcome === "success";
  const baseline = success && run.kind === "baseline";
  // Before the publication time a baseline has read yesterday's publication (as has any run).
  const readUpTo = run.beforePublication ? addDays(run.today, -1) : run.today;
  return {
    state: baseline ? { ...transition.state, cursor: readUpTo } : transition.state,
    transition,
    gapCheckFrom: success && run.kind === "incremental" && transition.gapCheckFrom
      ? transition.gapCheckFrom
      : null,
  };
}
