/**
 * The ICB and region of a trust's sites come from the trust's last row of the 2024 trust → ICB
 * table, as the original's seed assigned them (it applied the rows in order).
 */
import { deepEqual, equal } from "node:assert/strict";
import { chooseTrustIcbs, readIcbMap } from "../../../scripts/seed/icbs.ts";
import { Findings } from "../../../scripts/seed/findings.ts";
import { inputs, rowsOf } from "./reference_rows.ts";

const icbCodes = new Set(inputs.integratedCareBoards.map((i) => i.ods_code));

Deno.test("a trust in two ICB rows gets the last row's ICB (RVN: QUY then QOX → QOX)", () => {
  const f = new Findings();
  const map = readIcbMap(rowsOf(inputs.icbLocalAuthorities, "trust_code", "RVN"), f);
  equal(chooseTrustIcbs(map, icbCodes, f).get("RVN")?.icb_code, "QOX");
});

Deno.test("the region is the last row's too (RAT: QH8/Y61 then QMF/Y56 → Y56)", () => {
  const f = new Findings();
  const map = readIcbMap(rowsOf(inputs.icbLocalAuthorities, "trust_code", "RAT"), f);
  deepEqual(chooseTrustIcbs(map, icbCodes, f).get("RAT"), {
    trust_code: "RAT",
    icb_code: "QMF",
    region_code: "Y56",
  });
});

Deno.test("a trust seen with several ICBs is noted for the report with every ICB", () => {
  const f = new Findings();
  const map = readIcbMap(rowsOf(inputs.icbLocalAuthorities, "trust_code", "RAT"), f);
  chooseTrustIcbs(map, icbCodes, f);
  deepEqual(f.notes.multiIcbTrusts.map((m) => [m.trust_code, m.chosen, m.icbs.length]), [
    ["RAT", "QMF", 2],
  ]);
});
