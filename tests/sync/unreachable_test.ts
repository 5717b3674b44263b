/** A sync run when ODS can't be reached at all: a real closed port on loopback. */
import { deepEqual, equal, ok } from "node:assert/strict";
import * as keys from "../../lib/keys.ts";
import { createOdsSource } from "../../lib/ods/source.ts";
import { readSyncState, type RunRecord, runSync } from "../../lib/sync/run.ts";
import { closedPort } from "../ods/closed_port.ts";
import { at, type SyncWorld, syncWorld } from "./helpers.ts";

const TUESDAY = "2026-11-24T06:00:00Z";
const WEDNESDAY = "2026-11-25T06:00:00Z";
const FAST = { backoffBaseMs: 1, backoffMaxMs: 5 };

/** A source of `kind` pointed at a port nothing listens on. */
function unreachable(w: SyncWorld, kind: "ord" | "fhir", port: number) {
  const base = `http://127.0.0.1:${port}`;
  return createOdsSource(
    { ...w.odsConfig(kind), ordBaseUrl: `${base}/ORD/2-0-0`, odtBaseUrl: `${base}/fhir` },
    FAST,
  );
}

for (const kind of ["ord", "fhir"] as const) {
  // Bug caught: an offline run recorded as something other than failed, or moving the cursor.
  Deno.test(`${kind}: an unreachable ODS fails the run, recorded failed, cursor unmoved`, async () => {
    const w = await syncWorld(TUESDAY);
    try {
      await runSync({ store: w.store, source: w.source(kind), now: at(TUESDAY) });
      const result = await runSync({
        store: w.store,
        source: unreachable(w, kind, closedPort()),
        now: at(WEDNESDAY),
      });
      equal(result.run.outcome, "failed");
      const stored = (await w.store.kv.get<RunRecord>(keys.runKey(result.run.id))).value;
      equal(stored?.outcome, "failed");
      equal((await readSyncState(w.store)).cursor, "2026-11-24");
      equal(stored?.cursor_after, "2026-11-24");
    } finally {
      await w.close();
    }
  });

  // Bug caught: the baseline printed 634 "network error" lines naming no host.
  Deno.test(`${kind}: an unreachable ODS gives one error naming the host and URL`, async () => {
    const w = await syncWorld(TUESDAY);
    try {
      const port = closedPort();
      const result = await runSync({
        store: w.store,
        source: unreachable(w, kind, port),
        now: at(TUESDAY),
      });
      equal(result.run.kind, "baseline");
      equal(result.run.errors.length, 1, result.run.errors.slice(0, 3).join("\n"));
      const [error] = result.run.errors;
      ok(error.startsWith(`ODS unreachable: cannot reach 127.0.0.1:${port} (http://`), error);
      ok(error.includes(kind === "ord" ? "/ORD/2-0-0/organisations/" : "/fhir/Organization?"));
    } finally {
      await w.close();
    }
  });
}

// Bug caught: the failed dry run ended its report with "No changes.".
Deno.test("a failed run's report never says no changes", async () => {
  const w = await syncWorld(TUESDAY);
  try {
    const result = await runSync({
      store: w.store,
      source: unreachable(w, "ord", closedPort()),
      now: at(TUESDAY),
      dryRun: true,
    });
    equal(result.run.outcome, "failed");
    deepEqual(result.rows, []);
    ok(!/no changes/i.test(result.markdown), result.markdown);
    ok(result.markdown.includes("Nothing was applied: the run failed."), result.markdown);
  } finally {
    await w.close();
  }
});
