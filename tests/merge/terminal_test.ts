import { deepEqual as assertEquals, ok as assert } from "node:assert/strict";
import { startOdsSimulator } from "../../testing/ods_sim/server.ts";
import { cmd, openTestStore, run, ScriptedTerminal, simRecords } from "./helpers.ts";

const HOSTILE = "EVIL\u001b[2J\u001b]0;pwned\u0007 HOSPITAL";

Deno.test("merge shows a name carrying terminal escapes as text, never as escapes", async () => {
  await using db = await openTestStore();
  const records = simRecords().map((r) =>
    r.OrgId.extension === "RVV02" ? { ...r, Name: HOSTILE } : r
  );
  const sim = await startOdsSimulator({ now: "2025-06-10T09:00:00Z", records, withFixtures: true });
  try {
    const term = new ScriptedTerminal([]);
    const { results } = await run(cmd("create", ["RVV02"], { dryRun: true }), db.store, sim, term);
    assertEquals(results.map((r) => r.result), ["would create"]);
    // deno-lint-ignore no-control-regex -- the escape character is what it must not contain
    assert(!/\u001b|\u0007/.test(term.text), JSON.stringify(term.text));
    assert(term.text.includes("EVIL\\u{1b}[2J\\u{1b}]0;pwned\\u{7} HOSPITAL"), term.text);
  } finally {
    await sim.close();
  }
});
