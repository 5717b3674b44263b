import { deepEqual as assertEquals, match as assertMatch, ok as assert } from "node:assert/strict";
import { applyPlan, MergeConflict } from "../../lib/merge/apply.ts";
import type { CreatePlan } from "../../lib/merge/plan.ts";
import { planCreate } from "../../lib/merge/plan_create.ts";
import { gather, type MergeDeps } from "../../lib/merge/run.ts";
import { Painter } from "../../lib/merge/present.ts";
import { YesPrompter } from "../../lib/merge/prompt.ts";
import { tombstoneKey } from "../../lib/keys.ts";
import { recordWrite, type Store } from "../../lib/store.ts";
import type { AnyRecord, Kind } from "../../lib/model.ts";
import {
  baseRecords,
  cmd,
  openTestStore,
  org,
  reference,
  run,
  ScriptedTerminal,
  simSource,
  startTestSim,
} from "./helpers.ts";

Deno.test("create: a site under a stored trust takes ICB and region from the trust, not a sibling", async () => {
  await using db = await openTestStore();
  await using sim = await startTestSim();
  const term = new ScriptedTerminal([[/^Create RVV02 .* under trust RVV\?$/, "y"]]);
  const { results, exitCode } = await run(cmd("create", ["RVV02"]), db.store, sim, term);
  assertEquals(term.check(), []);
  assertEquals(exitCode, 0);
  assertEquals(results.map((r) => r.result), ["created"]);
  const created = await db.store.get("organisation", "RVV02");
  assert(created);
  assertEquals(created.name, "QUEEN ELIZABETH THE QUEEN MOTHER HOSPITAL");
  assertEquals(created.trust_code, "RVV");
  // The sibling RVVKC carries a stale QXX / Y99; the trust says QKS → Y59.
  assertEquals(created.integrated_care_board_code, "QKS");
  assertEquals(created.nhs_england_region_code, "Y59");
  assertEquals(created.country_code, "E92000001");
  // PDU from the organisation's own reference row (over the trust row), network from the trust.
  assertEquals(created.paediatric_diabetes_unit_code, "PZ101");
  assertEquals(created.openuk_network_code, "SETPEG");
  assertMatch(term.text, /also found PZ100 in reference data \(trust RVV\)/);
  // Indexes and change log are written with the record.
  assertEquals(
    (await db.store.codesBy("organisation", "paediatric_diabetes_unit_code", "PZ101")).sort(),
    ["7A1A4", "RVV02"],
  );
  assert((await db.store.codesBy("organisation", "trust_code", "RVV")).includes("RVV02"));
  const log = await db.store.history("organisation", "RVV02");
  assertEquals(log.map((e) => [e.op, e.cause, e.run_id]), [["create", "merge", "merge-test"]]);
});

Deno.test("create: a brand-new trust is fetched with its ICB and region, all in the same commit", async () => {
  await using db = await openTestStore();
  await using sim = await startTestSim();
  const ref = reference({
    pdu: [{ ods_code: "RWR", pz_code: "PZ103" }],
    openuk: [{ parent_code: "RWR", network_code: "EPEN" }],
  });
  const term = new ScriptedTerminal([[/Create RWR01 .*3 new parent record/, "y"]]);
  const { exitCode } = await run(cmd("create", ["RWR01"]), db.store, sim, term, ref);
  assertEquals(term.check(), []);
  assertEquals(exitCode, 0);
  assertMatch(term.text, /\+ new trust RWR HERTFORDSHIRE PARTNERSHIP/);
  const trust = await db.store.get("trust", "RWR");
  const icb = await db.store.get("integrated_care_board", "QM7");
  const region = await db.store.get("nhs_england_region", "Y61");
  assertEquals(trust?.integrated_care_board_code, "QM7");
  assertEquals(icb?.nhs_england_region_code, "Y61");
  assertEquals(region?.name, "East of England");
  const created = await db.store.get("organisation", "RWR01");
  assertEquals(
    [created?.trust_code, created?.integrated_care_board_code, created?.nhs_england_region_code],
    ["RWR", "QM7", "Y61"],
  );
  assertEquals(
    [created?.paediatric_diabetes_unit_code, created?.openuk_network_code],
    ["PZ103", "EPEN"],
  );
  // One commit: every change log entry carries the same instant and run.
  const entries = [
    ...await db.store.history("nhs_england_region", "Y61"),
    ...await db.store.history("integrated_care_board", "QM7"),
    ...await db.store.history("trust", "RWR"),
    ...await db.store.history("organisation", "RWR01"),
  ];
  assertEquals(entries.length, 4);
  assertEquals(new Set(entries.map((e) => `${e.time} ${e.run_id} ${e.cause}`)).size, 1);
});

