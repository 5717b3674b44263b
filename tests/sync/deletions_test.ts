/**
 * Records ODS deletes outside the change list, through both sources over HTTP: ORD
 * `/notifications` and FHIR `List/Organization-deletion` are read on every run.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { parseFhirDeletionList } from "../../lib/ods/fhir.ts";
import { parseOrdNotifications } from "../../lib/ods/ord.ts";
import { listReview } from "../../lib/sync/history.ts";
import { runSync } from "../../lib/sync/run.ts";
import { at, syncWorld } from "./helpers.ts";

const TUESDAY = "2026-11-24T06:00:00Z";
const WEDNESDAY = "2026-11-25T06:00:00Z";
const THURSDAY = "2026-11-26T06:00:00Z";

Deno.test("ORD /notifications: the documented example gives its code and date", () => {
  // NHS Digital's notifications endpoint example (`OrgID` with a capital D).
  const body = {
    DeletedOrganisations: [{
      OrgID: "I8M8X",
      PrimaryRoleId: "RO96",
      reason: { code: 3, description: "HUMAN ERROR" },
      time: "2023-09-01 00:00:00",
      type: { code: 1, description: "Machine" },
    }],
  };
  deepEqual(parseOrdNotifications(body), {
    ok: true,
    deleted: [{ code: "I8M8X", date: "2023-09-01" }],
  });
});

Deno.test("FHIR List/Organization-deletion: the specification's example gives codes and dates", () => {
  const item = (value: string) => ({
    date: "2024-01-17T00:00:00+00:00",
    item: {
      type: "Organization",
      identifier: { system: "https://fhir.nhs.uk/Id/ods-organization-code", value },
    },
  });
  const body = {
    resourceType: "List",
    id: "Organization-deletion",
    status: "current",
    mode: "working",
    title: "List of Organization Resource Deletions",
    date: "2024-01-25T00:00:00+00:00",
    entry: [item("FVG57"), item("FJE57")],
  };
  deepEqual(parseFhirDeletionList(body), {
    ok: true,
    deleted: [{ code: "FVG57", date: "2024-01-17" }, { code: "FJE57", date: "2024-01-17" }],
  });
});

Deno.test("a deletion list without a code for an item is unreadable, not skipped", () => {
  equal(parseOrdNotifications({ DeletedOrganisations: [{ time: "2023-09-01" }] }).ok, false);
  equal(parseFhirDeletionList({ resourceType: "List", entry: [{ item: {} }] }).ok, false);
});

for (const kind of ["ord", "fhir"] as const) {
  Deno.test(`${kind}: a tracked record ODS deletes goes on the review list once and stays served`, async (t) => {
    const w = await syncWorld(TUESDAY);
    try {
      await runSync({ store: w.store, source: w.source(kind), now: at(TUESDAY) });
      w.sim.dataset.delete("RGT01", "2026-11-24");
      w.sim.clock.set(WEDNESDAY);
      const run = await runSync({ store: w.store, source: w.source(kind), now: at(WEDNESDAY) });
      equal(run.run.outcome, "empty", "ODS listed no change: the deletion is not a change");

      await t.step("it is on the review list", async () => {
        const items = (await listReview(w.store)).filter((i) => i.reason === "deleted");
        deepEqual(items.map((i) => [i.code, i.facts.deleted_on]), [["RGT01", "2026-11-24"]]);
      });
      await t.step("it is still served, marked as deleted by ODS in its history", async () => {
        const stored = await w.store.get("organisation", "RGT01");
        equal(stored?.name, "ADDENBROOKE'S HOSPITAL");
        equal(stored?.ods_deleted, "2026-11-24");
        const last = (await w.store.history("organisation", "RGT01")).at(-1);
        deepEqual(last?.changes, [{ field: "ods_deleted", old: null, new: "2026-11-24" }]);
      });
      await t.step("the next run does not put it on the list again", async () => {
        w.sim.clock.set(THURSDAY);
        await runSync({ store: w.store, source: w.source(kind), now: at(THURSDAY) });
        const items = (await listReview(w.store)).filter((i) => i.reason === "deleted");
        equal(items.length, 1);
      });
    } finally {
      await w.close();
    }
  });

  Deno.test(`${kind}: an unreadable deletion list fails the run and keeps the cursor`, async () => {
    const w = await syncWorld(TUESDAY);
    try {
      await runSync({ store: w.store, source: w.source(kind), now: at(TUESDAY) });
      w.sim.dataset.rename("RGT", "RENAMED TRUST", "2026-11-24");
      w.sim.clock.set(WEDNESDAY);
      w.sim.faults.add({
        path: kind === "ord" ? "/ORD/2-0-0/notifications" : "/fhir/List/Organization-deletion",
        kind: "status",
        status: 503,
      });
      const run = await runSync({ store: w.store, source: w.source(kind), now: at(WEDNESDAY) });
      equal(run.run.outcome, "failed");
      ok(run.run.errors.some((e) => e.startsWith("deletion list:")), run.run.errors.join("; "));
      equal(run.state.cursor, "2026-11-24", "re-read next time");
    } finally {
      await w.close();
    }
  });
}

Deno.test("a deleted code the service doesn't track is ignored", async () => {
  const w = await syncWorld(TUESDAY);
  try {
    await runSync({ store: w.store, source: w.source("ord"), now: at(TUESDAY) });
    const curated = "RGT1W"; // Jersey General Hospital: curated, never synced
    w.sim.dataset.addRecord({
      ...w.sim.dataset.get("RGT01")!,
      OrgId: { ...w.sim.dataset.get("RGT01")!.OrgId, extension: curated },
    }, "2026-11-20");
    w.sim.publish("2026-11-21");
    w.sim.dataset.delete(curated, "2026-11-24");
    w.sim.clock.set(WEDNESDAY);
    await runSync({ store: w.store, source: w.source("ord"), now: at(WEDNESDAY) });
    equal((await listReview(w.store)).filter((i) => i.reason === "deleted").length, 0);
    equal((await w.store.get("organisation", curated))?.ods_deleted, undefined);
  } finally {
    await w.close();
  }
});
