/**
 * GP practices ODS deletes (its deletion list: ORD `/notifications`, FHIR
 * `List/Organization-deletion`): marked with ODS's date, left out of today's answers, kept for
 * earlier dates, never put on the review list. Expected dates are the simulator's deletion
 * notices.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { runSync } from "../../lib/sync/run.ts";
import { listReview } from "../../lib/sync/history.ts";
import type { OdsSimulator } from "../../testing/ods_sim/server.ts";
import { appFor, getJson } from "../api/helpers.ts";
import { at, syncWorld } from "./helpers.ts";

const TUESDAY = "2026-11-24T06:00:00Z";
const WEDNESDAY = "2026-11-25T06:00:00Z";
const THURSDAY = "2026-11-26T06:00:00Z";
const DELETED_ON = "2026-11-24";
type Item = Record<string, unknown>;

/** An open practice of the simulator's national set. */
function openPractice(sim: OdsSimulator): string {
  return [...sim.dataset.records()].find((o) =>
    o.Roles.Role.some((r) => r.id === "RO76") && o.Status === "Active"
  )!.OrgId.extension;
}

for (const kind of ["ord", "fhir"] as const) {
  Deno.test(`${kind}: a practice ODS deletes is marked with ODS's date, without a review item`, async () => {
    const w = await syncWorld(TUESDAY, { gpPractices: 40 });
    try {
      const sync = (now: string) =>
        runSync({ store: w.store, source: w.source(kind), now: at(now), gpPractices: true });
      await sync(TUESDAY);
      const code = openPractice(w.sim);
      w.sim.dataset.delete(code, DELETED_ON);
      w.sim.clock.set(WEDNESDAY);
      const run = await sync(WEDNESDAY);
      equal(run.run.gp_practices?.deleted, 1);
      equal((await w.store.get("general_practice", code))?.ods_deleted, DELETED_ON);
      const last = (await w.store.history("general_practice", code)).at(-1);
      deepEqual(last?.changes, [{ field: "ods_deleted", old: null, new: DELETED_ON }]);
      const review = (await listReview(w.store)).filter((i) => i.code === code);
      equal(review.length, 0, "practices are not curated by hand");
      w.sim.clock.set(THURSDAY);
      equal((await sync(THURSDAY)).run.gp_practices?.deleted, 0, "marked once");
    } finally {
      await w.close();
    }
  });
}

Deno.test("a deleted practice leaves today's answers and stays in earlier dates'", async (t) => {
  const w = await syncWorld(TUESDAY, { gpPractices: 40 });
  try {
    const sync = (now: string) =>
      runSync({ store: w.store, source: w.source("ord"), now: at(now), gpPractices: true });
    await sync(TUESDAY);
    const code = openPractice(w.sim);
    const postcode = w.sim.dataset.get(code)!.GeoLoc!.Location.PostCode!;
    w.sim.dataset.delete(code, DELETED_ON);
    w.sim.clock.set(WEDNESDAY);
    await sync(WEDNESDAY);
    const app = appFor(w.store);
    await t.step("its detail is a 404 saying ODS deleted it", async () => {
      const { status, body } = await getJson(app, `/general_practices/${code}/`);
      equal(status, 404);
      ok(String((body as Item).explanation).includes(`deleted this GP practice on ${DELETED_ON}`));
    });
    await t.step("the list and the postcode look-up leave it out", async () => {
      const all = (await getJson(app, "/general_practices/?fields=ods_code")).body as Item[];
      ok(!all.some((p) => p.ods_code === code));
      const q = new URLSearchParams({ postcode });
      const near = (await getJson(app, `/general_practices/?${q}`)).body as Item[];
      ok(!near.some((p) => p.ods_code === code));
    });
    await t.step("the day before its deletion it is answered", async () => {
      const before = await getJson(app, `/general_practices/${code}/?as_of=2026-11-23`);
      equal(before.status, 200);
      equal((before.body as Item).ods_code, code);
      const q = new URLSearchParams({ postcode, as_of: "2026-11-23" });
      const near = (await getJson(app, `/general_practices/?${q}`)).body as Item[];
      ok(near.some((p) => p.ods_code === code), "by postcode");
      const list = await getJson(app, "/general_practices/?as_of=2026-11-23&fields=ods_code");
      ok((list.body as Item[]).some((p) => p.ods_code === code), "the whole date");
    });
    await t.step("on the day of its deletion it is not", async () => {
      const on = await getJson(app, `/general_practices/${code}/?as_of=${DELETED_ON}`);
      equal(on.status, 404);
    });
  } finally {
    await w.close();
  }
});

Deno.test("a deleted practice ODS changes later is in use again", async () => {
  const w = await syncWorld(TUESDAY, { gpPractices: 40 });
  try {
    const sync = (now: string) =>
      runSync({ store: w.store, source: w.source("ord"), now: at(now), gpPractices: true });
    await sync(TUESDAY);
    const code = openPractice(w.sim);
    const record = structuredClone(w.sim.dataset.get(code)!);
    w.sim.dataset.delete(code, DELETED_ON);
    w.sim.clock.set(WEDNESDAY);
    await sync(WEDNESDAY);
    w.sim.dataset.addRecord({ ...record, Name: "REOPENED SURGERY" }, "2026-11-25");
    w.sim.clock.set(THURSDAY);
    await sync(THURSDAY);
    const stored = await w.store.get("general_practice", code);
    deepEqual([stored?.name, stored?.ods_deleted ?? null], ["REOPENED SURGERY", null]);
    const { status } = await getJson(appFor(w.store), `/general_practices/${code}/`);
    equal(status, 200);
  } finally {
    await w.close();
  }
});
