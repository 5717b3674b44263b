/**
 * OPEN UK networks by the original's seeding rules: rows applied in order (the last row for a
 * code wins), and a code that is a trust applies to the trust's sites, otherwise to the health
 * board's.
 */
import { equal } from "node:assert/strict";
import { buildOpenUkMemberships } from "../../../scripts/seed/openuk.ts";
import { Findings } from "../../../scripts/seed/findings.ts";
import { inputs, rowsOf } from "./reference_rows.ts";

const trusts = new Set(inputs.trusts.map((t) => t.ods_code));
const boards = new Set(inputs.localHealthBoards.map((l) => l.ods_code));
const parents = { isTrust: (c: string) => trusts.has(c), isBoard: (c: string) => boards.has(c) };
const networks = new Set(inputs.openUkNetworks.map((n) => n.network_code));

Deno.test("the last row for a trust wins (RN3: ORENG then WPNN → WPNN)", () => {
  const rows = rowsOf(inputs.openUkTrusts, "parent_code", "RN3");
  const r = buildOpenUkMemberships(rows, parents, networks, new Findings());
  equal(r.byTrust.get("RN3"), "WPNN");
});

Deno.test("a later row for the same code is an observation, not an unresolved row", () => {
  const f = new Findings();
  buildOpenUkMemberships(rowsOf(inputs.openUkTrusts, "parent_code", "RN3"), parents, networks, f);
  equal(f.unresolved.length, 0);
  equal(f.notes.observations.filter((o) => o.includes("RN3")).length, 1);
});

Deno.test("a code that is both a trust and a health board applies to the trust (7A7)", () => {
  const rows = rowsOf(inputs.openUkTrusts, "parent_code", "7A7");
  const r = buildOpenUkMemberships(rows, parents, networks, new Findings());
  equal(r.byTrust.get("7A7"), "SWEP");
  equal(r.byBoard.has("7A7"), false);
});

Deno.test("a health board's row applies to the board's sites (7A1 → EPIC)", () => {
  const rows = rowsOf(inputs.openUkTrusts, "parent_code", "7A1");
  const r = buildOpenUkMemberships(rows, parents, networks, new Findings());
  equal(r.byBoard.get("7A1"), "EPIC");
});
