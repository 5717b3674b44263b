/**
 * `/organisations/{ods_code}/snapshot/?date=`: RCPCH's later route, over a real store after a
 * real merger replayed with the merge command against the simulator (RZA01, of the old trust
 * RZA, became RZB01 under RZB from 2025-04-01, ODS listing RZA01 as its predecessor; then RZA01
 * was deleted on 2025-06-10). The old trust RZA is not in the store.
 */
import { equal, ok } from "node:assert/strict";
import { cmd, openTestStore, run, ScriptedTerminal, startTestSim } from "../merge/helpers.ts";
import { appFor, captureLogs, getJson } from "./helpers.ts";

captureLogs();

interface Snap {
  ods_code: string;
  name: string;
  predecessor_ods_code: string | null;
  trust: { ods_code: string } | null;
}

async function merged() {
  const db = await openTestStore();
  await using sim = await startTestSim();
  await run(
    cmd("create", ["RZB01"]),
    db.store,
    sim,
    new ScriptedTerminal([[/Create RZB01/, "y"]]),
  );
  await run(cmd("delete", ["RZA01"]), db.store, sim, new ScriptedTerminal([[/delete RZA01/, "y"]]));
  return db;
}

Deno.test("snapshot: the code itself on a date it existed, with no predecessor", async () => {
  await using db = await merged();
  const res = await getJson(appFor(db.store), "/organisations/RZB01/snapshot/?date=2025-05-01");
  equal(res.status, 200);
  const body = res.body as Snap;
  equal(body.ods_code, "RZB01");
  equal(body.trust?.ods_code, "RZB");
  equal(body.predecessor_ods_code, null);
});

Deno.test("snapshot: before the code existed, the predecessor that did, named", async () => {
  await using db = await merged();
  const res = await getJson(appFor(db.store), "/organisations/RZB01/snapshot/?date=2025-03-01");
  equal(res.status, 200);
  const body = res.body as Snap;
  equal(body.ods_code, "RZA01");
  equal(body.predecessor_ods_code, "RZA01");
  equal(body.name, "OLD WEST HOSPITAL");
});

Deno.test("snapshot: without a date, today's state", async () => {
  await using db = await merged();
  const res = await getJson(appFor(db.store), "/organisations/RZB01/snapshot/");
  equal((res.body as Snap).ods_code, "RZB01");
  ok(res.headers.get("X-As-Of"));
});

Deno.test("snapshot: 404 when neither the code nor a predecessor existed on the date", async () => {
  await using db = await merged();
  const res = await getJson(appFor(db.store), "/organisations/RZB01/snapshot/?date=1990-01-01");
  equal(res.status, 404);
});

Deno.test("snapshot: 404 for an unknown code", async () => {
  await using db = await merged();
  const res = await getJson(appFor(db.store), "/organisations/ZZZ99/snapshot/?date=2025-05-01");
  equal(res.status, 404);
});

Deno.test("snapshot: 400 for a malformed date, naming the format", async () => {
  await using db = await merged();
  const res = await getJson(appFor(db.store), "/organisations/RZB01/snapshot/?date=not-a-date");
  equal(res.status, 400);
  ok(JSON.stringify(res.body).includes("YYYY-MM-DD"));
});
