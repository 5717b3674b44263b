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
  /** Publication days (UK dates) on which runs for this cursor returned nothing. */
  empty_days: string[];
  /** Operator-facing alert text while `mode` is `alert`. */
  alert: string | null;
  last_run_id: string | null;
  last_run_at: string | null;
  last_outcome: RunOutcome | null;
  last_success_at: string | null;
  /**
   * The date GP practices were last synced up to (the cursor after the last run that synced
   * them); absent or `null` before their first baseline.
   */
  gp_cursor?: string | null;
}

/** How a run ended. */
export type RunOutcome = "success" | "empty" | "failed";

/** The state of a store that has never synced. */
export const INITIAL_SYNC_STATE: SyncState = {
  cursor: null,
  mode: "bau",
  empty_days: [],
  alert: null,
  last_run_id: null,
  last_run_at: null,
  last_outcome: null,
  last_success_at: null,
};