Deno.test("create: the FHIR source gives the same organisation as ORD", async () => {
  await using db = await openTestStore();
  await using sim = await startTestSim();
  const term = new ScriptedTerminal([[/Create RVV02/, "y"]]);
  const { exitCode } = await run(
    cmd("create", ["RVV02"]),
    db.store,
    sim,
    term,
    reference(),
    "fhir",
  );
  assertEquals([term.check(), exitCode], [[], 0]);
  assert(sim.requests.some((r) => r.path.startsWith("/fhir/")), "asked the FHIR API");
  assert(!sim.requests.some((r) => r.path.startsWith("/ORD/")), "not ORD");
  const created = await db.store.get("organisation", "RVV02");
  assertEquals(
    [created?.name, created?.trust_code, created?.integrated_care_board_code],
    ["QUEEN ELIZABETH THE QUEEN MOTHER HOSPITAL", "RVV", "QKS"],
  );
});

Deno.test("create: a stored trust whose ICB is not in the store gives its ICB code, no region, and a warning", async () => {
  const records = baseRecords().map(([kind, r]): [Kind, AnyRecord] =>
    kind === "trust" ? [kind, { ...r, integrated_care_board_code: "QZZ" } as AnyRecord] : [kind, r]
  );
  await using db = await openTestStore(records);
  await using sim = await startTestSim();
  const term = new ScriptedTerminal([[/Create RVV02/, "y"]]);
  assertEquals((await run(cmd("create", ["RVV02"]), db.store, sim, term)).exitCode, 0);
  assertMatch(term.text, /ICB QZZ of trust RVV is not in the store; no region/);
  const created = await db.store.get("organisation", "RVV02");
  assertEquals([created?.integrated_care_board_code, created?.nhs_england_region_code], [
    "QZZ",
    null,
  ]);
});

Deno.test("create: a new trust without an ICB in ODS takes it from the reference trust → ICB map", async () => {
  await using db = await openTestStore();
  await using sim = await startTestSim();
  const ref = reference({
    pdu: [{ ods_code: "RYY", pz_code: "PZ100" }],
    openuk: [{ parent_code: "RYY", network_code: "SETPEG" }],
    trust_icb: [{ trust_code: "RYY", icb_code: "QKS", region_code: "Y59" }],
  });
  const term = new ScriptedTerminal([[/Create RYY01/, "y"]]);
  assertEquals((await run(cmd("create", ["RYY01"]), db.store, sim, term, ref)).exitCode, 0);
  assertMatch(term.text, /ICB of new trust RYY from the reference data: QKS/);
  assertEquals((await db.store.get("trust", "RYY"))?.integrated_care_board_code, "QKS");
  const created = await db.store.get("organisation", "RYY01");
  assertEquals([created?.integrated_care_board_code, created?.nhs_england_region_code], [
    "QKS",
    "Y59",
  ]);
});

const FAILURES: [string, string, RegExp][] = [
  ["an existing organisation", "RVVKC", /RVVKC already exists/],
  ["a code not in ODS", "RVV55", /RVV55 is not in ODS/],
  ["a network error", "RVV03", /could not fetch RVV03 from ODS/],
  ["a GP practice", "G81086", /G81086 .* is a prescribing cost centre .*not a hospital site/],
  ["a site with no active RE6 parent", "RVV98", /no active IS OPERATED BY \(RE6\)/],
];

for (const [what, code, reason] of FAILURES) {
  Deno.test(`create: ${what} fails, is reported, and the batch goes on`, async () => {
    await using db = await openTestStore();
    // RVV03 answers 503 (and ODS_RETRIES=0), as an outage would.
    await using sim = await startTestSim([
      { path: "/ORD/2-0-0/organisations/RVV03", kind: "status", status: 503 },
    ]);
    const term = new ScriptedTerminal([[/Create RVV02/, "y"]]);
    const { results, exitCode } = await run(
      cmd("create", [code, "RVV02"]),
      db.store,
      sim,
      term,
    );
    assertEquals(term.check(), []);
    assertEquals(exitCode, 1);
    assertEquals(results.map((r) => [r.code, r.result]), [[code, "failed"], ["RVV02", "created"]]);
    assertMatch(results[0].detail, reason);
    assertMatch(term.text, /\[1\/2\] .*\n[\s\S]*\[2\/2\] RVV02/);
    assertMatch(term.text, new RegExp(`Summary[\\s\\S]*${code} +create +failed`));
    assertMatch(term.text, /2 code\(s\): 1 ok, 1 failed/);
    if (code !== "RVVKC") assertEquals(await db.store.get("organisation", code), null);
  });
}

