import { deepEqual, equal, ok } from "node:assert/strict";
import { ukHour } from "../../lib/dates.ts";
import { setLogSink } from "../../lib/log.ts";
import {
  DAILY_SCHEDULE,
  dailyJob,
  EFFECTIVE_SCHEDULE,
  registerCronJobs,
  REQUERY_SCHEDULE,
  requeryJob,
} from "../../lib/sync/schedule.ts";
import { listRuns } from "../../lib/sync/history.ts";
import { at, syncWorld } from "./helpers.ts";

Deno.test("the daily cron runs after the ODS publication in both GMT and BST", () => {
  const [minute, hour] = DAILY_SCHEDULE.split(" ").map(Number);
  for (const day of ["2026-01-15", "2026-07-15", "2026-03-29", "2026-10-25"]) {
    const utc = new Date(`${day}T${String(hour).padStart(2, "0")}:${minute}:00Z`);
    ok(ukHour(utc) >= 4, `${day}: ${ukHour(utc)}:${minute} UK time is after 03:00 publication`);
  }
  const [, hours] = REQUERY_SCHEDULE.split(" ");
  const [first, last] = hours.split("/")[0].split("-").map(Number);
  ok(first >= 7 && last <= 19, "re-query attempts stay within the working day");
});

Deno.test("the effective-date job runs in the first minutes of the UK day, in GMT and in BST", () => {
  const [minute, hours] = EFFECTIVE_SCHEDULE.split(" ");
  for (const day of ["2026-01-15", "2026-07-15"]) {
    const times = hours.split(",").map((h) =>
      new Date(`${day}T${h.padStart(2, "0")}:${minute.padStart(2, "0")}:00Z`)
    );
    ok(times.some((t) => ukHour(t) === 0), `${day}: one run at 00:${minute} UK time`);
  }
});

Deno.test("the re-query job runs only when the algorithm needs it", async () => {
  const w = await syncWorld("2026-11-24T06:00:00Z");
  try {
    const deps = {
      store: w.store,
      createSource: () => w.source(),
      now: at("2026-11-24T04:30:00Z"),
    };
    await dailyJob(deps);
    equal((await listRuns(w.store)).length, 1);
    // Today's run succeeded: the 10:00 attempt does nothing.
    equal(await requeryJob({ ...deps, now: at("2026-11-24T10:00:00Z") }), false);
    equal((await listRuns(w.store)).length, 1);
    // Next day, nothing published yet: the daily run is empty, so re-query attempts run.
    w.sim.clock.set("2026-11-25T04:30:00Z");
    await dailyJob({ ...deps, now: at("2026-11-25T04:30:00Z") });
    equal((await listRuns(w.store))[0].outcome, "empty");
    equal(await requeryJob({ ...deps, now: at("2026-11-25T10:00:00Z") }), true);
    equal((await listRuns(w.store)).length, 3);
  } finally {
    await w.close();
  }
});

Deno.test("registerCronJobs registers the three jobs; a crashing job is logged, never thrown", async () => {
  const w = await syncWorld("2026-11-24T06:00:00Z");
  const lines: string[] = [];
  const prev = setLogSink((line) => lines.push(line));
  try {
    const jobs = new Map<string, { schedule: string; handler: () => Promise<void> }>();
    let fail = false;
    registerCronJobs(
      {
        store: w.store,
        createSource: () => {
          if (fail) throw new Error("ODS settings broken");
          return w.source();
        },
        now: at("2026-11-24T04:30:00Z"),
      },
      (name, schedule, handler) => jobs.set(name, { schedule, handler }),
    );
    deepEqual(
      [...jobs].map(([name, j]) => [name, j.schedule]),
      [
        ["ods-sync-daily", DAILY_SCHEDULE],
        ["ods-sync-requery", REQUERY_SCHEDULE],
        ["ods-effective-daily", EFFECTIVE_SCHEDULE],
      ],
    );
    await jobs.get("ods-sync-daily")!.handler();
    equal((await listRuns(w.store)).length, 1, "the daily handler runs a sync");
    fail = true;
    await jobs.get("ods-sync-daily")!.handler(); // resolves: the scheduler never sees the error
    const crash = lines.map((l) => JSON.parse(l)).find((l) => l.msg === "cron job daily crashed");
    ok(crash, "the crash is logged");
    equal(crash.level, "error");
    ok(String(crash.error).includes("ODS settings broken"));
  } finally {
    setLogSink(prev);
    await w.close();
  }
});
