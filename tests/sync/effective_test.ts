import { equal, ok } from "node:assert/strict";
import { loadSeedFile, seedStore } from "../../lib/seed.ts";
import { Store } from "../../lib/store.ts";
import { listReview } from "../../lib/sync/history.ts";
import { acquireLease } from "../../lib/sync/lease.ts";
import { EFFECTIVE_LEASE, runEffective } from "../../lib/sync/effective.ts";
import { at } from "./helpers.ts";

async function seeded(): Promise<{ store: Store; dir: string }> {
  const dir = await Deno.makeTempDir({ prefix: "effective-test-" });
  const store = await Store.open(`${dir}/store.sqlite`);
  await seedStore(store, loadSeedFile(), { time: "2024-10-01T00:00:00.000Z" });
  return { store, dir };
}

// ODS's end date is the last day a record is in force: a site whose operational end is
// 2027-03-31 is active that day and closed from 2027-04-01.
Deno.test("a closure ODS dated in advance takes effect the day after its end date", async () => {
  const { store, dir } = await seeded();
  try {
    await store.write([{
      writes: [{
        kind: "organisation",
        code: "RGT01",
        update: (cur) =>
          cur
            ? { ...cur, operational_start: "1999-04-01", operational_end: "2027-03-31" }
            : undefined,
      }],
    }], { cause: "sync", runId: "t" });
    equal((await runEffective({ store, now: at("2027-03-31T12:00:00Z") })).changed, 0);
    const day = await runEffective({ store, now: at("2027-04-01T06:00:00Z") });
    equal(day.changed, 1);
    equal((await store.get("organisation", "RGT01"))?.active, false);
    const last = (await store.history("organisation", "RGT01")).at(-1);
    equal(last?.cause, "effective");
    ok((await listReview(store)).some((i) => i.code === "RGT01" && i.reason === "closure"));
  } finally {
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the effective-date job runs one at a time: a held lease leaves it to the holder", async () => {
  const { store, dir } = await seeded();
  try {
    const lease = await acquireLease(store.kv, EFFECTIVE_LEASE, 60_000);
    const busy = await runEffective({ store, now: at("2027-04-01T06:00:00Z") });
    equal(busy.outcome, "busy");
    await lease?.release();
    equal((await runEffective({ store, now: at("2027-04-01T06:00:00Z") })).outcome, "applied");
  } finally {
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
});
