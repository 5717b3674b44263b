/**
 * ICB and health board names keep the ONS style (issue #12, item 3): a name differing from the
 * stored one only in letter case is not a rename, and a new one from ODS gets the mixed-case
 * style ("NHS SURREY AND SUSSEX INTEGRATED CARE BOARD" → "NHS Surrey and Sussex Integrated Care
 * Board").
 */
import { equal } from "node:assert/strict";
import type { IntegratedCareBoard, LocalHealthBoard } from "../../lib/model.ts";
import { toIntegratedCareBoard, toLocalHealthBoard } from "../../lib/ods/entities.ts";
import { parseOrdOrganisation } from "../../lib/ods/ord.ts";
import type { OdsRecord } from "../../lib/ods/record.ts";
import { buildIcb, buildLhb } from "../../testing/ods_sim/kinds.ts";
import type { OrdOrganisation } from "../../testing/ods_sim/ord_types.ts";
import { loadSeedFile } from "../../lib/seed.ts";

function parsed(org: OrdOrganisation): OdsRecord {
  const r = parseOrdOrganisation({ Organisation: org });
  if (!r.ok) throw new Error(r.reason);
  return r.record;
}

const seed = loadSeedFile();
const QUE = seed.records.integrated_care_board.find((i) => i.ods_code === "QUE")!;
const BETSI = seed.records.local_health_board.find((b) => b.ods_code === "7A1")!;

Deno.test("a new ICB from ODS gets the ONS style (Surrey and Sussex)", () => {
  const ods = parsed(buildIcb({
    code: "Q9Z",
    name: "NHS SURREY AND SUSSEX INTEGRATED CARE BOARD",
    lastChangeDate: "2026-04-01",
    region: "Y59",
  }));
  equal(toIntegratedCareBoard(ods, null).name, "NHS Surrey and Sussex Integrated Care Board");
});

Deno.test("an ICB name in ODS's capitals is not a rename of its ONS name (QUE)", () => {
  const ods = parsed(buildIcb({
    code: "QUE",
    name: "NHS CAMBRIDGESHIRE AND PETERBOROUGH INTEGRATED CARE BOARD",
    lastChangeDate: "2024-06-03",
    region: "Y61",
  }));
  const stored = { ...QUE, updated_at: "" } as IntegratedCareBoard;
  equal(
    toIntegratedCareBoard(ods, stored).name,
    "NHS Cambridgeshire and Peterborough Integrated Care Board",
  );
});

Deno.test("a health board name in ODS's capitals is not a rename of its ONS name (7A1)", () => {
  const ods = parsed(buildLhb({
    code: "7A1",
    name: "BETSI CADWALADR UNIVERSITY HEALTH BOARD",
    lastChangeDate: "2024-06-03",
  }));
  const stored = { ...BETSI, updated_at: "" } as LocalHealthBoard;
  equal(toLocalHealthBoard(ods, stored).name, "Betsi Cadwaladr University Health Board");
});

Deno.test("a new health board from ODS gets the ONS style", () => {
  const ods = parsed(buildLhb({
    code: "7A1",
    name: "BETSI CADWALADR UNIVERSITY HEALTH BOARD",
    lastChangeDate: "2024-06-03",
  }));
  equal(toLocalHealthBoard(ods, null).name, "Betsi Cadwaladr University Health Board");
});
