/**
 * Dated relationships through both sources, over HTTP against the simulator: what ODS publishes
 * in advance (marked `Active`, as ODS does) takes effect on its date, not before; contradictory
 * dates quarantine the record; overlaps resolve to the relationship that started last.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import * as keys from "../../lib/keys.ts";
import { runEffective } from "../../lib/sync/effective.ts";
import { listReview } from "../../lib/sync/history.ts";
import { runSync } from "../../lib/sync/run.ts";
import { ordTarget } from "../../testing/ods_sim/record.ts";
import { appFor, getJson } from "../api/helpers.ts";
import { at, syncWorld } from "./helpers.ts";

// Tuesday 24 November 2026 after the publication; the changes are made that day and published
// on Wednesday 25th.
const TUESDAY = "2026-11-24T06:00:00Z";
const WEDNESDAY = "2026-11-25T06:00:00Z";
/** The first day of the move (a reorganisation on 1 April 2027). */
const MOVE = "2027-04-01";

for (const kind of ["ord", "fhir"] as const) {
  Deno.test(`${kind}: a site moving trust on a later date keeps its trust until that date`, async (t) => {
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
      const run = await runSync({ store: w.store, source: w.source(kind), now: at(WEDNESDAY) });
      equal(run.run.outcome, "success");

      await t.step("today's parent is still the old trust, with its ICB", async () => {
        const stored = await w.store.get("organisation", site.ods_code);
        equal(stored?.trust_code, "RVV");
        equal(
          stored?.integrated_care_board_code,
          (await w.store.get("trust", "RVV"))?.integrated_care_board_code,
        );
      });
      await t.step("both relationships are stored with their dates", async () => {
        const facts = (await w.store.get("organisation", site.ods_code))?.ods_facts;
        const re6 = facts?.relationships.filter((r) => r.id === "RE6").map((r) => [
          r.target,
          r.operational.start,
          r.operational.end,
        ]);
        ok(re6?.some(([target, , end]) => target === "RVV" && end === "2027-03-31"));
        ok(re6?.some(([target, start, end]) => target === "RGT" && start === MOVE && end === null));
      });
      await t.step("the review list says when the move takes effect", async () => {
        const items = (await listReview(w.store)).filter((i) => i.code === site.ods_code);
        const scheduled = items.find((i) => i.reason === "scheduled");
        equal(scheduled?.detail, `${site.ods_code} moves from RVV to RGT on ${MOVE}`);
        ok(!items.some((i) => i.reason === "reparent"), "not filed as moved already");
      });
      await t.step("the effective-date job changes nothing the day before", async () => {
        const eve = await runEffective({ store: w.store, now: at("2027-03-31T12:00:00Z") });
        equal(eve.changed, 0);
        equal((await w.store.get("organisation", site.ods_code))?.trust_code, "RVV");
      });
      await t.step("on the date, the job moves the site, with a change log entry", async () => {
        // 00:30 BST on 1 April 2027.
        const day = await runEffective({ store: w.store, now: at("2027-03-31T23:30:00Z") });
        equal(day.date, MOVE);
        const stored = await w.store.get("organisation", site.ods_code);
        equal(stored?.trust_code, "RGT");
        equal(
          stored?.integrated_care_board_code,
          (await w.store.get("trust", "RGT"))?.integrated_care_board_code,
        );
        const last = (await w.store.history("organisation", site.ods_code)).at(-1);
        equal(last?.cause, "effective");
        deepEqual(last?.changes.find((c) => c.field === "trust_code"), {
          field: "trust_code",
          old: "RVV",
          new: "RGT",
        });
      });
      await t.step("the API serves the new parent", async () => {
        const app = appFor(w.store, [], null, 0);
        const got = await getJson(app, `/organisations/${site.ods_code}/`);
        equal((got.body as { trust: { ods_code: string } }).trust.ods_code, "RGT");
      });
      await t.step("running the job again that day changes nothing", async () => {
        const again = await runEffective({ store: w.store, now: at("2027-04-01T09:00:00Z") });
        equal(again.changed, 0);
      });
    } finally {
      await w.close();
    }
  });

  Deno.test(`${kind}: a trust moving ICB on a later date moves with its sites on that date`, async () => {
    const w = await syncWorld(TUESDAY);
    try {
      await runSync({ store: w.store, source: w.source(kind), now: at(TUESDAY) });
      w.sim.dataset.setIcb("RGT", "QKS", "2026-11-24", { effective: MOVE, activeInAdvance: true });
      w.sim.clock.set(WEDNESDAY);
      await runSync({ store: w.store, source: w.source(kind), now: at(WEDNESDAY) });
      equal((await w.store.get("trust", "RGT"))?.integrated_care_board_code, "QUE");
      equal((await w.store.get("organisation", "RGT01"))?.integrated_care_board_code, "QUE");
      const scheduled = (await listReview(w.store)).find((i) =>
        i.code === "RGT" && i.reason === "scheduled"
      );
      equal(scheduled?.detail, `RGT moves from QUE to QKS on ${MOVE}`);

      await runEffective({ store: w.store, now: at("2027-04-01T06:00:00Z") });
      equal((await w.store.get("trust", "RGT"))?.integrated_care_board_code, "QKS");
      const rgt01 = await w.store.get("organisation", "RGT01");
      equal(rgt01?.integrated_care_board_code, "QKS", "the site follows its trust");
      equal(
        rgt01?.nhs_england_region_code,
        (await w.store.get("integrated_care_board", "QKS"))?.nhs_england_region_code,
      );
    } finally {
      await w.close();
    }
  });

  Deno.test(`${kind}: a relationship that ends before it starts quarantines the record`, async () => {
    const w = await syncWorld(TUESDAY);
    try {
      await runSync({ store: w.store, source: w.source(kind), now: at(TUESDAY) });
      w.sim.dataset.update("RGT01", (o) => {
        const re6 = o.Rels!.Rel.find((r) => r.id === "RE6")!;
        re6.Date = [{ Type: "Operational", Start: "2027-04-01", End: "2020-03-31" }];
        o.Name = "CHANGED WITH BAD DATES";
      }, "2026-11-24");
      w.sim.clock.set(WEDNESDAY);
      const run = await runSync({ store: w.store, source: w.source(kind), now: at(WEDNESDAY) });
      equal(run.run.outcome, "success", "a quarantined record does not fail the run");
      deepEqual(run.run.quarantined, [{
        code: "RGT01",
        reason: "relationship RE6 to RGT ends (2020-03-31) before it starts (2027-04-01)",
      }]);
      ok((await w.store.kv.get(keys.quarantineKey("RGT01"))).value);
      const stored = await w.store.get("organisation", "RGT01");
      equal(stored?.name, "ADDENBROOKE'S HOSPITAL", "nothing of the record was applied");
      equal(stored?.trust_code, "RGT");
    } finally {
      await w.close();
    }
  });

  Deno.test(`${kind}: two relationships in force on one date resolve to the later one, for review`, async () => {
    const w = await syncWorld(TUESDAY);
    try {
      await runSync({ store: w.store, source: w.source(kind), now: at(TUESDAY) });
      w.sim.dataset.update("RGT01", (o) => {
        o.Rels!.Rel.push({
          Date: [{ Type: "Operational", Start: "2026-10-01" }],
          Status: "Active",
          Target: ordTarget("RVV", "RO197"),
          id: "RE6",
          uniqueRelId: 990001,
        });
      }, "2026-11-24");
      w.sim.clock.set(WEDNESDAY);
      await runSync({ store: w.store, source: w.source(kind), now: at(WEDNESDAY) });
      equal((await w.store.get("organisation", "RGT01"))?.trust_code, "RVV", "started last");
      const overlap = (await listReview(w.store)).find((i) =>
        i.code === "RGT01" && i.reason === "overlap"
      );
      ok(overlap, "on the review list");
      deepEqual(overlap.facts.in_force, ["RGT", "RVV"]);
    } finally {
      await w.close();
    }
  });
}
