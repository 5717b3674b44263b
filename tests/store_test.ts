import { deepEqual as assertEquals } from "node:assert/strict";
import { recordWrite, Store, storeProblem } from "../lib/store.ts";
import type { PaediatricDiabetesUnit, SubIcbLocation } from "../lib/model.ts";

Deno.test("store writes a record, its indexes and a change log entry in one commit", async () => {
  const store = await Store.open(":memory:");
  const pdu: PaediatricDiabetesUnit = {
    pz_code: "PZ001",
    paediatric_diabetes_network_code: "PN07",
    source: "curated",
    updated_at: "",
  };
  const r = await store.write([{
    writes: [recordWrite("paediatric_diabetes_unit", "PZ001", () => pdu)],
  }], {
    cause: "seed",
    runId: "t",
  });
  assertEquals(r.entries.length, 1);
  assertEquals(
    await store.codesBy("paediatric_diabetes_unit", "paediatric_diabetes_network_code", "PN07"),
    ["PZ001"],
  );
  store.close();
});

Deno.test("change log entries are ordered by commit versionstamp across store handles", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/store.sqlite`;
  const [a, b] = [await Store.open(path), await Store.open(path)];
  const pdu = (network: string): PaediatricDiabetesUnit => ({
    pz_code: "PZ001",
    paediatric_diabetes_network_code: network,
    source: "curated",
    updated_at: "",
  });
  const write = (store: Store, network: string) =>
    store.write([{
      writes: [recordWrite("paediatric_diabetes_unit", "PZ001", () => pdu(network))],
    }], {
      cause: "seed",
      runId: "t",
    });
  const written = [];
  for (const [store, network] of [[a, "PN01"], [b, "PN02"], [a, "PN03"]] as const) {
    const result = await write(store, network);
    // The entry's id is its commit's versionstamp (the same commit moves the data version).
    assertEquals(result.entries[0].id, await store.dataVersion());
    written.push(result);
  }
  const history = await b.history("paediatric_diabetes_unit", "PZ001");
  assertEquals(history.map((e) => e.id), written.map((r) => r.entries[0].id));
  assertEquals(history.map((e) => e.id), history.map((e) => e.id).toSorted());
  assertEquals(
    history.map((e) => e.changes.find((c) => c.field === "paediatric_diabetes_network_code")?.new),
    ["PN01", "PN02", "PN03"],
  );
  a.close();
  b.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a record written twice in one write() gets two change log entries", async () => {
  const store = await Store.open(":memory:");
  const pdu = (network: string): PaediatricDiabetesUnit => ({
    pz_code: "PZ001",
    paediatric_diabetes_network_code: network,
    source: "curated",
    updated_at: "",
  });
  await store.write([
    { writes: [recordWrite("paediatric_diabetes_unit", "PZ001", () => pdu("PN01"))] },
    { writes: [recordWrite("paediatric_diabetes_unit", "PZ001", () => pdu("PN02"))] },
  ], { cause: "seed", runId: "t" });
  assertEquals((await store.history("paediatric_diabetes_unit", "PZ001")).length, 2);
  store.close();
});

Deno.test("store problems are named in an operator's words", () => {
  assertEquals(storeProblem(new Error("attempt to write a readonly database")), "read-only");
  assertEquals(storeProblem(new Error("file is not a database")), "not a Deno KV database");
  assertEquals(
    storeProblem(new Error("database disk image is malformed")),
    "not a Deno KV database",
  );
});

Deno.test("a GP practice commit moves the GP version, not the data version", async () => {
  const store = await Store.open(":memory:");
  const pdu: PaediatricDiabetesUnit = {
    pz_code: "PZ001",
    paediatric_diabetes_network_code: null,
    source: "curated",
    updated_at: "",
  };
  await store.write([{ writes: [recordWrite("paediatric_diabetes_unit", "PZ001", () => pdu)] }], {
    cause: "seed",
    runId: "t",
  });
  const [data, gp] = [await store.dataVersion(), await store.gpVersion()];
  const location = subIcb("97R", "NHS SUSSEX ICB - 97R");
  await store.write([{ writes: [recordWrite("sub_icb_location", "97R", () => location)] }], {
    cause: "sync",
    runId: "t",
  });
  assertEquals(await store.dataVersion(), data);
  assertEquals((await store.gpVersion()) > gp, true);
  assertEquals((await store.counts()).sub_icb_location, undefined, "counts are the snapshot's");
  store.close();
});

/** A sub-ICB location record named `name`. */
function subIcb(code: string, name: string): SubIcbLocation {
  return {
    ods_code: code,
    name,
    postcode: null,
    active: true,
    operational_start: "2022-07-01",
    operational_end: null,
    last_change_date: "2024-01-01",
    integrated_care_board_code: null,
    nhs_england_region_code: null,
    ods_facts: { roles: [], relationships: [], successions: [] },
    source: "ods",
    updated_at: "",
  };
}

Deno.test("a commit of GP kinds names the GP version it replaced, another process's too", async () => {
  const dir = await Deno.makeTempDir({ prefix: "store_test_" });
  const store = await Store.open(`${dir}/kv.sqlite`);
  const other = await Store.open(`${dir}/kv.sqlite`);
  try {
    const ctx = { cause: "sync" as const, runId: "t" };
    const write = (s: Store, code: string, name: string) =>
      s.write([{ writes: [recordWrite("sub_icb_location", code, () => subIcb(code, name))] }], ctx);
    const told: (string | null)[] = [];
    store.onCommit((c) => told.push(c.gpFrom));
    await write(store, "97R", "FIRST");
    const first = await store.gpVersion();
    await write(other, "09D", "ELSEWHERE");
    const foreign = await store.gpVersion();
    await write(store, "99E", "SECOND");
    const pdu: PaediatricDiabetesUnit = {
      pz_code: "PZ001",
      paediatric_diabetes_network_code: null,
      source: "curated",
      updated_at: "",
    };
    await store.write(
      [{ writes: [recordWrite("paediatric_diabetes_unit", "PZ001", () => pdu)] }],
      ctx,
    );
    assertEquals(told, ["0", foreign, null], "none for a commit of other kinds");
    assertEquals(foreign > first, true);
  } finally {
    other.close();
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
});
