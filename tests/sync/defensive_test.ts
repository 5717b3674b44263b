import { deepEqual, equal, ok } from "node:assert/strict";
import { WorkingCalendar } from "../../lib/sync/calendar.ts";
import { advance, SERVICE_DESK } from "../../lib/sync/defensive.ts";
import { INITIAL_SYNC_STATE, type SyncState } from "../../lib/sync/state.ts";
import { requeryDue } from "../../lib/sync/schedule.ts";

const cal = new WorkingCalendar();
const at = (date: string, hour = 4) => `${date}T0${hour}:00:00.000Z`;
const bau = (cursor: string): SyncState => ({ ...INITIAL_SYNC_STATE, cursor });

Deno.test("working calendar knows England and Wales bank holidays and publication days", () => {
  ok(!cal.isWorkingDay("2026-12-25"), "Christmas Day");
  ok(!cal.isWorkingDay("2026-12-28"), "Boxing Day substitute");
  ok(cal.isWorkingDay("2026-11-27"), "an ordinary Friday");
  ok(!cal.isWorkingDay("2026-11-28"), "Saturday");
  ok(cal.isPublicationDay("2026-11-28"), "Saturday publishes Friday's changes");
  ok(!cal.isPublicationDay("2026-11-29"), "Sunday: nothing new");
  ok(!cal.isPublicationDay("2026-11-30"), "Monday: nothing new");
  ok(!cal.isPublicationDay("2026-12-29"), "the day after the Boxing Day substitute");
  deepEqual(cal.workingDays("2019-09-24", "2019-09-26"), [
    "2019-09-24",
    "2019-09-25",
    "2019-09-26",
  ]);
});

Deno.test("NHS guidance September 2019 example: re-query the same date until data returns", () => {
  let state = bau("2019-09-23");
  const step = (runDate: string, result: "data" | "empty", hour = 4) => {
    const t = advance(state, { runId: runDate, at: at(runDate, hour), runDate, result }, cal);
    state = t.state;
    return t;
  };
  // 24 Sep: data for 23 Sep → BAU, next query uses 24 Sep.
  equal(step("2019-09-24", "data").event, "bau");
  equal(state.cursor, "2019-09-24");
  // 25 Sep: nothing → re-query with 24 Sep.
  equal(step("2019-09-25", "empty").event, "requery");
  equal(state.cursor, "2019-09-24");
  // 25 Sep 1pm: still nothing; the same day counts once.
  step("2019-09-25", "empty", 9);
  deepEqual(state.empty_days, ["2019-09-25"]);
  // 26 Sep: nothing → still 24 Sep.
  equal(step("2019-09-26", "empty").event, "requery");
  equal(state.cursor, "2019-09-24");
  equal(state.empty_days.length, 2);
  // 27 Sep: data → BAU, gap check from 24 Sep, next query uses 27 Sep.
  const back = step("2019-09-27", "data");
  equal(back.event, "recovered");
  equal(back.gapCheckFrom, "2019-09-24");
  equal(state.cursor, "2019-09-27");
  equal(state.mode, "bau");
  // 28 Sep: data → BAU with 27 Sep next... and the cursor moves to the run date.
  equal(step("2019-09-28", "data").event, "bau");
  equal(state.cursor, "2019-09-28");
});

Deno.test("three empty working days raise an alert naming the national service desk", () => {
  let state = bau("2026-11-16");
  for (const day of ["2026-11-17", "2026-11-18"]) {
    state = advance(state, { runId: day, at: at(day), runDate: day, result: "empty" }, cal).state;
    equal(state.mode, "requery");
  }
  const t = advance(
    state,
    { runId: "x", at: at("2026-11-19"), runDate: "2026-11-19", result: "empty" },
    cal,
  );
  equal(t.event, "alert");
  equal(t.state.mode, "alert");
  ok(t.state.alert?.includes(SERVICE_DESK));
  equal(t.state.cursor, "2026-11-16", "the cursor never moves on empty runs");
});

Deno.test("empty runs on days ODS doesn't publish are expected and not counted", () => {
  const state = bau("2026-11-28");
  const sunday = advance(
    state,
    { runId: "s", at: at("2026-11-29"), runDate: "2026-11-29", result: "empty" },
    cal,
  );
  equal(sunday.event, "expected_empty");
  equal(sunday.state.mode, "bau");
  deepEqual(sunday.state.empty_days, []);
});

Deno.test("a failed run changes neither the cursor nor the empty-day count", () => {
  const state: SyncState = { ...bau("2026-11-20"), mode: "requery", empty_days: ["2026-11-24"] };
  const t = advance(
    state,
    { runId: "f", at: at("2026-11-25"), runDate: "2026-11-25", result: "failed" },
    cal,
  );
  equal(t.event, "failed");
  equal(t.state.cursor, "2026-11-20");
  deepEqual(t.state.empty_days, ["2026-11-24"]);
  equal(t.state.last_outcome, "failed");
  equal(t.state.last_success_at, null);
});

Deno.test("re-query attempts run only when needed", () => {
  const now = new Date("2026-11-25T10:00:00Z");
  const good: SyncState = {
    ...bau("2026-11-25"),
    last_outcome: "success",
    last_success_at: "2026-11-25T04:31:00Z",
  };
  ok(!requeryDue(good, now), "today's run succeeded");
  ok(requeryDue({ ...good, mode: "requery" }, now), "re-querying");
  ok(requeryDue({ ...good, last_outcome: "failed" }, now), "last run failed");
  ok(requeryDue({ ...good, last_success_at: "2026-11-24T04:31:00Z" }, now), "no run today");
});

Deno.test("the alert clears when data returns: back to business as usual, cursor moved", () => {
  let state = bau("2026-11-16");
  for (const day of ["2026-11-17", "2026-11-18", "2026-11-19"]) {
    state = advance(state, { runId: day, at: at(day), runDate: day, result: "empty" }, cal).state;
  }
  equal(state.mode, "alert");
  const t = advance(
    state,
    { runId: "d", at: at("2026-11-20"), runDate: "2026-11-20", result: "data" },
    cal,
  );
  equal(t.state.mode, "bau");
  equal(t.state.alert, null);
  ok(t.state.cursor !== null && t.state.cursor > "2026-11-16", `cursor ${t.state.cursor}`);
});
