import { deepEqual, equal, ok } from "node:assert/strict";
import { checkConsistency, dumpRecords } from "../lib/consistency.ts";
import { applyDemoChanges } from "../lib/ods_sim/seeded.ts";
import { readSyncState, runSync } from "../lib/sync/run.ts";
import { Store } from "../lib/store.ts";
import { syncWorld } from "./sync_helpers.ts";

const NOW = new Date().toISOString();
const LEASE_TTL_MS = 1000;

/** Run `deno task sync` in a child process and SIGKILL it after `killAfterMs`. */
async function killedRun(kvPath: string, ordBaseUrl: string, killAfterMs: number) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "sync.ts", "--quiet"],
    env: {
      KV_PATH: kvPath,
      ORD_BASE_URL: ordBaseUrl,
      ODS_RATE_LIMIT: "1000",
      ODS_RETRIES: "1",
      SYNC_LEASE_TTL_MS: String(LEASE_TTL_MS),
      LOG_LEVEL: "error",
    },
    stdout: "null",
    stderr: "null",
  }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), killAfterMs);
  const status = await child.status;
  clearTimeout(timer);
  return status;
}

Deno.test("a sync killed at any point leaves the store consistent and the cursor unmoved, and the next run converges", async (t) => {
  // Reference: the same world synced without interruption.
  const reference = await syncWorld(NOW);
  const demoDay = reference.sim.clock.today();
  applyDemoChanges(reference.sim, reference.seed, demoDay);
  reference.sim.publish(nextDay(demoDay));
  await runSync({ store: reference.store, source: reference.source() });
  const expected = await dumpRecords(reference.store);
  await reference.close();

  const w = await syncWorld(NOW);
  applyDemoChanges(w.sim, w.seed, demoDay);
  w.sim.publish(nextDay(demoDay));
  w.sim.faults.latencyMs = 3; // long enough to be killed mid-run
  w.store.close();
  try {
    // Kill at growing, jittered delays (seeded, so a failure can be replayed) until one kill
    // lands after some records were applied, or the run finishes first.
    let x = 20261127;
    const rand = () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    let midApply = 0;
    for (let i = 0, ms = 400; i < 10 && midApply < 2; i++, ms += 250 + Math.round(rand() * 100)) {
      const status = await killedRun(w.kvPath, w.sim.ordBaseUrl, ms);
      const store = await Store.open(w.kvPath);
      try {
        deepEqual(await checkConsistency(store), [], `consistent after a kill at ${ms} ms`);
        if (status.signal !== "SIGKILL") break; // the run completed before the kill
        equal((await readSyncState(store)).cursor, null, "cursor not moved by a killed run");
        const applied = (await store.list("trust")).filter((r) => r.last_change_date).length;
        if (applied > 0) midApply++;
      } finally {
        store.close();
      }
      await new Promise((r) => setTimeout(r, LEASE_TTL_MS + 100)); // the dead run's lease expires
    }
    await t.step("at least one kill landed after some records were applied", () => {
      ok(midApply >= 1, `kills after partial apply: ${midApply}`);
    });
    await t.step("the next run converges to the uninterrupted result", async () => {
      const store = await Store.open(w.kvPath);
      try {
        const r = await runSync({ store, source: w.source(), leaseTtlMs: LEASE_TTL_MS });
        equal(r.run.outcome, "success");
        ok(r.state.cursor);
        deepEqual(await dumpRecords(store), expected);
        deepEqual(await checkConsistency(store), []);
      } finally {
        store.close();
      }
    });
  } finally {
    await w.sim.close();
    await Deno.remove(w.dir, { recursive: true });
  }
});

function nextDay(day: string): string {
  return Temporal.PlainDate.from(day).add({ days: 1 }).toString();
}
