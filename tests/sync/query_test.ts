import { deepEqual } from "node:assert/strict";
import { ORD_WINDOW_DAYS, planQuery } from "../../lib/sync/query.ts";

const TODAY = "2026-11-25";

// Bug caught: a new store querying changes since "null" instead of loading every record.
Deno.test("a store that has never synced re-baselines", () => {
  deepEqual(planQuery({ request: "auto", cursor: null, today: TODAY, source: "ord" }), {
    ok: true,
    kind: "baseline",
    since: null,
    stale: false,
  });
});

// Bug caught: --full ignored when a cursor exists.
Deno.test("a full request re-baselines even with a cursor", () => {
  deepEqual(planQuery({ request: "full", cursor: "2026-11-24", today: TODAY, source: "fhir" }), {
    ok: true,
    kind: "baseline",
    since: null,
    stale: false,
  });
});

// Bug caught: the daily run not continuing from the stored cursor.
Deno.test("an automatic run continues from the cursor", () => {
  deepEqual(planQuery({ request: "auto", cursor: "2026-11-24", today: TODAY, source: "ord" }), {
    ok: true,
    kind: "incremental",
    since: "2026-11-24",
    stale: false,
  });
});

// Bug caught: a cursor older than ORD's window sent to ORD (which refuses it) every day.
Deno.test("a cursor older than the ORD window re-baselines, flagged stale", () => {
  deepEqual(planQuery({ request: "auto", cursor: "2026-01-01", today: TODAY, source: "ord" }), {
    ok: true,
    kind: "baseline",
    since: null,
    stale: true,
  });
});

// Bug caught: --since silently replaced by the cursor.
Deno.test("an explicit since date is queried as given", () => {
  const plan = planQuery({
    request: { since: "2026-11-02" },
    cursor: "2026-11-24",
    today: TODAY,
    source: "ord",
  });
  deepEqual(plan, { ok: true, kind: "incremental", since: "2026-11-02", stale: false });
});

// Bug caught: a future date queried (ODS answers with nothing, read as an empty day).
Deno.test("a since date in the future is refused", () => {
  deepEqual(
    planQuery({ request: { since: "2026-12-01" }, cursor: null, today: TODAY, source: "ord" }),
    {
      ok: false,
      kind: "incremental",
      since: "2026-12-01",
      error: "date 2026-12-01 is in the future",
    },
  );
});

// Bug caught: an ORD query outside the window sent anyway (HTTP 406 on every attempt).
Deno.test("an ORD since date outside the window is refused with advice to re-baseline", () => {
  const plan = planQuery({
    request: { since: "2026-01-01" },
    cursor: null,
    today: TODAY,
    source: "ord",
  });
  deepEqual(plan, {
    ok: false,
    kind: "incremental",
    since: "2026-01-01",
    error: `ORD only serves the last ${ORD_WINDOW_DAYS} days; 2026-01-01 is older: run with --full`,
  });
});

// Bug caught: FHIR held to ORD's window, which it doesn't have.
Deno.test("a FHIR since date outside the ORD window is allowed", () => {
  const plan = planQuery({
    request: { since: "2026-01-01" },
    cursor: null,
    today: TODAY,
    source: "fhir",
  });
  deepEqual(plan, { ok: true, kind: "incremental", since: "2026-01-01", stale: false });
});

// Bug caught: an impossible date sent to ODS.
Deno.test("an invalid since date is refused", () => {
  const plan = planQuery({
    request: { since: "2026-02-30" },
    cursor: null,
    today: TODAY,
    source: "fhir",
  });
  deepEqual(plan, {
    ok: false,
    kind: "incremental",
    since: "2026-02-30",
    error: 'invalid date "2026-02-30"',
  });
});
