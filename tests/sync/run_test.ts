import { deepEqual, equal, ok } from "node:assert/strict";
import { checkConsistency, dumpRecords } from "../../lib/consistency.ts";
import * as keys from "../../lib/keys.ts";
import { applyDemoChanges } from "../../testing/ods_sim/seeded.ts";
import { readSyncState, runSync } from "../../lib/sync/run.ts";
import { listReview } from "../../lib/sync/history.ts";
import { at, syncWorld } from "./helpers.ts";

// Tuesday 24 November 2026, after the 02:30 publication.
const TUESDAY = "2026-11-24T06:00:00Z";
const WEDNESDAY = "2026-11-25T06:00:00Z";

for (const kind of ["ord", "fhir"] as const) {
  Deno.test(`${kind}: first run on a seeded store re-baselines every tracked record from ODS`, async (t) => {
    const w = await syncWorld(TUESDAY);
    try {
      const result = await runSync({ store: w.store, source: w.source(kind), now: at(TUESDAY) });
      await t.step("the run succeeds and moves the cursor to today", () => {
        equal(result.run.outcome, "success");
        equal(result.run.kind, "baseline");
        equal(result.state.cursor, "2026-11-24");
        equal(result.state.mode, "bau");
      });
      await t.step("every ODS-backed record now carries its ODS LastChangeDate", async () => {
        const rgt01 = await w.store.get("organisation", "RGT01");
        equal(rgt01?.last_change_date, "2024-06-03");
        equal(rgt01?.name, "ADDENBROOKE'S HOSPITAL");
        equal(rgt01?.paediatric_diabetes_unit_code, "PZ041", "curated membership kept");
        equal(rgt01?.website, "https://www.cuh.nhs.uk/", "upper-cased ODS URL does not churn");
        const trust = await w.store.get("trust", "RGT");
        equal(trust?.last_change_date, "2024-06-03");
      });
      await t.step("curated records are never touched", async () => {
        const jersey = await w.store.get("organisation", "RGT1W");
        equal(jersey?.source, "curated");
        equal(jersey?.last_change_date, null);
      });
      await t.step("the run is recorded and the store is consistent", async () => {
        const run = (await w.store.kv.get(keys.runKey(result.run.id))).value;
        ok(run);
        deepEqual(await checkConsistency(w.store), []);
      });
      await t.step("a second baseline changes nothing", async () => {
        const again = await runSync({
          store: w.store,
          source: w.source(kind),
          request: "full",
          now: at(TUESDAY),
        });
        equal(again.run.outcome, "success");
        equal(again.run.changed, 0);
      });
    } finally {
      await w.close();
    }
  });

  Deno.test(`${kind}: an incremental run brings renamed trusts, re-parented sites and new ICBs current`, async (t) => {
    const w = await syncWorld(TUESDAY);
    try {
      await runSync({ store: w.store, source: w.source(kind), now: at(TUESDAY) });
      const demo = applyDemoChanges(w.sim, w.seed, "2026-11-24");
      w.sim.clock.set(WEDNESDAY);
      w.sim.clearRequests();
      const source = w.source(kind);
      const result = await runSync({ store: w.store, source, now: at(WEDNESDAY) });

      await t.step("the run queries from the cursor and succeeds", () => {
        equal(result.run.outcome, "success");
        equal(result.run.query_date, "2026-11-24");
        equal(result.state.cursor, "2026-11-25");
        if (kind === "ord") {
          const syncCalls = w.sim.requests.filter((r) => r.path.endsWith("/sync"));
          equal(syncCalls.length, 1);
          ok(syncCalls[0].query.includes("LastChangeDate=2026-11-24"));
        } else {
          const pages = w.sim.requests.filter((r) =>
            r.query.includes("lastChangeDate=gt2026-11-23")
          );
          ok(pages.length >= 1);
        }
      });
      await t.step("renamed trusts are renamed", async () => {
        for (const { code, name } of demo.renamedTrusts) {
          equal((await w.store.get("trust", code))?.name, name);
        }
      });
      await t.step("a re-parented site follows its new trust, ICB and region", async () => {
        const [moved] = demo.reparentedSites;
        const org = await w.store.get("organisation", moved.code);
        equal(org?.trust_code, moved.to);
        const trust = await w.store.get("trust", moved.to);
        equal(org?.integrated_care_board_code, trust?.integrated_care_board_code);
      });
      await t.step("new ICBs are created and their trusts' sites follow them", async () => {
        for (const icb of demo.newIcbs) {
          const rec = await w.store.get("integrated_care_board", icb.code);
          ok(rec, `ICB ${icb.code} created`);
          equal(rec?.source, "ods");
          for (const trustCode of icb.trusts) {
            const trust = await w.store.get("trust", trustCode);
            equal(trust?.integrated_care_board_code, icb.code);
            for (const org of await w.store.listBy("organisation", "trust_code", trustCode)) {
              equal(org.integrated_care_board_code, icb.code, `${org.ods_code} follows its trust`);
            }
          }
          for (const old of icb.replaces) {
            equal((await w.store.get("integrated_care_board", old))?.active, false);
          }
        }
      });
      await t.step("a closure is applied, never deleted, and put on the review list", async () => {
        const closed = demo.closedSite!;
        const org = await w.store.get("organisation", closed.code);
        equal(org?.active, false);
        const review = await listReview(w.store);
        ok(review.some((i) => i.reason === "closure" && i.code === closed.code));
        if (kind === "ord") {
          // FHIR Organization resources carry no successions; ORD records do.
          deepEqual(org?.successors, [closed.successor]);
          ok(review.some((i) => i.reason === "succession" && i.code === closed.code));
        }
        ok(review.some((i) => i.reason === "new_parent" && i.code === demo.newIcbs[0].code));
        ok(review.some((i) => i.reason === "reparent" && i.code === demo.reparentedSites[0].code));
      });
      await t.step(
        "requests: ORD = tracked changes + new parents + change list + deletion list; FHIR = pages",
        () => {
          if (kind === "fhir") {
            const reads = w.sim.requests.filter((r) => /\/Organization\/[A-Z0-9]+$/.test(r.path));
            equal(reads.length, 0);
            // Successions: one CodeSystem $lookup per record the run fetched (all changed that day).
            const lookups = w.sim.requests.filter((r) => r.path.endsWith("/CodeSystem/$lookup"));
            equal(lookups.length, result.run.fetched);
            const lists = w.sim.requests.filter((r) =>
              r.path.endsWith("/List/Organization-deletion")
            );
            equal(lists.length, 1);
            ok(
              result.run.requests <=
                Math.ceil(result.run.links_seen / 200) + 3 + lookups.length + lists.length,
              `${result.run.requests}`,
            );
            return;
          }
          const fetches = w.sim.requests.filter((r) => r.path.includes("/organisations/"));
          const newParents = fetches.filter((r) =>
            demo.newIcbs.some((i) => r.path.endsWith(`/${i.code}`))
          );
          equal(newParents.length, demo.newIcbs.length, "each new ICB fetched once");
          equal(result.run.fetched, fetches.length);
          equal(w.sim.requests.filter((r) => r.path.endsWith("/notifications")).length, 1);
          equal(result.run.requests, fetches.length + 2);
          equal(w.sim.requests.length, fetches.length + 2);
        },
      );
      await t.step(
        "every change is in the change log with the ODS LastChangeDate and run id",
        async () => {
          const history = await w.store.history("trust", demo.renamedTrusts[0].code);
          const last = history[history.length - 1];
          equal(last.cause, "sync");
          equal(last.run_id, result.run.id);
          equal(last.last_change_date, "2026-11-24");
          ok(last.changes.some((c) => c.field === "name"));
        },
      );
      await t.step("the store is consistent", async () => {
        deepEqual(await checkConsistency(w.store), []);
      });
    } finally {
      await w.close();
    }
  });
}

