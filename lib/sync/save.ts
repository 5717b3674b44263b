/**
 * Committing a finished run: its diff rows, then, in one atomic commit checked against the
 * state the run began from, the new sync state, the run record and its run-level review items.
 *
 * @module
 */
import * as keys from "../keys.ts";
import type { Store } from "../store.ts";
import type { DiffRow } from "./report.ts";
import type { ReviewItem } from "./review.ts";
import type { RunRecord } from "./run_record.ts";
import type { SyncState } from "./state.ts";

/** Diff rows per stored report chunk, at most. */
const ROWS_PER_CHUNK = 200;

/** Bytes of JSON per stored chunk, at most: a KV value holds 64 KiB. */
const BYTES_PER_CHUNK = 48_000;

/** The JSON size of one row past which its values are left out of the stored report. */
const MAX_ROW_BYTES = 16_000;

/**
 * The rows in chunks that each fit one KV value. A row too large on its own (say the dated
 * relationships of a record with a long history) keeps its field but says where the values are.
 *
 * @example
 * ```ts
 * import { reportChunks } from "./save.ts";
 *
 * const row = { entity: "trust", code: "RGT", op: "update" as const, field: "name", old: "A",
 *   new: "B", last_change_date: null };
 * reportChunks([row, row]).length; // 1
 * ```
 */
export function reportChunks(rows: readonly DiffRow[]): DiffRow[][] {
  const chunks: DiffRow[][] = [];
  let chunk: DiffRow[] = [];
  let bytes = 0;
  for (const row of rows) {
    let r = row;
    let size = JSON.stringify(r).length;
    if (size > MAX_ROW_BYTES) {
      const note = "(too large for the run report: see the record's history)";
      r = { ...row, old: note, new: note };
      size = JSON.stringify(r).length;
    }
    if (chunk.length && (chunk.length >= ROWS_PER_CHUNK || bytes + size > BYTES_PER_CHUNK)) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(r);
    bytes += size;
  }
  if (chunk.length) chunks.push(chunk);
  return chunks;
}

/** What {@linkcode saveRun} commits. */
export interface RunToSave {
  /** The state entry as read when the run began (the commit checks it is unchanged). */
  stateEntry: Deno.KvEntryMaybe<SyncState>;
  next: SyncState;
  run: RunRecord;
  rows: readonly DiffRow[];
  review: readonly ReviewItem[];
}

/**
 * Store a run. Returns `false` when the sync state changed under the run (another writer): then
 * neither the state nor the run record is written, and the cursor stays where it was.
 *
 * @example
 * ```ts
 * import * as keys from "../keys.ts";
 * import { Store } from "../store.ts";
 * import { noWork, runRecord } from "./run_record.ts";
 * import { saveRun } from "./save.ts";
 * import { INITIAL_SYNC_STATE, type SyncState } from "./state.ts";
 *
 * const store = await Store.open(":memory:");
 * const stateEntry = await store.kv.get<SyncState>(keys.syncStateKey);
 * const run = runRecord(
 *   { id: "r1", trigger: "test", source: "ord", dryRun: false, startedAt: "t", cursor: null },
 *   noWork("baseline", null),
 *   { outcome: "failed", finishedAt: "t", defensive: { event: null, message: "" },
 *     cursorAfter: null, gaps: [], reviewItems: 0, stats: { requests: 0, retries: 0 } },
 * );
 * await saveRun(store, { stateEntry, next: INITIAL_SYNC_STATE, run, rows: [], review: [] });
 * // true
 * store.close();
 * ```
 */
export async function saveRun(store: Store, save: RunToSave): Promise<boolean> {
  const { run, rows } = save;
  // The diff rows first: a crash before the run record is committed leaves only unreferenced
  // report chunks behind, never a recorded run without its report.
  for (const [i, chunk] of reportChunks(rows).entries()) {
    await store.kv.set(keys.runReportKey(run.id, i), chunk);
  }
  const op = store.kv.atomic()
    .check(save.stateEntry)
    .set(keys.syncStateKey, save.next)
    .set(keys.runKey(run.id), run);
  // Record-level items (closures, re-parents…) were committed with their records.
  for (const item of save.review) {
    if (item.reason === "not_found" || item.reason === "gap") op.set(keys.reviewKey(item.id), item);
  }
  return (await op.commit()).ok;
}
