/**
 * NHS England's defensive algorithm for consumers that depend on `LastChangeDate`, as a pure
 * state machine.
 *
 * - A run that returns records moves the cursor to the run's UK date (business as usual).
 * - A run that returns nothing on a publication day keeps the cursor, so the next runs
 *   re-query with the same date; after 3 such working days, raise an alert for the NHS national
 *   service desk. Empty runs on days ODS doesn't publish (Sunday, Monday, after bank holidays)
 *   are expected and not counted; several empty runs on one day count once.
 * - When data comes back after empty days, the caller checks that records exist for the
 *   intervening days (`gapCheckFrom`).
 * - A failed run changes nothing but the "last run" fields: a failure is never "no changes".
 * - A run before the day's publication time (`ODS_PUBLICATION_TIME`, see `./publication.ts`) sees
 *   yesterday's publication: empty, it counts for nothing (only a later run that day can be a
 *   missed working day); with records, it moves the cursor to yesterday, not today.
 *
 * @module
 */
import { addDays } from "../dates.ts";
import type { WorkingCalendar } from "./calendar.ts";
import type { SyncState } from "./state.ts";

/** How many empty working days before raising an alert. */
export const MAX_EMPTY_WORKING_DAYS = 3;

/** The national service desk address the guidance names. */
export const SERVICE_DESK = "ssd.nationalservicedesk@nhs.net";

/** What one run saw. */
export interface RunObservation {
  runId: string;
  /** ISO instant the run finished. */
  at: string;
  /** UK date of the run. */
  runDate: string;
  result: "data" | "empty" | "failed";
  /** The run came before the day's publication time: it has seen yesterday's publication. */
  beforePublication?: boolean;
}

/** What happened to the algorithm's state. */
export type DefensiveEvent =
  | "bau"
  | "recovered"
  | "expected_empty"
  | "requery"
  | "alert"
  | "failed";

/** The next state and what it means. */
export interface Transition {
  state: SyncState;
  event: DefensiveEvent;
  /** For operators and the run history. */
  message: string;
  /** Set when data returned after empty days: check records exist from this date on. */
  gapCheckFrom?: string;
}

/**
 * Apply one run's observation to the state.
 *
 * @example
 * ```ts
 * import { WorkingCalendar } from "./calendar.ts";
 * import { advance } from "./defensive.ts";
 * import { INITIAL_SYNC_STATE } from "./state.ts";
 *
 * const state = { ...INITIAL_SYNC_STATE, cursor: "2019-09-24" };
 * const obs = { runId: "r1", at: "2019-09-25T05:00:00Z", runDate: "2019-09-25" };
 * const t = advance(state, { ...obs, result: "empty" }, new WorkingCalendar());
 * t.state.mode; // "requery"
 * ```
 */
export function advance(state: SyncState, obs: RunObservation, cal: WorkingCalendar): Transition {
  const base: SyncState = { ...state, last_run_id: obs.runId, last_run_at: obs.at };
  if (obs.result === "failed") {
    return {
      state: { ...base, last_outcome: "failed" },
      event: "failed",
      message: `run failed; cursor stays at ${state.cursor ?? "(none)"} and will be re-queried`,
    };
  }
  if (obs.result === "data") {
    const cursor = obs.beforePublication ? addDays(obs.runDate, -1) : obs.runDate;
    const recovered = state.mode !== "bau" || state.empty_days.length > 0;
    return {
      state: {
        ...base,
        cursor: state.cursor !== null && state.cursor > cursor ? state.cursor : cursor,
        mode: "bau",
        empty_days: [],
        alert: null,
        last_outcome: "success",
        last_success_at: obs.at,
      },
      event: recovered ? "recovered" : "bau",
      message: recovered
        ? `data returned after ${state.empty_days.length} empty working day(s); back to business as usual`
        : "business as usual",
      gapCheckFrom: recovered && state.cursor ? state.cursor : undefined,
    };
  }
  if (obs.beforePublication) return earlyEmpty(state, base, obs);
  // Empty.
  const counted = cal.isPublicationDay(obs.runDate) && !state.empty_days.includes(obs.runDate);
  const emptyDays = counted ? [...state.empty_days, obs.runDate] : state.empty_days;
  const next: SyncState = {
    ...base,
    empty_days: emptyDays,
    last_outcome: "empty",
    last_success_at: obs.at,
  };
  if (emptyDays.length >= MAX_EMPTY_WORKING_DAYS) {
    const alert = `ODS has returned no records for LastChangeDate=${state.cursor} on ` +
      `${emptyDays.length} working days (${emptyDays.join(", ")}): raise a log with the NHS ` +
      `national service desk (${SERVICE_DESK}). Re-querying continues with the same date.`;
    return { state: { ...next, mode: "alert", alert }, event: "alert", message: alert };
  }
  if (emptyDays.length === 0) {
    return {
      state: { ...next, mode: "bau" },
      event: "expected_empty",
      message: `no records on ${obs.runDate}, a day ODS doesn't normally publish; cursor kept`,
    };
  }
  return {
    state: { ...next, mode: "requery", alert: null },
    event: "requery",
    message: `no records for LastChangeDate=${state.cursor}: re-querying with the same date ` +
      `(working day ${emptyDays.length} of ${MAX_EMPTY_WORKING_DAYS})`,
  };
}

/**
 * An empty run before the day's publication time: today's data can't have appeared yet, so it
 * counts as no missed day and leaves the mode (re-querying, alerting) as it was.
 */
function earlyEmpty(state: SyncState, base: SyncState, obs: RunObservation): Transition {
  return {
    state: { ...base, last_outcome: "empty", last_success_at: obs.at },
    event: "expected_empty",
    message: `no records yet on ${obs.runDate}, before the day's publication time; not counted ` +
      `(cursor kept at ${state.cursor ?? "(none)"})`,
  };
}
