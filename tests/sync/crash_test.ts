import { deepEqual, equal, ok } from "node:assert/strict";
import { checkConsistency, dumpRecords } from "../../lib/consistency.ts";
import { addDays } from "../../lib/dates.ts";
import { killSyncWhen } from "../../testing/proc.ts";
import { applyDemoChanges } from "../../testing/ods_sim/seeded.ts";
import { readSyncState, runSync } from "../../lib/sync/run.ts";
import { Store } from "../../lib/store.ts";
import { dataVersionKey } from "../../lib/keys.ts";
import { syncWorld } from "./helpers.ts";

const NOW = new Date().toISOString();
const LEASE_TTL_MS = 1000;

Deno.test("a sync killed at any point leaves the store consistent and the cursor unmoved, and the next run converges", async (t) => {
  // Reference: the same world synced without interruption.
  const reference = await syncWorld(NOW);
  const demoDay = reference.sim.clock.today();
  applyDemoChanges(reference.sim, reference.seed, demoDay);
  reference.sim.publish(addDays(demoDay, 1));
  await runSync({ store: reference.store, source: reference.source() });
  const expected = await dumpRecords(reference.store);
  await reference.close();

  const w = await syncWorld(NOW);
  applyDemoChanges(w.sim, w.seed, demoDay);
  w.sim.publish(addDays(demoDay, 1));
  w.sim.faults.latencyMs = 2;
  w.store.close();
  try {
    // Kill points: during the fetch (after N requests to ODS) and during the apply (after K
    // commits to the store), drawn from a seeded generator so a failure can be replayed.
    let x = 20261127;
    const rand = (n: number) =>
      1 + Math.floor((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 * n);
    const watcher = await Store.open(w.kvPath);
    const commits = async () => (await watcher.kv.get(dataVersionKey)).versionstamp;
    const points: {
      label: string;
      due: (start: number, stamp: string | null) => () => Promise<boolean>;
    }[] = [
      ...[rand(100), 100 + rand(400)].map((n) => ({
        label: `after ${n} ODS requests`,
        due: (start: number) => () => Promise.resolve(w.sim.requests.length - start >= n),
      })),
      ...[rand(3), 3 + rand(10), 13 + rand(10)].map((k) => ({
        label: `after ${k} store commits`,
        due: (_: number, stamp: string | null) => {
          let seen = 0;
          let last = stamp;
          return async () => {
            const now = await commits();
            if (now !== last) {
              seen++;
              last = now;
            }
            return seen >= k;
          };
        },
      })),
    ];
    let midApply = 0;
    try {
      for (const point of points) {
        await t.step(`killed ${point.label}`, async () => {
          const status = await killSyncWhen(
            w.kvPath,
            w.sim.ordBaseUrl,
            point.due(w.sim.requests.length, await commits()),
            LEASE_TTL_MS,
          );
          const store = await Store.open(w.kvPath);
          try {
            deepEqual(await checkConsistency(store), []);
            if (status.signal === "SIGKILL") {
              equal((await readSyncState(store)).cursor, null, "cursor not moved by a killed run");
              const applied = (await store.list("trust")).filter((r) => r.last_change_date).length;
              if (applied > 0) midApply++;
            }
          } finally {
            store.close();
          }
          await new Promise((r) => setTimeout(r, LEASE_TTL_MS + 100)); // the dead run's lease expires
        });
      }
    } finally {
      watcher.close();
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