Deno.test("a dry run prints the diff and writes nothing", async () => {
  const w = await syncWorld(TUESDAY);
  try {
    await runSync({ store: w.store, source: w.source(), now: at(TUESDAY) });
    applyDemoChanges(w.sim, w.seed, "2026-11-24");
    w.sim.clock.set(WEDNESDAY);
    const before = await dumpRecords(w.store);
    const stateBefore = await readSyncState(w.store);
    const result = await runSync({
      store: w.store,
      source: w.source(),
      now: at(WEDNESDAY),
      dryRun: true,
    });
    equal(result.run.outcome, "success");
    ok(result.rows.length > 0);
    ok(result.markdown.includes("| Entity | Code | Field | Old | New |"));
    ok(result.markdown.includes("| trust | RGT | name |"));
    deepEqual(await dumpRecords(w.store), before);
    deepEqual(await readSyncState(w.store), stateBefore);
  } finally {
    await w.close();
  }
});

Deno.test("an empty day keeps the cursor and starts re-querying", async () => {
  const w = await syncWorld(TUESDAY);
  try {
    await runSync({ store: w.store, source: w.source(), now: at(TUESDAY) });
    w.sim.clock.set(WEDNESDAY); // nothing changed on Tuesday
    const result = await runSync({ store: w.store, source: w.source(), now: at(WEDNESDAY) });
    equal(result.run.outcome, "empty");
    equal(result.state.cursor, "2026-11-24");
    equal(result.state.mode, "requery");
    deepEqual(result.state.empty_days, ["2026-11-25"]);
  } finally {
    await w.close();
  }
});