Deno.test("create: with no membership found it shows where it looked; answering no writes nothing", async () => {
  await using db = await openTestStore();
  await using sim = await startTestSim();
  const term = new ScriptedTerminal([[/without a PDU\?/, "n"]]);
  const { results, exitCode } = await run(cmd("create", ["RWR01"]), db.store, sim, term);
  assertEquals(term.check(), []);
  assertEquals(exitCode, 0);
  assertEquals(results[0].result, "declined");
  assertMatch(
    term.text,
    /No PDU found for RWR01\. Looked in: tombstone of RWR01 \(none\); reference data for RWR01; predecessors in ODS \(none\); reference data for trust RWR/,
  );
  assertMatch(term.text, /No OPEN UK network found for RWR01/);
  assertMatch(term.text, /Skipped creating RWR01/);
  assertEquals(await db.store.get("organisation", "RWR01"), null);
  assertEquals(await db.store.get("trust", "RWR"), null, "no parent written either");
});

Deno.test("create: answering yes to continuing without memberships creates it without them", async () => {
  await using db = await openTestStore();
  await using sim = await startTestSim();
  const term = new ScriptedTerminal([
    [/Continue creating RWR01 without a PDU\? \(add one later with --link-pdu PZnnn\)/, "y"],
    [/without a OPEN UK network\?/, "y"],
    [/Create RWR01/, ""], // Enter takes the default: yes
  ]);
  assertEquals((await run(cmd("create", ["RWR01"]), db.store, sim, term)).exitCode, 0);
  assertEquals(term.check(), []);
  const created = await db.store.get("organisation", "RWR01");
  assertEquals([created?.paediatric_diabetes_unit_code, created?.openuk_network_code], [
    null,
    null,
  ]);
});

Deno.test("create: a membership naming a PDU that is not in the store stops the create", async () => {
  await using db = await openTestStore();
  await using sim = await startTestSim();
  const ref = reference({ pdu: [{ ods_code: "RWR", pz_code: "PZ999" }] });
  const term = new ScriptedTerminal([]);
  const { results, exitCode } = await run(cmd("create", ["RWR01"]), db.store, sim, term, ref);
  assertEquals(term.check(), [], "nothing asked");
  assertEquals(exitCode, 1);
  assertMatch(
    results[0].detail,
    /PDU PZ999 \(from reference data \(trust RWR\)\) is not in the store/,
  );
  assertEquals(await db.store.get("organisation", "RWR01"), null);
  assertEquals(await db.store.get("trust", "RWR"), null);
});

Deno.test("create: a membership naming a network that is not in the store stops the create", async () => {
  await using db = await openTestStore();
  await using sim = await startTestSim();
  const ref = reference({ openuk: [{ parent_code: "RWR", network_code: "NOPE" }] });
  const term = new ScriptedTerminal([]);
  const { results } = await run(cmd("create", ["RWR01"]), db.store, sim, term, ref);
  assertMatch(results[0].detail, /OPEN UK network NOPE .* is not in the store/);
  assertEquals(await db.store.get("organisation", "RWR01"), null);
});

Deno.test("create: a Welsh site joins its local health board's network and Wales", async () => {
  await using db = await openTestStore();
  await using sim = await startTestSim();
  const term = new ScriptedTerminal([
    [/without a PDU/, "y"],
    [/Create 7A1B2 .* under local health board 7A1\?/, "y"],
  ]);
  assertEquals((await run(cmd("create", ["7A1B2"]), db.store, sim, term)).exitCode, 0);
  assertEquals(term.check(), []);
  const created = await db.store.get("organisation", "7A1B2");
  assertEquals(
    [
      created?.local_health_board_code,
      created?.trust_code,
      created?.integrated_care_board_code,
      created?.country_code,
      created?.openuk_network_code,
    ],
    ["7A1", null, null, "W92000004", "EPIC"],
  );
});

