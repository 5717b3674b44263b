import { deepEqual, equal, throws } from "node:assert/strict";
import { ConfigError, loadConfig } from "../../lib/config.ts";
import * as keys from "../../lib/keys.ts";
import { WorkingCalendar } from "../../lib/sync/calendar.ts";
import { settle } from "../../lib/sync/cursor.ts";
import { advance } from "../../lib/sync/defensive.ts";
import { beforePublication, publishedDay } from "../../lib/sync/publication.ts";
import { runSync } from "../../lib/sync/run.ts";
import { INITIAL_SYNC_STATE, type SyncState } from "../../lib/sync/state.ts";
import { at, syncWorld } from "./helpers.ts";

// NHS England's guidance: updated records are returned "between Tuesday and Saturday after
// approximately 3am"; the service's default publication time is therefore 03:00 UK time.
const cal = new WorkingCalendar();
const requerying = (cursor: string, emptyDays: string[]): SyncState => ({
  ...INITIAL_SYNC_STATE,
  cursor,
  mode: "requery",
  empty_days: emptyDays,
});

Deno.test("01:30 UK time is before a 03:00 publication, in winter and in summer", () => {
  equal(beforePublication(new Date("2026-11-26T01:30:00Z"), "03:00"), true, "GMT");
  equal(beforePublication(new Date("2026-07-02T00:30:00Z"), "03:00"), true, "01:30 BST");
  equal(beforePublication(new Date("2026-07-02T02:30:00Z"), "03:00"), false, "03:30 BST");
  equal(beforePublication(new Date("2026-11-26T03:00:00Z"), "03:00"), false, "03:00 itself");
});

Deno.test("before the publication time a run has seen yesterday's publication", () => {
  equal(publishedDay(new Date("2026-11-26T01:30:00Z"), "03:00"), "2026-11-25");
  equal(publishedDay(new Date("2026-11-26T05:00:00Z"), "03:00"), "2026-11-26");
});

Deno.test("an empty run at 01:30 on a publishing day is not a missed working day", () => {
  // Thursday 26 November 2026 publishes Wednesday's changes.
  const state = requerying("2026-11-23", ["2026-11-24", "2026-11-25"]);
  const early = advance(state, {
    runId: "r",
    at: "2026-11-26T01:30:00.000Z",
    runDate: "2026-11-26",
    result: "empty",
    beforePublication: true,
  }, cal);
  deepEqual(early.state.empty_days, ["2026-11-24", "2026-11-25"]);
  equal(early.state.mode, "requery", "still re-querying, no alert");
  equal(early.state.alert, null);
  equal(early.state.cursor, "2026-11-23");
});

Deno.test("a later empty run that day counts as the missed working day", () => {
  const state = requerying("2026-11-23", ["2026-11-24", "2026-11-25"]);
  const later = advance(state, {
    runId: "r",
    at: "2026-11-26T05:00:00.000Z",
    runDate: "2026-11-26",
    result: "empty",
    beforePublication: false,
  }, cal);
  equal(later.event, "alert");
  deepEqual(later.state.empty_days, ["2026-11-24", "2026-11-25", "2026-11-26"]);
});

Deno.test("a run before the publication time that returns records moves the cursor to yesterday", () => {
  // Records with today's publication still to come: the next run must ask for yesterday again.
  const state: SyncState = { ...INITIAL_SYNC_STATE, cursor: "2026-11-24" };
  const early = settle(state, {
    runId: "r",
    at: "2026-11-26T01:30:00.000Z",
    today: "2026-11-26",
    kind: "incremental",
    outcome: "success",
    beforePublication: true,
  }, cal);
  equal(early.state.cursor, "2026-11-25");
});

Deno.test("a baseline before the publication time sets the cursor to yesterday", () => {
  const early = settle(INITIAL_SYNC_STATE, {
    runId: "r",
    at: "2026-11-26T01:30:00.000Z",
    today: "2026-11-26",
    kind: "baseline",
    outcome: "success",
    beforePublication: true,
  }, cal);
  equal(early.state.cursor, "2026-11-25");
});

Deno.test("ODS_PUBLICATION_TIME defaults to 03:00 and must be HH:MM", () => {
  equal(loadConfig({ KV_PATH: ":memory:" }).publicationTime, "03:00");
  equal(
    loadConfig({ KV_PATH: ":memory:", ODS_PUBLICATION_TIME: "04:15" }).publicationTime,
    "04:15",
  );
  throws(
    () => loadConfig({ KV_PATH: ":memory:", ODS_PUBLICATION_TIME: "3am" }),
    (e: unknown) => e instanceof ConfigError && e.problems[0].includes("ODS_PUBLICATION_TIME"),
  );
});

Deno.test("a manual run at 01:30 after two empty working days raises no alert", async () => {
  // ODS's data fails assurance after Monday 23 November 2026; the simulator publishes at 03:00.
  const w = await syncWorld("2026-11-23T12:00:00Z");
  try {
    w.sim.clock.configure({ publishTime: "03:00", delayUntil: "2026-12-31" });
    await w.store.kv.set(keys.syncStateKey, { ...INITIAL_SYNC_STATE, cursor: "2026-11-23" });
    const run = async (when: string) => {
      w.sim.clock.set(when);
      return await runSync({ store: w.store, source: w.source("ord"), now: at(when) });
    };
    await run("2026-11-24T05:00:00Z");
    await run("2026-11-25T05:00:00Z");
    const early = await run("2026-11-26T01:30:00Z");
    equal(early.run.outcome, "empty");
    equal(early.state.mode, "requery");
    equal(early.state.alert, null);
    deepEqual(early.state.empty_days, ["2026-11-24", "2026-11-25"]);
    const later = await run("2026-11-26T05:00:00Z");
    equal(later.state.mode, "alert", "the run after the publication time is the third day");
  } finally {
    await w.close();
  }
});
