/**
 * `?as_of=` after syncs from the ODS simulator, through both sources: a move ODS publishes in
 * advance answers the old parents before its date and the new ones from it, with no
 * effective-date job run (the answer comes from the dated facts, not the current fields).
 */
import { equal } from "node:assert/strict";
import { runSync } from "../../lib/sync/run.ts";
import { at, syncWorld } from "../sync/helpers.ts";
import { appFor, getJson } from "./helpers.ts";

// Tuesday 24 November 2026 after the publication; the changes are made that day and published
// on Wednesday 25th, to take effect on 1 April 2027.
const TUESDAY = "2026-11-24T06:00:00Z";
const WEDNESDAY = "2026-11-25T06:00:00Z";
const MOVE = "2027-04-01";
const EVE = "2027-03-31";

interface Parents {
  trust: { ods_code: string } | null;
  integrated_care_board: { ods_code: string } | null;
}

for (const kind of ["ord", "fhir"] as const) {
  Deno.test(`${kind}: a re-parented site answers its old trust before the move, the new from it`, async () => {
    const w = await syncWorld(TUESDAY);
    try {
      await runSync({ store: w.store, source: w.source(kind), now: at(TUESDAY) });
      const site = w.seed.records.organisation.find((o) =>
        o.source === "ods" && o.trust_code === "RVV"
      )!;
      w.sim.dataset.reparent(site.ods_code, "RGT", "2026-11-24", {
        effective: MOVE,
        activeInAdvance: true,
      });
      w.sim.clock.set(WEDNESDAY);
      await runSync({ store: w.store, source: w.source(kind), now: at(WEDNESDAY) });
      const app = appFor(w.store);
      const on = async (date: string) =>
        (await getJson(app, `/organisations/${site.ods_code}/?as_of=${date}`)).body as Parents;
      const icbOf = async (trust: string) =>
        (await w.store.get("trust", trust))?.integrated_care_board_code;
      const before = await on(EVE);
      equal(before.trust?.ods_code, "RVV");
      equal(before.integrated_care_board?.ods_code, await icbOf("RVV"));
      const after = await on(MOVE);
      equal(after.trust?.ods_code, "RGT");
      equal(after.integrated_care_board?.ods_code, await icbOf("RGT"));
    } finally {
      await w.close();
    }
  });

  Deno.test(`${kind}: a trust moving ICB gives its sites the old ICB before the move, the new from it`, async () => {
    const w = await syncWorld(TUESDAY);
    try {
      await runSync({ store: w.store, source: w.source(kind), now: at(TUESDAY) });
      w.sim.dataset.setIcb("RGT", "QKS", "2026-11-24", { effective: MOVE, activeInAdvance: true });
      w.sim.clock.set(WEDNESDAY);
      await runSync({ store: w.store, source: w.source(kind), now: at(WEDNESDAY) });
      const app = appFor(w.store);
      const on = async (date: string) =>
        (await getJson(app, `/organisations/RGT01/?as_of=${date}`)).body as Parents;
      equal((await on(EVE)).integrated_care_board?.ods_code, "QUE");
      equal((await on(MOVE)).integrated_care_board?.ods_code, "QKS");
    } finally {
      await w.close();
    }
  });
}

Deno.test("a site renamed by a sync answers its old name for dates before the sync", async () => {
  const w = await syncWorld(TUESDAY);
  try {
    await runSync({ store: w.store, source: w.source(), now: at(TUESDAY) });
    const before = (await w.store.get("organisation", "RGT01"))!.name;
    w.sim.dataset.rename("RGT01", "ADDENBROOKE'S NEW HOSPITAL", "2026-11-24");
    w.sim.clock.set(WEDNESDAY);
    await runSync({ store: w.store, source: w.source(), now: at(WEDNESDAY) });
    const app = appFor(w.store);
    const nameOn = async (date: string) =>
      ((await getJson(app, `/organisations/RGT01/?as_of=${date}`)).body as { name: string }).name;
    equal(await nameOn("2026-11-24"), before);
    equal(await nameOn("2026-11-25"), "ADDENBROOKE'S NEW HOSPITAL");
  } finally {
    await w.close();
  }
});