Deno.test("create: a closed site is asked about first, and no is the default", async () => {
  await using db = await openTestStore();
  await using sim = await startTestSim();
  const term = new ScriptedTerminal([[/RVV97 is closed in ODS\. Create it anyway\?/, ""]]);
  const { results } = await run(cmd("create", ["RVV97"]), db.store, sim, term);
  assertEquals(term.check(), []);
  assertEquals(results[0].result, "declined");
  assertMatch(term.text, /RVV97 is INACTIVE in ODS \(closed 2024-12-31\)/);
  assertEquals(await db.store.get("organisation", "RVV97"), null);
});

Deno.test("create: a dry run shows every field it would write, asks nothing and writes nothing", async () => {
  await using db = await openTestStore();
  await using sim = await startTestSim();
  const before = await db.store.counts();
  const term = new ScriptedTerminal([]);
  const { results, exitCode } = await run(
    cmd("create", ["RWR01"], { dryRun: true }),
    db.store,
    sim,
    term,
  );
  assertEquals(term.check(), []);
  assertEquals(term.asked, []);
  assertEquals(exitCode, 0);
  assertEquals(results[0].result, "would create");
  assertMatch(term.text, /Dry run: nothing will be written/);
  assertMatch(term.text, /would ask: Continue creating RWR01 without a PDU/);
  assertMatch(term.text, /Would write, in one atomic commit:/);
  assertMatch(term.text, /create NHS England region Y61/);
  assertMatch(term.text, /create ICB QM7/);
  assertMatch(term.text, /create trust RWR/);
  assertMatch(term.text, /create organisation RWR01 +\(index entries \+\d+\)/);
  assertMatch(term.text, /integrated_care_board_code: "QM7"/);
  assertMatch(term.text, /4 change log entries \(cause merge\)/);
  assertEquals(await db.store.counts(), before);
  assertEquals(await db.store.history("organisation", "RWR01"), []);
});

/** A maintainer's earlier change of a site's PDU by hand (the reference says otherwise). */
async function moveToPz103(store: Store, code: string): Promise<void> {
  await store.write([{
    writes: [
      recordWrite(
        "organisation",
        code,
        (c) => c && { ...c, paediatric_diabetes_unit_code: "PZ103" },
      ),
    ],
  }], { cause: "merge", runId: "earlier" });
}

Deno.test("create: re-creating a deleted organisation restores its memberships and removes the tombstone", async () => {
  await using db = await openTestStore();
  await using sim = await startTestSim();
  // RVVKC was moved to PZ103 by hand (the reference says PZ100 for trust RVV), then deleted.
  await moveToPz103(db.store, "RVVKC");
  const del = new ScriptedTerminal([[/delete RVVKC/, "y"]]);
  await run(cmd("delete", ["RVVKC"]), db.store, sim, del);
  assertEquals(await db.store.get("organisation", "RVVKC"), null);
  assert((await db.store.kv.get(tombstoneKey("organisation", "RVVKC"))).value);

  const term = new ScriptedTerminal([[/Create RVVKC/, "y"]]);
  assertEquals((await run(cmd("create", ["RVVKC"]), db.store, sim, term)).exitCode, 0);
  assertEquals(term.check(), []);
  assertMatch(term.text, /PDU +PZ103 +\(from tombstone of RVVKC \(deleted 2025-06-10\)\)/);
  const restored = await db.store.get("organisation", "RVVKC");
  assertEquals(restored?.paediatric_diabetes_unit_code, "PZ103");
  assertEquals(restored?.openuk_network_code, "SETPEG");
  assertEquals((await db.store.kv.get(tombstoneKey("organisation", "RVVKC"))).versionstamp, null);
});

