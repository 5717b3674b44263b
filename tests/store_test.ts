import { deepEqual as assertEquals } from "node:assert/strict";
import { recordWrite, Store } from "../lib/store.ts";
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
