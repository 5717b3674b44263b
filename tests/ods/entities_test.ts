import { deepEqual, equal } from "node:assert/strict";
import type { IntegratedCareBoard, LocalHealthBoard } from "../../lib/model.ts";
import { toIntegratedCareBoard, toLocalHealthBoard } from "../../lib/ods/entities.ts";
import { odsRecord } from "../fixtures.ts";

/** A board or ICB record as ODS gives it. */
const record = (code: string, primaryRole: string) =>
  odsRecord(code, {
    name: `BOARD ${code}`,
    primaryRole,
    operational: { start: "2019-04-01", end: null },
  });

const GEO = { bng_e: 311337, bng_n: 228651, long: -3.44, lat: 51.95, globalid: "g-1" };

// Bug caught (the short reliability suite): a synced board lost its ONS centroid and global id,
// which ODS doesn't carry.
Deno.test("a synced local health board keeps its ONS boundary attributes", () => {
  const current = { ods_code: "7A7", name: "POWYS", ...GEO } as unknown as LocalHealthBoard;
  const next = toLocalHealthBoard(record("7A7", "RO144"), current);
  deepEqual(
    {
      bng_e: next.bng_e,
      bng_n: next.bng_n,
      long: next.long,
      lat: next.lat,
      globalid: next.globalid,
    },
    GEO,
  );
});

// Bug caught: the same for ICBs (and regions, which share the mapping's shape).
Deno.test("a synced ICB keeps its ONS boundary attributes", () => {
  const current = { ods_code: "QUE", name: "CAMBS", ...GEO } as unknown as IntegratedCareBoard;
  equal(toIntegratedCareBoard(record("QUE", "RO261"), current).globalid, "g-1");
});

// Bug caught (the short reliability suite): a board new to the store lacked the fields every
// other board has (the seed gives each one, null when unknown).
Deno.test("a board new to the store carries null boundary attributes", () => {
  const next = toLocalHealthBoard(record("7A9", "RO144"), null);
  deepEqual(
    {
      bng_e: next.bng_e,
      bng_n: next.bng_n,
      long: next.long,
      lat: next.lat,
      globalid: next.globalid,
    },
    { bng_e: null, bng_n: null, long: null, lat: null, globalid: null },
  );
  equal("bng_e" in next, true);
});

// Bug caught: every board stored before the attributes existed rewritten on the next sync.
Deno.test("a stored board without boundary attributes is not given any", () => {
  const current = { ods_code: "7A7", name: "POWYS" } as unknown as LocalHealthBoard;
  equal("bng_e" in toLocalHealthBoard(record("7A7", "RO144"), current), false);
});
