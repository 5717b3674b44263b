/**
 * Organisation and trust records from real rows of the 2024 lists: text as the original
 * stored it (empty stays `""`), the curated Jersey and RCPCH records placed as the original
 * placed them, and London boroughs only for City `LONDON`.
 */
import { deepEqual, equal } from "node:assert/strict";
import {
  buildOrganisations,
  type OrganisationContext,
} from "../../../scripts/seed/organisations.ts";
import { buildTrusts } from "../../../scripts/seed/parents.ts";
import { Findings } from "../../../scripts/seed/findings.ts";
import type { TrustIcbMembership } from "../../../lib/model.ts";
import { inputs, rowsOf } from "./reference_rows.ts";

const trustRows = new Map(inputs.trusts.map((t) => [t.ods_code, t]));

function context(): OrganisationContext {
  const trustIcb = new Map<string, TrustIcbMembership>([
    ["RGT", { trust_code: "RGT", icb_code: "QUE", region_code: "Y61" }],
  ]);
  return {
    trustRows,
    lhbCodes: new Set(inputs.localHealthBoards.map((l) => l.ods_code)),
    trustIcb,
    regionCodes: new Set(inputs.regions.map((r) => r.region_code)),
    openUk: { byTrust: new Map([["RGT", "EPEN"]]), byBoard: new Map([["7A6", "SWEP"]]) },
    countryCodes: new Set(["E92000001", "W92000004", "JEY"]),
    boroughCodes: new Set(inputs.onsLondonBoroughs.map((b) => b.gss_code)),
  };
}

const build = (...codes: string[]) =>
  buildOrganisations(rowsOf(inputs.organisations, "ods_code", ...codes), context(), new Findings());

Deno.test('an organisation\'s empty text stays "" (7A623: address2, address3, telephone, website, county)', () => {
  const o = build("7A623").get("7A623")!;
  deepEqual([o.address2, o.address3, o.telephone, o.website, o.county], ["", "", "", "", ""]);
});

Deno.test('a trust\'s empty address_line_2 stays ""; telephone and website are null (RA2)', () => {
  const [t] = buildTrusts(rowsOf(inputs.trusts, "ods_code", "RA2"), new Map(), new Findings());
  deepEqual([t.address_line_2, t.telephone, t.website], ["", null, null]);
});

Deno.test("Jersey General Hospital hangs off RGT with its ICB, region and network; country JEY", () => {
  const o = build("RGT1W").get("RGT1W")!;
  deepEqual(
    [o.trust_code, o.integrated_care_board_code, o.nhs_england_region_code, o.openuk_network_code],
    ["RGT", "QUE", "Y61", "EPEN"],
  );
  equal(o.country_code, "JEY");
  equal(o.source, "curated");
});

Deno.test("the RCPCH (8HV48) has no parent, no country and no borough", () => {
  const o = build("8HV48").get("8HV48")!;
  deepEqual([o.trust_code, o.country_code, o.london_borough_code], [null, null, null]);
  equal(o.source, "curated");
});

Deno.test("a site with City LONDON gets its LocalAuthority's borough (RQXM1 → Hackney)", () => {
  equal(build("RQXM1").get("RQXM1")!.london_borough_code, "E09000012");
});
