import { deepEqual as assertEquals, match as assertMatch, ok as assert } from "node:assert/strict";
import { tombstoneKey } from "../../lib/keys.ts";
import type { Tombstone } from "../../lib/merge/plan.ts";
import { cmd, openTestStore, run, ScriptedTerminal, startTestSim } from "./helpers.ts";

Deno.test("delete: shows every relationship with names and how many others share it", async () => {
  await using db = await openTestStore();
  await using sim = await startTestSim();
  const term = new ScriptedTerminal([[/Are you sure you want to delete RVVKC/, "n"]]);
  await run(cmd("delete", ["RVVKC"]), db.store, sim, term);
  assertEquals(term.check(), []);
  const rows = term.text;
  assertMatch(rows, /You are about to delete RVVKC \(KENT & CANTERBURY HOSPITAL\)/);
  assertMatch(rows, /PDU +PZ100 +network PN05 +0\n/);
  assertMatch(rows, /OPEN UK network +SETPEG +SETPEG network +1\n/);
  assertMatch(rows, /Trust +RVV +EAST KENT HOSPITALS UNIVERSITY NHS FOUNDATION TRUST +0\n/);
  assertMatch(rows, /Local health board +—\n/);
  assertMatch(rows, /ICB +QXX +\(not in the store\) +0\n/);
  assertMatch(rows, /NHS England region +Y99 +\(not in the store\) +0\n/);
  assertMatch(rows, /Country +E92000001 +England +1\n/);
  assertMatch(rows, /London borough +—\n/);
});

Deno.test("delete: answering no (or Enter) keeps the organisation", async () => {
  await using db = await openTestStore();
  await using sim = await startTestSim();
  const term = new ScriptedTerminal([[/delete RVVKC/, ""]]);
  const { results, exitCode } = await run(cmd("delete", ["RVVKC"]), db.store, sim, term);
  assertEquals(term.check(), []);
  assertEquals([results[0].result, exitCode], ["declined", 0]);
  assertMatch(term.text, /Skipped deleting RVVKC/);
  assert(await db.store.get("organisation", "RVVKC"));
  assertEquals((await db.store.kv.get(tombstoneKey("organisation", "RVVKC"))).value, null);
});

Deno.test("delete: yes removes record and indexes, keeps a tombstone with memberships, logs it", async () => {
  await using db = await openTestStore();
  await using sim = await startTestSim();
  const term = new ScriptedTerminal([[/delete RVVKC/, "y"]]);
  const { results, exitCode } = await run(cmd("delete", ["RVVKC"]), db.store, sim, term);
  assertEquals([results[0].result, exitCode], ["deleted", 0]);
  assertEquals(await db.store.get("organisation", "RVVKC"), null);
  assertEquals(await db.store.codesBy("organisation", "trust_code", "RVV"), []);
  assertEquals(
    await db.store.codesBy("organisation", "paediatric_diabetes_unit_code", "PZ100"),
    [],
  );
  const tomb = (await db.store.kv.get<Tombstone>(tombstoneKey("organisation", "RVVKC"))).value;
  assertEquals(tomb?.deleted_at, "2025-06-10T10:00:00.000Z");
  assertEquals(tomb?.run_id, "merge-test");
  assertEquals(
    [tomb?.record.paediatric_diabetes_unit_code, tomb?.record.openuk_network_code],
    ["PZ100", "SETPEG"],
  );
  const log = await db.store.history("organisation", "RVVKC");
  assertEquals(log.at(-1)?.op, "delete");
  assertEquals(log.at(-1)?.cause, "merge");
  assertMatch(term.text, /delete organisation RVVKC +\(index entries -\d+\)/);
  assertMatch(term.text, /set tomb\/organisation\/RVVKC/);
});

Deno.test("delete: the last organisation of its PDU and network is warned about loudly", async () => {
  await using db = await openTestStore();
  await using sim = await startTestSim();
  const term = new ScriptedTerminal([[/delete 7A1A4/, "y"]]);
  await run(cmd("delete", ["7A1A4"]), db.store, sim, term);
  assertMatch(
    term.text,
    /!! 7A1A4 IS THE LAST ORGANISATION OF PDU PZ101: deleting it leaves the PDU with no organisation\./,
  );
  assertMatch(
    term.text,
    /!! 7A1A4 IS THE LAST ORGANISATION OF OPEN UK NETWORK EPIC: deleting it leaves the OPEN UK network with no organisation\./,
  );
  // The warnings come before the question.
  assert(term.text.indexOf("LAST ORGANISATION") < term.text.indexOf("Are you sure"));
});

Deno.test("delete: a shared PDU gets no last-organisation warning", async () => {
  await using db = await openTestStore();
  await using sim = await startTestSim();
  const term = new ScriptedTerminal([[/delete RZA01/, "n"]]);
  await run(cmd("delete", ["RZA01"]), db.store, sim, term);
  // PZ103 has only RZA01 → warned; SETPEG is shared with RVVKC → not warned.
  assertMatch(term.text, /LAST ORGANISATION OF PDU PZ103/);
  assert(!/LAST ORGANISATION OF OPEN UK NETWORK/.test(term.text));
});

Deno.test("delete: an unknown code and an already deleted one fail; the batch goes on", async () => {
  await using db = await openTestStore();
  await using sim = await startTestSim();
  const term = new ScriptedTerminal([[/delete RVVKC/, "y"], [/delete RZA01/, "y"]]);
  const { results, exitCode } = await run(
    cmd("delete", ["RVVKC", "NOPE1", "RZA01"]),
    db.store,
    sim,
    term,
  );
  assertEquals(results.map((r) => [r.code, r.result]), [
    ["RVVKC", "deleted"],
    ["NOPE1", "failed"],
    ["RZA01", "deleted"],
  ]);
  assertMatch(results[1].detail, /NOPE1 does not exist in the store/);
  assertEquals(exitCode, 1);

  const again = new ScriptedTerminal([]);
  const second = await run(cmd("delete", ["RVVKC"]), db.store, sim, again);
  assertMatch(second.results[0].detail, /already deleted 2025-06-10T10:00:00.000Z/);
});

Deno.test("delete: a dry run shows the delete and the tombstone, asks nothing, writes nothing", async () => {
  await using db = await openTestStore();
  await using sim = await startTestSim();
  const term = new ScriptedTerminal([]);
  const { results } = await run(cmd("delete", ["RVVKC"], { dryRun: true }), db.store, sim, term);
  assertEquals(term.asked, []);
  assertEquals(results[0].result, "would delete");
  assertMatch(term.text, /would ask: Are you sure you want to delete RVVKC/);
  assertMatch(term.text, /Would write, in one atomic commit:\n +delete organisation RVVKC/);
  assertMatch(term.text, /set tomb\/organisation\/RVVKC/);
  assert(await db.store.get("organisation", "RVVKC"));
  assertEquals((await db.store.kv.get(tombstoneKey("organisation", "RVVKC"))).value, null);
});
