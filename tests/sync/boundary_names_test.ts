/**
 * The sync keeps the ONS names of ICBs and health boards (issue #12, item 3): ODS writes them
 * in capitals, which is no rename; an ICB new to the store gets the same mixed-case style, and
 * its change log keeps ODS's own spelling (`ods_name`).
 */
import { equal } from "node:assert/strict";
import { runSync } from "../../lib/sync/run.ts";
import { buildIcb } from "../../testing/ods_sim/kinds.ts";
import { at, syncWorld } from "./helpers.ts";

const TUESDAY = "2026-11-24T06:00:00Z";
const WEDNESDAY = "2026-11-25T06:00:00Z";

Deno.test("a first sync keeps the ONS names that ODS writes in capitals (QUE, 7A1)", async () => {
  const w = await syncWorld(TUESDAY);
  try {
    await runSync({ store: w.store, source: w.source(), now: at(TUESDAY) });
    const que = await w.store.get("integrated_care_board", "QUE");
    equal(que?.name, "NHS Cambridgeshire and Peterborough Integrated Care Board");
    const betsi = await w.store.get("local_health_board", "7A1");
    equal(betsi?.name, "Betsi Cadwaladr University Health Board");
    const renames = (await w.store.history("integrated_care_board", "QUE"))
      .filter((e) => e.cause === "sync" && e.changes.some((c) => c.field === "name"));
    equal(renames.length, 0);
  } finally {
    await w.close();
  }
});

/** A trust moved to a new ICB that ODS names in capitals, published for Wednesday's run. */
async function newIcbRun() {
  const w = await syncWorld(TUESDAY);
  await runSync({ store: w.store, source: w.source(), now: at(TUESDAY) });
  w.sim.dataset.addRecord(
    buildIcb({
      code: "Q9Z",
      name: "NHS SURREY AND SUSSEX INTEGRATED CARE BOARD",
      lastChangeDate: "2026-11-24",
      region: "Y59",
      start: "2026-11-24",
      icbSince: "2026-11-24",
    }),
    "2026-11-24",
  );
  w.sim.dataset.setIcb("RTP", "Q9Z", "2026-11-24");
  w.sim.clock.set(WEDNESDAY);
  const result = await runSync({ store: w.store, source: w.source(), now: at(WEDNESDAY) });
  equal(result.run.outcome, "success");
  return w;
}

Deno.test("an ICB new to the store gets the ONS style (Surrey and Sussex)", async () => {
  const w = await newIcbRun();
  try {
    equal(
      (await w.store.get("integrated_care_board", "Q9Z"))?.name,
      "NHS Surrey and Sussex Integrated Care Board",
    );
  } finally {
    await w.close();
  }
});

Deno.test("the change log of an ICB new to the store keeps ODS's spelling of its name", async () => {
  const w = await newIcbRun();
  try {
    const [created] = await w.store.history("integrated_care_board", "Q9Z");
    equal(created.op, "create");
    equal(created.ods_name, "NHS SURREY AND SUSSEX INTEGRATED CARE BOARD");
  } finally {
    await w.close();
  }
});
