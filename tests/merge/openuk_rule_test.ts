/**
 * The OPEN UK network `--create` gives a new site follows the original's seeding rule (the
 * issue's facts: RN351, RN341 and RN325 are in WPNN, the last of RN3's two rows; 7A7BM has no
 * network, as 7A7's row applies to the trust 7A7's sites), over the real reference rows.
 */
import { deepEqual as assertEquals, ok as assert } from "node:assert/strict";
import { chooseNetwork } from "../../lib/merge/memberships.ts";
import { loadSeedFile, seedStore } from "../../lib/seed.ts";
import { Store } from "../../lib/store.ts";
import { buildSite } from "../../testing/ods_sim/kinds.ts";
import { seededRecords } from "../../testing/ods_sim/seeded.ts";
import { startOdsSimulator } from "../../testing/ods_sim/server.ts";
import { cmd, run, ScriptedTerminal } from "./helpers.ts";

const seed = loadSeedFile();

Deno.test("create: a new RN3 site joins WPNN like RN351, RN341 and RN325 (RN3's last row)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "merge-openuk-" });
  const store = await Store.open(`${dir}/store.sqlite`);
  const sim = await startOdsSimulator({
    now: "2025-06-10T09:00:00Z",
    records: [
      ...seededRecords(seed, "2024-06-03"),
      buildSite({
        code: "RN399",
        name: "A NEW RN3 SITE",
        trust: "RN3",
        lastChangeDate: "2025-05-01",
      }),
    ],
  });
  try {
    await seedStore(store, seed);
    const term = new ScriptedTerminal([]);
    const { exitCode } = await run(
      cmd("create", ["RN399"], { yes: true }),
      store,
      sim,
      term,
      seed.memberships,
    );
    assertEquals(exitCode, 0, term.text);
    assertEquals((await store.get("organisation", "RN399"))?.openuk_network_code, "WPNN");
  } finally {
    store.close();
    await sim.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("create: a new site of the health board 7A7 gets no network from 7A7's row", () => {
  assert(seed.records.trust.some((t) => t.ods_code === "7A7"), "7A7 is a trust too");
  const choice = chooseNetwork({
    code: "7A7ZZ",
    tombstone: { value: null, versionstamp: null },
    parent: { kind: "local_health_board", code: "7A7", label: "local health board 7A7" },
    parentCodeIsTrust: true,
    ref: seed.memberships,
    predecessorCodes: [],
    predecessors: [],
  });
  assertEquals(choice.code, null);
});
