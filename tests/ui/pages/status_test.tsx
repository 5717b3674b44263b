import { ok } from "node:assert/strict";
import { runRecord } from "../../fixtures.ts";
import { type Kind, KIND_ORDER } from "../../../lib/model.ts";
import { INITIAL_SYNC_STATE, type SyncState } from "../../../lib/sync/state.ts";
import { StatusPage } from "../../../lib/ui/pages/status.tsx";
import { renderPage } from "../../../lib/ui/layout.tsx";
import { loadStatus } from "../../../lib/ui/data.ts";
import { runSync } from "../../../lib/sync/run.ts";
import { at, syncWorld } from "../../sync/helpers.ts";

const T0 = new Date("2026-11-26T09:30:00Z");

Deno.test("status page: business as usual, re-querying and alert read differently", async () => {
  const counts = Object.fromEntries(KIND_ORDER.map((k) => [k, 1])) as Record<Kind, number>;
  const render = async (state: Partial<SyncState>, description: string) =>
    await renderPage(
      <StatusPage
        ctx={{ base: "./", signedIn: false, now: T0 }}
        data={{
          counts,
          activeOrganisations: 1,
          state: { ...INITIAL_SYNC_STATE, cursor: "2026-11-25", ...state },
          modeDescription: description,
          lastRun: runRecord({ outcome: "empty", started_at: "2026-11-26T08:00:00.000Z" }),
          reviewOpen: 0,
          quarantined: 0,
          running: false,
          unitsWithoutOrganisation: [],
        }}
      />,
    );
  const bau = await render({ mode: "bau" }, "business as usual");
  ok(bau.includes('nhsuk-tag--green">Business as usual'));
  ok(!bau.includes("nhsuk-card--warning"));
  const requery = await render(
    { mode: "requery", empty_days: ["2026-11-26", "2026-11-27"] },
    "re-querying day 2 of 3",
  );
  ok(requery.includes('nhsuk-tag--orange">Re-querying day 2 of 3'));
  ok(requery.includes("on 2 working days"));
  const alert = await render(
    { mode: "alert", alert: "No records for 3 working days: raise a log." },
    "alert",
  );
  ok(alert.includes("nhsuk-card--warning"));
  ok(alert.includes("No records for 3 working days: raise a log."));
  ok(alert.includes("mailto:ssd.nationalservicedesk@nhs.net"));
});

Deno.test("status page: lists the PDUs without an organisation until the first sync creates their sites", async () => {
  const w = await syncWorld("2026-11-24T06:00:00Z");
  const page = async () =>
    await renderPage(
      <StatusPage
        ctx={{ base: "./", signedIn: false, now: T0 }}
        data={await loadStatus(w.store)}
      />,
    );
  try {
    const before = await page();
    ok(before.includes("PDU without an organisation"));
    // The eight units whose sites the 2024 organisation list lacks.
    for (const pz of ["PZ014", "PZ042", "PZ065", "PZ073", "PZ084", "PZ105", "PZ141", "PZ226"]) {
      ok(before.includes(pz), pz);
    }
    await runSync({ store: w.store, source: w.source(), now: at("2026-11-24T06:00:00Z") });
    ok(!(await page()).includes("PDU without an organisation"));
  } finally {
    await w.close();
  }
});
