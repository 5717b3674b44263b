/**
 * Empty text is `""`, not `null`, exactly where the original gives `""` (issue #12, item 2):
 * organisations' `address2`, `address3`, `county`, `telephone` and `website`, and trusts'
 * `address_line_2`, also for records the sync maps from ODS; trusts' `telephone` and `website`
 * stay `null`.
 */
import { equal } from "node:assert/strict";
import { toOrganisation, toTrust } from "../../lib/ods/entities.ts";
import { parseOrdOrganisation } from "../../lib/ods/ord.ts";
import type { OdsRecord } from "../../lib/ods/record.ts";
import { buildSite, buildTrust } from "../../testing/ods_sim/kinds.ts";
import type { OrdOrganisation } from "../../testing/ods_sim/ord_types.ts";

const NO_PARENTS = { trust: () => null, icb: () => null };

function parsed(org: OrdOrganisation): OdsRecord {
  const r = parseOrdOrganisation({ Organisation: org });
  if (!r.ok) throw new Error(r.reason);
  return r.record;
}

// A site with one address line and a town, no county and no contacts.
const site = parsed(buildSite({
  code: "RALC7",
  name: "SIMULATED SITE RALC7",
  trust: "RAL",
  lastChangeDate: "2024-06-03",
  address: { AddrLn1: "POND STREET", Town: "LONDON", PostCode: "NW3 2QG", Country: "ENGLAND" },
}));

Deno.test('an ODS site without a telephone number gets telephone ""', () => {
  equal(toOrganisation(site, null, NO_PARENTS).telephone, "");
});

Deno.test('an ODS site without a website gets website ""', () => {
  equal(toOrganisation(site, null, NO_PARENTS).website, "");
});

Deno.test('an ODS site without second and third address lines gets address2 and address3 ""', () => {
  const org = toOrganisation(site, null, NO_PARENTS);
  equal(org.address2, "");
  equal(org.address3, "");
});

Deno.test('an ODS site without a county gets county ""', () => {
  equal(toOrganisation(site, null, NO_PARENTS).county, "");
});

const trust = parsed(buildTrust({
  code: "RAL",
  name: "ROYAL FREE LONDON NHS FOUNDATION TRUST",
  lastChangeDate: "2024-06-03",
  address: { AddrLn1: "POND STREET", Town: "LONDON", PostCode: "NW3 2QG", Country: "ENGLAND" },
}));

Deno.test('an ODS trust without a second address line gets address_line_2 ""', () => {
  equal(toTrust(trust, null).address_line_2, "");
});

Deno.test("an ODS trust without contacts keeps telephone and website null, as the original", () => {
  const t = toTrust(trust, null);
  equal(t.telephone, null);
  equal(t.website, null);
});
