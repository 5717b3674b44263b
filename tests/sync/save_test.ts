import { equal, ok } from "node:assert/strict";
import type { DiffRow } from "../../lib/sync/report.ts";
import { reportChunks } from "../../lib/sync/save.ts";

/** A Deno KV value holds at most 64 KiB. */
const KV_VALUE_LIMIT = 65_536;

const row = (code: string, size: number): DiffRow => ({
  entity: "trust",
  code,
  op: "update",
  field: "ods_facts",
  old: null,
  new: { relationships: [{ note: "x".repeat(size) }] },
  last_change_date: "2026-11-24",
});

// Bug caught: 200 rows of dated relationships in one chunk, over KV's value limit.
Deno.test("every stored chunk of a run report fits one KV value", () => {
  const rows = Array.from({ length: 600 }, (_, i) => row(`R${i}`, 2_000));
  const chunks = reportChunks(rows);
  equal(chunks.flat().length, 600, "no row is lost");
  for (const c of chunks) ok(new TextEncoder().encode(JSON.stringify(c)).length < KV_VALUE_LIMIT);
});

Deno.test("a row too large for the report keeps its field and says where its values are", () => {
  const [[r]] = reportChunks([row("RGT", 70_000)]);
  equal(r.field, "ods_facts");
  ok(String(r.new).includes("history"));
});
