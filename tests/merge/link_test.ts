import { deepEqual as assertEquals, match as assertMatch } from "node:assert/strict";
import type { ActionCommand } from "../../lib/merge/run.ts";
import { openTestStore, run, ScriptedTerminal, startTestSim } from "./helpers.ts";

function link(
  codes: string[],
  pdu: ActionCommand & { action: "link" } extends { pdu: infer P } ? P : never,
  network: typeof pdu = null,
  dryRun = false,
): ActionCommand {
  return { action: "link", codes, pdu, network, dryRun, yes: false };
}

Deno.test("link: --link-pdu puts an organisation without a PDU into one, indexed and logged", async () => {
  await using db = await openTestStore();
  await using sim = await startTestSim();
  // RZA01 leaves PZ103 first, so it has none.
  const unlink = new ScriptedTerminal([[/Apply this change to RZA01/, "y"]]);
  await run(link(["RZA01"], { op: "unlink" }), db.store, sim, unlink);
  assertEquals(unlink.check(), []);
  assertMatch(unlink.text, /RZA01 IS THE LAST ORGANISATION OF PDU PZ103: unlinking it leaves/);
  assertEquals((await db.store.get("organisation", "RZA01"))?.paediatric_diabetes_unit_code, null);

  const term = new ScriptedTerminal([[/Apply this change to RZA01 \(OLD WEST HOSPITAL\)\?/, "y"]]);
  const { results, exitCode } = await run(
    link(["RZA01"], { op: "link", code: "PZ101" }),
    db.store,
    sim,
    term,
  );
  assertEquals(term.check(), []);
  assertEquals([results[0].result, exitCode], ["changed", 0]);
  assertMatch(term.text, /PDU +— +PZ101/);
  assertEquals(
    (await db.store.codesBy("organisation", "paediatric_diabetes_unit_code", "PZ101")).sort(),
    ["7A1A4", "RZA01"],
  );
  const log = await db.store.history("organisation", "RZA01");
  assertEquals(log.at(-1)?.changes, [{
    field: "paediatric_diabetes_unit_code",
    old: null,
    new: "PZ101",
  }]);
});

Deno.test("link: moving to another PDU asks first (default no) and warns when the old one empties", async () => {
  await using db = await openTestStore();
  await using sim = await startTestSim();
  const term = new ScriptedTerminal([[/RVVKC is in PDU PZ100\. Move it to PZ103\?/, ""]]);
  const { results } = await run(
    link(["RVVKC"], { op: "link", code: "PZ103" }),
    db.store,
    sim,
    term,
  );
  assertEquals(term.check(), []);
  assertEquals(results[0].result, "declined");
  assertMatch(term.text, /RVVKC IS THE LAST ORGANISATION OF PDU PZ100: moving it leaves the PDU/);
  assertEquals(
    (await db.store.get("organisation", "RVVKC"))?.paediatric_diabetes_unit_code,
    "PZ100",
  );
});

Deno.test("link: --link-network and --unlink-network change the OPEN UK network", async () => {
  await using db = await openTestStore();
  await using sim = await startTestSim();
  const term = new ScriptedTerminal([
    [/7A1A4 is in OPEN UK network EPIC\. Move it to EPEN\?/, "y"],
    [/Apply this change to 7A1A4/, "y"],
  ]);
  await run(link(["7A1A4"], null, { op: "link", code: "EPEN" }), db.store, sim, term);
  assertEquals(term.check(), []);
  assertEquals((await db.store.get("organisation", "7A1A4"))?.openuk_network_code, "EPEN");
  assertEquals(await db.store.codesBy("organisation", "openuk_network_code", "EPIC"), []);

  const off = new ScriptedTerminal([[/Apply this change/, "y"]]);
  await run(link(["7A1A4"], null, { op: "unlink" }), db.store, sim, off);
  assertEquals((await db.store.get("organisation", "7A1A4"))?.openuk_network_code, null);
});

Deno.test("link: a PDU not in the store, or an organisation not in the store, fails without a question", async () => {
  await using db = await openTestStore();
  await using sim = await startTestSim();
  const term = new ScriptedTerminal([]);
  const { results, exitCode } = await run(
    link(["RVVKC", "RVV02"], { op: "link", code: "PZ999" }),
    db.store,
    sim,
    term,
  );
  assertEquals(term.asked, []);
  assertEquals(exitCode, 1);
  assertMatch(results[0].detail, /PDU PZ999 is not in the store; RVVKC was not changed/);
  assertMatch(results[1].detail, /RVV02 does not exist in the store; create it first/);
  assertEquals(
    (await db.store.get("organisation", "RVVKC"))?.paediatric_diabetes_unit_code,
    "PZ100",
  );
});

Deno.test("link: linking to the PDU it already has changes nothing and is not a failure", async () => {
  await using db = await openTestStore();
  await using sim = await startTestSim();
  const term = new ScriptedTerminal([]);
  const { results, exitCode } = await run(
    link(["RVVKC"], { op: "link", code: "PZ100" }),
    db.store,
    sim,
    term,
  );
  assertEquals([results[0].result, exitCode], ["unchanged", 0]);
  assertMatch(results[0].detail, /RVVKC is already in PDU PZ100/);
  assertEquals((await db.store.history("organisation", "RVVKC")).length, 1);
});

Deno.test("link: a dry run shows the field change and writes nothing", async () => {
  await using db = await openTestStore();
  await using sim = await startTestSim();
  const term = new ScriptedTerminal([]);
  const { results } = await run(
    link(["RVVKC"], null, { op: "unlink" }, true),
    db.store,
    sim,
    term,
  );
  assertEquals(results[0].result, "would change");
  assertMatch(
    term.text,
    /update organisation RVVKC +\(index entries -1\)\n +openuk_network_code: "SETPEG" → null/,
  );
  assertEquals((await db.store.get("organisation", "RVVKC"))?.openuk_network_code, "SETPEG");
});
