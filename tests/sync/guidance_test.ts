import { deepEqual, equal, ok } from "node:assert/strict";
import * as keys from "../../lib/keys.ts";
import { runSync } from "../../lib/sync/run.ts";
import { INITIAL_SYNC_STATE } from "../../lib/sync/state.ts";
import { at, syncWorld } from "./helpers.ts";

/**
 * The NHS England guidance's example, over real HTTP against the simulator: the data refresh
 * fails on 25 September 2019 and is not resolved until the 27th.
 *
 * | Date run (after 3am) | LastChangeDate | Result |
 * |---|---|---|
 * | 24 Sep | 2019-09-23 | data (BAU) |
 * | 25 Sep | 2019-09-24 | no data |
 * | 25 Sep 1pm | 2019-09-24 | no data |
 * | 26 Sep | 2019-09-24 | no data (re-query) |
 * | 27 Sep | 2019-09-24 | data (BAU) |
 * | 28 Sep | 2019-09-27 | data (BAU) |
 */
for (const kind of ["ord", "fhir"] as const) {
  Deno.test(`${kind}: NHS guidance September 2019 scenario over HTTP`, async (t) => {
    const w = await syncWorld("2019-09-23T12:00:00Z", { lastChangeDate: "2019-01-07" });
    try {
      await w.store.kv.set(keys.syncStateKey, { ...INITIAL_SYNC_STATE, cursor: "2019-09-23" });
      const ds = w.sim.dataset;
      // Analysts' changes, one trust renamed per working day.
      ds.rename("RGT", "CHANGED ON 23 SEPTEMBER", "2019-09-23");
      ds.rename("RVV", "CHANGED ON 24 SEPTEMBER", "2019-09-24");
      ds.rename("RWH", "CHANGED ON 25 SEPTEMBER", "2019-09-25");
      ds.rename("RM1", "CHANGED ON 26 SEPTEMBER", "2019-09-26");
      ds.rename("RJ1", "CHANGED ON 27 SEPTEMBER", "2019-09-27");

      const expectations: [string, string, "success" | "empty", string][] = [
        ["2019-09-24T05:00:00Z", "2019-09-23", "success", "2019-09-24"],
        ["2019-09-25T05:00:00Z", "2019-09-24", "empty", "2019-09-24"],
        ["2019-09-25T12:00:00Z", "2019-09-24", "empty", "2019-09-24"],
        ["2019-09-26T05:00:00Z", "2019-09-24", "empty", "2019-09-24"],
        ["2019-09-27T05:00:00Z", "2019-09-24", "success", "2019-09-27"],
        ["2019-09-28T05:00:00Z", "2019-09-27", "success", "2019-09-28"],
      ];
      for (const [when, queried, outcome, cursorAfter] of expectations) {
        await t.step(`run at ${when} queries ${queried} and gets ${outcome}`, async () => {
          w.sim.clock.set(when);
          w.sim.clearRequests();
          const r = await runSync({ store: w.store, source: w.source(kind), now: at(when) });
          if (kind === "ord") {
            const sync = w.sim.requests.find((q) => q.path.endsWith("/sync"));
            ok(sync?.query.includes(`LastChangeDate=${queried}`), sync?.query);
          } else {
            const dayBefore = Temporal.PlainDate.from(queried).subtract({ days: 1 }).toString();
            const page = w.sim.requests.find((q) => q.path.endsWith("/Organization"));
            ok(page?.query.includes(`lastChangeDate=gt${dayBefore}`), page?.query);
          }
          equal(r.run.outcome, outcome);
          equal(r.state.cursor, cursorAfter);
          // Data fails assurance after the 24th's publication; resolved on the 27th.
          if (when.startsWith("2019-09-24")) w.sim.clock.configure({ delayUntil: "2019-09-27" });
          if (when.startsWith("2019-09-26")) equal(r.state.mode, "requery");
        });
      }
      await t.step("every change made while data was delayed was applied", async () => {
        for (
          const [code, name] of [
            ["RVV", "CHANGED ON 24 SEPTEMBER"],
            ["RWH", "CHANGED ON 25 SEPTEMBER"],
            ["RM1", "CHANGED ON 26 SEPTEMBER"],
            ["RJ1", "CHANGED ON 27 SEPTEMBER"],
          ]
        ) equal((await w.store.get("trust", code))?.name, name);
      });
    } finally {
      await w.close();
    }
  });

  Deno.test(`${kind}: after a gap, days with no records are flagged for review`, async () => {
    const w = await syncWorld("2019-09-23T12:00:00Z", { lastChangeDate: "2019-01-07" });
    try {
      await w.store.kv.set(keys.syncStateKey, { ...INITIAL_SYNC_STATE, cursor: "2019-09-24" });
      w.sim.dataset.rename("RVV", "CHANGED ON 24 SEPTEMBER", "2019-09-24");
      // Nothing at all changed in ODS on the 25th.
      w.sim.dataset.rename("RM1", "CHANGED ON 26 SEPTEMBER", "2019-09-26");
      w.sim.clock.configure({ delayUntil: "2019-09-27" });
      for (const when of ["2019-09-25T05:00:00Z", "2019-09-26T05:00:00Z"]) {
        w.sim.clock.set(when);
        equal(
          (await runSync({ store: w.store, source: w.source(kind), now: at(when) })).run.outcome,
          "empty",
        );
      }
      const when = "2019-09-27T05:00:00Z";
      w.sim.clock.set(when);
      const r = await runSync({ store: w.store, source: w.source(kind), now: at(when) });
      equal(r.run.outcome, "success");
      deepEqual(r.run.gaps, ["2019-09-25"]);
      ok(r.review.some((i) => i.reason === "gap"));
    } finally {
      await w.close();
    }
  });
}
