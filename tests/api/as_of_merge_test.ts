/**
 * `?as_of=` and the merge command (run against the simulator on 2025-06-10): an organisation
 * deleted by `merge --delete` is present, with its memberships, for dates before the deletion
 * (the tombstone keeps them) and gone from its date; a PDU changed by `merge --link-pdu` is the
 * old one for dates before the change.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import type { ActionCommand } from "../../lib/merge/run.ts";
import { cmd, openTestStore, run, ScriptedTerminal, startTestSim } from "../merge/helpers.ts";
import { appFor, captureLogs, getJson } from "./helpers.ts";

captureLogs();

interface Org {
  ods_code: string;
  paediatric_diabetes_unit: { pz_code: string } | null;
  openuk_network: { boundary_identifier: string } | null;
}

/** A store whose RVVKC (PDU PZ100, network SETPEG) a merge deleted on 2025-06-10. */
async function deleted() {
  const db = await openTestStore();
  await using sim = await startTestSim();
  const term = new ScriptedTerminal([[/delete RVVKC/, "y"]]);
  await run(cmd("delete", ["RVVKC"]), db.store, sim, term);
  return db;
}

Deno.test("as_of: a deleted organisation is present, with its memberships, the day before", async () => {
  await using db = await deleted();
  const res = await getJson(appFor(db.store), "/organisations/RVVKC/?as_of=2025-06-09");
  equal(res.status, 200);
  const org = res.body as Org;
  deepEqual(
    [org.paediatric_diabetes_unit?.pz_code, org.openuk_network?.boundary_identifier],
    ["PZ100", "SETPEG"],
  );
});

Deno.test("as_of: a deleted organisation is listed for dates before its deletion", async () => {
  await using db = await deleted();
  const res = await getJson(appFor(db.store), "/organisations/?as_of=2025-06-09");
  ok((res.body as Org[]).some((o) => o.ods_code === "RVVKC"));
});

Deno.test("as_of: a deleted organisation is gone from the day of its deletion", async () => {
  await using db = await deleted();
  const app = appFor(db.store);
  equal((await getJson(app, "/organisations/RVVKC/?as_of=2025-06-10")).status, 404);
  equal((await getJson(app, "/organisations/RVVKC/")).status, 404);
});

Deno.test("as_of: a PDU changed by a merge link is the old one for dates before it", async () => {
  await using db = await openTestStore();
  {
    await using sim = await startTestSim();
    const link: ActionCommand = {
      action: "link",
      codes: ["RVVKC"],
      pdu: { op: "link", code: "PZ101" },
      network: null,
      dryRun: false,
      yes: false,
    };
    const term = new ScriptedTerminal([
      [/Move it to PZ101/, "y"],
      [/Apply this change to RVVKC/, "y"],
    ]);
    await run(link, db.store, sim, term);
  }
  const app = appFor(db.store);
  const pduOn = async (date: string) =>
    ((await getJson(app, `/organisations/RVVKC/?as_of=${date}`)).body as Org)
      .paediatric_diabetes_unit?.pz_code;
  equal(await pduOn("2025-06-09"), "PZ100");
  equal(await pduOn("2025-06-10"), "PZ101");
});
