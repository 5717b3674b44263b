import { equal, ok } from "node:assert/strict";
import { WorkingCalendar } from "../../lib/sync/calendar.ts";
import { settle } from "../../lib/sync/cursor.ts";
import { INITIAL_SYNC_STATE, type SyncState } from "../../lib/sync/state.ts";

const calendar = new WorkingCalendar();
// Wednesday 25 November 2026 is a publication day (Tuesday was a working day).
const RUN = { runId: "r1", at: "2026-11-25T06:00:00.000Z", today: "2026-11-25" };
const AT_CURSOR: SyncState = { ...INITIAL_SYNC_STATE, cursor: "2026-11-24" };

// Bug caught: a failed run moving the cursor past changes it never applied.
Deno.test("a failed run leaves the cursor where it was", () => {
  const s = settle(AT_CURSOR, { ...RUN, kind: "incremental", outcome: "failed" }, calendar);
  equal(s.state.cursor, "2026-11-24");
  equal(s.state.last_outcome, "failed");
});

// Bug caught: a failed baseline setting the first cursor (later runs would skip everything).
Deno.test("a failed baseline sets no cursor", () => {
  const s = settle(INITIAL_SYNC_STATE, { ...RUN, kind: "baseline", outcome: "failed" }, calendar);
  equal(s.state.cursor, null);
});

// Bug caught: an empty day moving the cursor (NHS guidance: re-query the same date).
Deno.test("an empty incremental run keeps the cursor", () => {
  const s = settle(AT_CURSOR, { ...RUN, kind: "incremental", outcome: "empty" }, calendar);
  equal(s.state.cursor, "2026-11-24");
  equal(s.state.mode, "requery");
});

Deno.test("a successful incremental run moves the cursor to the run's date", () => {
  const s = settle(AT_CURSOR, { ...RUN, kind: "incremental", outcome: "success" }, calendar);
  equal(s.state.cursor, "2026-11-25");
  equal(s.gapCheckFrom, null, "no empty days before: nothing to check");
});

// Bug caught: a baseline while re-querying leaving the cursor behind.
Deno.test("a successful baseline sets the cursor to the run's date", () => {
  const requery: SyncState = { ...AT_CURSOR, mode: "requery", empty_days: ["2026-11-24"] };
  const s = settle(requery, { ...RUN, kind: "baseline", outcome: "success" }, calendar);
  equal(s.state.cursor, "2026-11-25");
});

// Bug caught: days ODS never loaded going unnoticed once data flows again.
Deno.test("data after empty days asks for a gap check from the old cursor", () => {
  const requery: SyncState = { ...AT_CURSOR, mode: "requery", empty_days: ["2026-11-25"] };
  const s = settle(
    requery,
    {
      ...RUN,
      at: "2026-11-26T06:00:00.000Z",
      today: "2026-11-26",
      kind: "incremental",
      outcome: "success",
    },
    calendar,
  );
  equal(s.gapCheckFrom, "2026-11-24");
  ok(s.state.cursor === "2026-11-26");
});

// Bug caught: a re-baseline after empty days checking for gaps it can't have (it read all).
Deno.test("a baseline never asks for a gap check", () => {
  const requery: SyncState = { ...AT_CURSOR, mode: "requery", empty_days: ["2026-11-25"] };
  const s = settle(requery, { ...RUN, kind: "baseline", outcome: "success" }, calendar);
  equal(s.gapCheckFrom, null);
});
