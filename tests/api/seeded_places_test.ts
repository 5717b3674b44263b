/**
 * Where the seed places organisations, as the original's seed did (issue #12 items 6, 7 and
 * 8), seen through the API on a freshly seeded store: Jersey General Hospital under RGT with
 * country JEY, the RCPCH with no country, the last row of the trust → ICB table, and the OPEN UK
 * networks by the original's rules.
 */
import { deepEqual, equal } from "node:assert/strict";
import { body, seededApp } from "./seeded.ts";

const app = await seededApp();

type Nested = { ods_code?: string; region_code?: string; boundary_identifier?: string } | null;
type Org = Record<string, Nested> & { ods_code: string };

const org = (code: string) => body<Org>(app, `/organisations/${code}/`);

Deno.test("Jersey General Hospital (RGT1W) is under trust RGT, ICB QUE, region Y61, OPEN UK EPEN", async () => {
  const o = await org("RGT1W");
  deepEqual(
    [
      o.trust?.ods_code,
      o.integrated_care_board?.ods_code,
      o.nhs_england_region?.region_code,
      o.openuk_network?.boundary_identifier,
    ],
    ["RGT", "QUE", "Y61", "EPEN"],
  );
});

Deno.test("Jersey General Hospital keeps country JEY (the original's later fix)", async () => {
  deepEqual((await org("RGT1W")).country, { boundary_identifier: "JEY", name: "Jersey" });
});

Deno.test("the RCPCH (8HV48) has no country, parent, ICB or borough", async () => {
  const o = await org("8HV48");
  deepEqual([o.country, o.trust, o.integrated_care_board, o.london_borough], [
    null,
    null,
    null,
    null,
  ]);
});

Deno.test("a trust in several ICB rows gets its last row's ICB (RVN38 is QOX, not QUY)", async () => {
  equal((await org("RVN38")).integrated_care_board?.ods_code, "QOX");
});

Deno.test("a trust in several ICB rows gets its last row's region (RATE2: QMF, London)", async () => {
  const o = await org("RATE2");
  equal(o.integrated_care_board?.ods_code, "QMF");
  equal(o.nhs_england_region?.region_code, "Y56");
});

Deno.test("RN3's sites are in WPNN, its last OPEN UK row (RN351, RN341, RN325)", async () => {
  for (const code of ["RN351", "RN341", "RN325"]) {
    equal((await org(code)).openuk_network?.boundary_identifier, "WPNN", code);
  }
});

Deno.test("7A7BM has no OPEN UK network: 7A7's row applies to trust 7A7, not the board", async () => {
  equal((await org("7A7BM")).openuk_network, null);
});