Deno.test("create: a merger replays end to end — successor under its new trust, memberships carried, old site deleted", async () => {
  await using db = await openTestStore();
  await using sim = await startTestSim();
  // RZA01 (old trust RZA) became RZB01 under the new trust RZB; ODS lists RZA01 as predecessor.
  const create = new ScriptedTerminal([[
    /Create RZB01 .* under trust RZB, with 1 new parent/,
    "y",
  ]]);
  assertEquals((await run(cmd("create", ["RZB01"]), db.store, sim, create)).exitCode, 0);
  assertEquals(create.check(), []);
  assertMatch(
    create.text,
    /PDU +PZ103 +\(from predecessor RZA01 \(ODS succession, in the store\)\)/,
  );
  const successor = await db.store.get("organisation", "RZB01");
  assertEquals(
    [
      successor?.trust_code,
      successor?.integrated_care_board_code,
      successor?.paediatric_diabetes_unit_code,
      successor?.openuk_network_code,
      successor?.predecessors,
    ],
    ["RZB", "QKS", "PZ103", "SETPEG", ["RZA01"]],
  );
  assertEquals((await db.store.get("trust", "RZB"))?.predecessors, ["RZA"]);

  const del = new ScriptedTerminal([[/Are you sure you want to delete RZA01/, "y"]]);
  assertEquals((await run(cmd("delete", ["RZA01"]), db.store, sim, del)).exitCode, 0);
  assertEquals(del.check(), []);
  // PZ103 keeps an organisation, so no "last organisation" warning.
  assert(!/LAST ORGANISATION/.test(del.text));
  assertMatch(del.text, /PDU +PZ103 +network PN05 +1/);
  assertEquals(await db.store.get("organisation", "RZA01"), null);
  assertEquals(await db.store.codesBy("organisation", "paediatric_diabetes_unit_code", "PZ103"), [
    "RZB01",
  ]);
});

Deno.test("create: --yes answers every question without a terminal and shows the answers", async () => {
  await using db = await openTestStore();
  await using sim = await startTestSim();
  const term = new ScriptedTerminal([]);
  const { exitCode } = await run(cmd("create", ["RWR01"], { yes: true }), db.store, sim, term);
  assertEquals(exitCode, 0);
  assertEquals(term.asked, []);
  assertMatch(term.text, /\? Continue creating RWR01 without a PDU\? .* yes \(--yes\)/);
  assert(await db.store.get("organisation", "RWR01"));
});

Deno.test("create: Ctrl+C at a question stops the batch and the rest is not run", async () => {
  await using db = await openTestStore();
  await using sim = await startTestSim();
  const term = new ScriptedTerminal([[/Create RVV02/, "\x03"]]);
  const { results, exitCode } = await run(cmd("create", ["RVV02", "RWR01"]), db.store, sim, term);
  assertEquals(exitCode, 1);
  assertEquals(results.map((r) => [r.code, r.result]), [["RVV02", "not run"], [
    "RWR01",
    "not run",
  ]]);
  assertMatch(term.text, /Interrupted: nothing more is written/);
  assertEquals(await db.store.get("organisation", "RVV02"), null);
});

// ---- the commit itself: atomic, with versionstamp checks against a concurrent sync ----------

async function planned(
  db: Awaited<ReturnType<typeof openTestStore>>,
  sim: Awaited<ReturnType<typeof startTestSim>>,
  code: string,
  ref = reference(),
): Promise<CreatePlan> {
  const deps: MergeDeps = {
    store: db.store,
    source: simSource(sim),
    reference: ref,
    prompter: new YesPrompter(() => {}),
    write: () => {},
    painter: new Painter(false),
  };
  const step = await gather((k) => planCreate(code, k, ref), deps);
  assert(step.status === "ready", JSON.stringify(step));
  return step.plan;
}

const CTX = { runId: "merge-test", time: "2025-06-10T10:00:00.000Z" };

Deno.test("commit: ICB and region are re-derived from the parents as they are at commit time", async () => {
  await using db = await openTestStore();
  await using sim = await startTestSim();
  const plan = await planned(db, sim, "RVV02");
  assertEquals(plan.organisation.nhs_england_region_code, "Y59");
  // A sync moves ICB QKS to region Y61 between planning and commit.
  await db.store.write([{
    writes: [
      recordWrite(
        "integrated_care_board",
        "QKS",
        (c) => c && { ...c, nhs_england_region_code: "Y61" },
      ),
    ],
  }], { cause: "sync", runId: "sync-1" });
  const applied = await applyPlan(db.store, plan, CTX);
  assertEquals(applied.commits, 1);
  const created = await db.store.get("organisation", "RVV02");
  assertEquals([created?.integrated_care_board_code, created?.nhs_england_region_code], [
    "QKS",
    "Y61",
  ]);
});

