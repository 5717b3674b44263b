/**
 * The persisted sync state: cursor and the NHS defensive-algorithm state.
 *
 * @module
 */

/** Where the defensive re-query algorithm stands. */
export type SyncMode = "bau" | "requery" | "alert";

/** Persisted at `keys.syncStateKey`. */
export interface SyncState {
  /** The `LastChangeDate` to query next (YYYY-MM-DD); `null` before the first baseline. */
  cursor: string | null;
  mode: SyncMode;
  /** Working days on which runs for this cursor returned nothing. */
  empty_working_days: number;
  /** UK date of the first empty run for this cursor. */
  empty_since: string | null;
  /** Operator-facing alert text while `mode` is `alert`. */
  alert: string | null;
  last_run_id: string | null;
  last_run_at: string | null;
  last_outcome: RunOutcome | null;
  last_success_at: string | null;
}

/** How a run ended. */
export type RunOutcome = "success" | "empty" | "failed" | "dry_run";

/** The state of a store that has never synced. */
export const INITIAL_SYNC_STATE: SyncState = {
  cursor: null,
  mode: "bau",
  empty_working_days: 0,
  empty_since: null,
  alert: null,
  last_run_id: null,
  last_run_at: null,
  last_outcome: null,
  last_success_at: null,
};
