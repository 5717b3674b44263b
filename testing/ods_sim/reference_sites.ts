/**
 * The sites the 2024 PDU list names that the 2024 organisation list lacks (RALC7, RX1RA, RJE09,
 * RWP01, RWP31, RAE05, R0B0Q, RXF10, RGT2X), as a seeded ODS world publishes them: each under
 * the trust its code begins with (the first three characters of a site code are its trust's),
 * at that trust's address, without contacts. The names are synthetic ("SIMULATED SITE RALC7"):
 * the reference gives none.
 *
 * @module
 */
import type { Seed } from "../../lib/seed.ts";
import { buildSite } from "./kinds.ts";
import type { OrdLocation, OrdOrganisation } from "./ord_types.ts";

/**
 * The codes a PDU row names that are no organisation, trust or health board of `seed`, whose
 * code begins with a seeded trust's, with that trust.
 *
 * @example
 * ```ts
 * import { loadSeedFile } from "../../lib/seed.ts";
 * import { referenceSiteCodes } from "./reference_sites.ts";
 * import { ok } from "node:assert/strict";
 * ok(referenceSiteCodes(loadSeedFile()).some((s) => s.code === "RALC7" && s.trust === "RAL"));
 * ```
 */
export function referenceSiteCodes(seed: Seed): { code: string; trust: string }[] {
  const r = seed.records;
  const held = new Set([
    ...r.organisation.map((o) => o.ods_code),
    ...r.trust.map((t) => t.ods_code),
    ...r.local_health_board.map((b) => b.ods_code),
  ]);
  const trusts = new Set(r.trust.map((t) => t.ods_code));
  const codes = [...new Set(seed.memberships.pdu.map((p) => p.ods_code))];
  return codes.filter((c) => !held.has(c) && trusts.has(c.slice(0, 3)))
    .map((code) => ({ code, trust: code.slice(0, 3) }));
}

/**
 * ORD records of {@linkcode referenceSiteCodes}, last changed on `lastChangeDate`.
 *
 * @example
 * ```ts
 * import { loadSeedFile } from "../../lib/seed.ts";
 * import { referenceSiteRecords } from "./reference_sites.ts";
 * import { equal } from "node:assert/strict";
 * const [first] = referenceSiteRecords(loadSeedFile(), "2024-06-03");
 * equal(first.Rels?.Rel[0].Target.OrgId.extension, first.OrgId.extension.slice(0, 3));
 * ```
 */
export function referenceSiteRecords(seed: Seed, lastChangeDate: string): OrdOrganisation[] {
  const trusts = new Map(seed.records.trust.map((t) => [t.ods_code, t]));
  return referenceSiteCodes(seed).map(({ code, trust }) => {
    const t = trusts.get(trust)!;
    const loc: Record<string, string> = { Country: "ENGLAND" };
    if (t.address_line_1) loc.AddrLn1 = t.address_line_1;
    if (t.address_line_2) loc.AddrLn2 = t.address_line_2;
    if (t.town) loc.Town = t.town;
    if (t.postcode) loc.PostCode = t.postcode;
    return buildSite({
      code,
      name: `SIMULATED SITE ${code}`,
      trust,
      lastChangeDate,
      address: loc as OrdLocation,
    });
  });
}
