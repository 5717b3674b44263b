import { deepEqual as assertEquals } from "node:assert/strict";
import { recordWrite, Store, storeProblem } from "../lib/store.ts";
import type { PaediatricDiabetesUnit } from "../lib/model.ts";

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