Deno.test("commit: a trust moved to another ICB meanwhile stops the create instead of guessing", async () => {
  await using db = await openTestStore();
  await using sim = await startTestSim();
  const plan = await planned(db, sim, "RVV02");
  await db.store.write([{
    writes: [recordWrite("trust", "RVV", (c) => c && { ...c, integrated_care_board_code: "QM7" })],
  }], { cause: "sync", runId: "sync-1" });
  let error: unknown;
  try {
    await applyPlan(db.store, plan, CTX);
  } catch (e) {
    error = e;
  }
  assert(error instanceof MergeConflict);
  assertMatch(error.message, /trust RVV moved to ICB QM7 meanwhile/);
  assertEquals(await db.store.get("organisation", "RVV02"), null);
});

Deno.test("commit: nothing is written (not even new parents) when the organisation appears meanwhile", async () => {
  await using db = await openTestStore();
  await using sim = await startTestSim();
  const plan = await planned(
    db,
    sim,
    "RWR01",
    reference({ pdu: [{ ods_code: "RWR", pz_code: "PZ100" }] }),
  );
  assertEquals(plan.parents.map((p) => p.code), ["Y61", "QM7", "RWR"]);
  await db.store.write([{ writes: [recordWrite("organisation", "RWR01", () => org("RWR01"))] }], {
    cause: "sync",
    runId: "sync-1",
  });
  let error: unknown;
  try {
    await applyPlan(db.store, plan, CTX);
  } catch (e) {
    error = e;
  }
  assert(error instanceof MergeConflict);
  assertMatch(error.message, /RWR01 was created meanwhile/);
  assertEquals(await db.store.get("trust", "RWR"), null);
  assertEquals(await db.store.get("integrated_care_board", "QM7"), null);
});

Deno.test("commit: a PDU deleted after planning stops the create", async () => {
  await using db = await openTestStore();
  await using sim = await startTestSim();
  const plan = await planned(db, sim, "RVV02");
  await db.store.write([{
    writes: [recordWrite("paediatric_diabetes_unit", "PZ101", () => null)],
  }], { cause: "seed", runId: "x" });
  let error: unknown;
  try {
    await applyPlan(db.store, plan, CTX);
  } catch (e) {
    error = e;
  }
  assert(error instanceof MergeConflict);
  assertMatch(error.message, /paediatric_diabetes_unit PZ101 was deleted meanwhile/);
  assertEquals(await db.store.get("organisation", "RVV02"), null);
});

Deno.test("create: re-creating a deleted organisation from its tombstone restores every stored field", async () => {
  await using db = await openTestStore();
  await using sim = await startTestSim();
  await moveToPz103(db.store, "RVVKC");
  const before = await db.store.get("organisation", "RVVKC");
  assert(before);
  await run(cmd("delete", ["RVVKC"]), db.store, sim, new ScriptedTerminal([[/delete RVVKC/, "y"]]));
  await run(cmd("create", ["RVVKC"]), db.store, sim, new ScriptedTerminal([[/Create RVVKC/, "y"]]));
  const restored = await db.store.get("organisation", "RVVKC");
  assert(restored);
  // ODS sends what it holds for RVVKC again; everything else comes back from the tombstone.
  const { updated_at: _a, ...was } = before as unknown as Record<string, unknown>;
  const { updated_at: _b, ...now } = restored as unknown as Record<string, unknown>;
  const differing = Object.keys({ ...was, ...now }).filter((k) =>
    JSON.stringify(was[k]) !== JSON.stringify(now[k])
  );
  // Fields ODS itself changed between the stored copy and its record are the only difference.
  const odsRecord = await (await fetch(`${sim.ordBaseUrl}/organisations/RVVKC`)).json();
  assert(odsRecord.Organisation, "the simulator serves RVVKC");
  for (const field of differing) {
    assert(
      [
        "name",
        "address1",
        "address2",
        "address3",
        "city",
        "county",
        "postcode",
        "latitude",
        "longitude",
        "telephone",
        "website",
        "last_change_date",
        "active",
        "published_at",
        "operational_start",
        "operational_end",
        "ods_facts",
        "integrated_care_board_code",
        "nhs_england_region_code",
        "source",
        "predecessors",
        "successors",
      ].includes(field),
      `${field}: ${JSON.stringify(was[field])} → ${JSON.stringify(now[field])}`,
    );
  }
  assertEquals(now.paediatric_diabetes_unit_code, "PZ103");
  assertEquals(now.openuk_network_code, was.openuk_network_code);
  assertEquals(now.trust_code, was.trust_code);
});