for (const kind of ["ord", "fhir"] as const) {
  Deno.test(`${kind}: a failing ODS never moves the cursor and never reports no changes`, async () => {
    const w = await syncWorld(TUESDAY);
    try {
      await runSync({ store: w.store, source: w.source(kind), now: at(TUESDAY) });
      applyDemoChanges(w.sim, w.seed, "2026-11-24");
      w.sim.clock.set(WEDNESDAY);
      w.sim.faults.add({
        path: kind === "ord" ? "/ORD/2-0-0/sync" : "/fhir/Organization",
        kind: "status",
        status: 503,
      });
      const result = await runSync({ store: w.store, source: w.source(kind), now: at(WEDNESDAY) });
      equal(result.run.outcome, "failed");
      equal(result.state.cursor, "2026-11-24");
      equal(result.state.last_outcome, "failed");
      ok(result.run.errors.length > 0);
      equal((await readSyncState(w.store)).cursor, "2026-11-24");
    } finally {
      await w.close();
    }
  });
}

Deno.test("a malformed record is quarantined, reported and retried on the next run", async () => {
  const w = await syncWorld(TUESDAY);
  try {
    await runSync({ store: w.store, source: w.source(), now: at(TUESDAY) });
    w.sim.dataset.rename("RGT", "CAMBRIDGE UNIVERSITY HOSPITALS NHS TRUST", "2026-11-24");
    w.sim.clock.set(WEDNESDAY);
    const faultId = w.sim.faults.add({
      path: "/ORD/2-0-0/organisations/RGT",
      kind: "malformed",
      variant: "twoPrimaryRoles",
    });
    const first = await runSync({ store: w.store, source: w.source(), now: at(WEDNESDAY) });
    equal(first.run.outcome, "success", "a quarantined record does not fail the run");
    deepEqual(first.run.quarantined.map((q) => q.code), ["RGT"]);
    ok(first.markdown.includes("quarantined RGT"));
    equal(first.state.cursor, "2026-11-25");
    ok((await w.store.kv.get(keys.quarantineKey("RGT"))).value);
    equal(
      (await w.store.get("trust", "RGT"))?.name,
      "CAMBRIDGE UNIVERSITY HOSPITALS NHS FOUNDATION TRUST",
    );

    w.sim.faults.remove(faultId);
    const THURSDAY = "2026-11-26T06:00:00Z";
    w.sim.clock.set(THURSDAY);
    const second = await runSync({ store: w.store, source: w.source(), now: at(THURSDAY) });
    equal((await w.store.get("trust", "RGT"))?.name, "CAMBRIDGE UNIVERSITY HOSPITALS NHS TRUST");
    equal((await w.store.kv.get(keys.quarantineKey("RGT"))).value, null);
    ok(second.run.fetched >= 1);
  } finally {
    await w.close();
  }
});
