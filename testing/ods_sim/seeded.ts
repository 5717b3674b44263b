/**
 * A simulated ODS world that matches the project's reference seed: every ODS-backed record of
 * `data/seed.json` as an ORD record (same names, addresses, parents; ICB and health board names
 * in capitals, as ODS writes them where the seed has the ONS style), so a sync against it changes
 * only what a test or demo changes on purpose; and the sites the 2024 PDU list names that the
 * seed lacks (`./reference_sites.ts`), which a first sync creates.
 *
 * {@linkcode applyDemoChanges} then makes the kind of changes ODS has published since 2024: renamed
 * trusts, re-parented sites, a closure with a successor, and new ICBs replacing old ones. The
 * changes are illustrative (synthetic data in real shapes), not a record of actual events.
 *
 * @module
 */
import type { Seed } from "../../lib/seed.ts";
import { buildIcb, buildLhb, buildRegion, buildSite, buildTrust, buildWelshSite } from "./kinds.ts";
import type { OrdContact, OrdLocation, OrdOrganisation } from "./ord_types.ts";
import type { OdsDataset } from "./dataset.ts";
import { referenceSiteRecords } from "./reference_sites.ts";

const REGION_NAMES: Record<string, string> = {
  Y56: "LONDON COMMISSIONING REGION",
  Y58: "SOUTH WEST COMMISSIONING REGION",
  Y59: "SOUTH EAST COMMISSIONING REGION",
  Y60: "MIDLANDS COMMISSIONING REGION",
  Y61: "EAST OF ENGLAND COMMISSIONING REGION",
  Y62: "NORTH WEST COMMISSIONING REGION",
  Y63: "NORTH EAST AND YORKSHIRE COMMISSIONING REGION",
};

function location(
  lines: (string | null)[],
  town: string | null,
  county: string | null,
  postcode: string | null,
  country: string,
): OrdLocation {
  const loc: Record<string, string> = {};
  lines.forEach((l, i) => {
    if (l) loc[`AddrLn${i + 1}`] = l;
  });
  if (town) loc.Town = town;
  if (county) loc.County = county;
  if (postcode) loc.PostCode = postcode;
  loc.Country = country;
  return loc as OrdLocation;
}

function contacts(telephone: string | null, website: string | null): OrdContact[] | undefined {
  const out: OrdContact[] = [];
  if (telephone) out.push({ type: "tel", value: telephone });
  if (website) out.push({ type: "http", value: website.toUpperCase() });
  return out.length ? out : undefined;
}

/** The regions, ICBs and health boards of `seed`, named as ODS names them (in capitals). */
function boundaryRecords(seed: Seed, lcd: string): OrdOrganisation[] {
  const r = seed.records;
  return [
    ...r.nhs_england_region.map((region) =>
      buildRegion({
        code: region.region_code,
        name: REGION_NAMES[region.region_code] ?? region.name.toUpperCase(),
        lastChangeDate: lcd,
        start: "2018-04-01",
      })
    ),
    ...r.integrated_care_board.map((icb) =>
      buildIcb({
        code: icb.ods_code,
        name: icb.name.toUpperCase(),
        lastChangeDate: lcd,
        region: icb.nhs_england_region_code ?? undefined,
        start: "2020-04-01",
      })
    ),
    ...r.local_health_board.map((lhb) =>
      buildLhb({
        code: lhb.ods_code,
        name: lhb.name.toUpperCase(),
        lastChangeDate: lcd,
        start: "2009-10-01",
      })
    ),
  ];
}

/**
 * ORD records for every ODS-backed record in `seed`, and for the sites its PDU list names that
 * it lacks, last changed on `lastChangeDate`.
 *
 * @example
 * ```ts
 * import { loadSeedFile } from "../../lib/seed.ts";
 * import { seededRecords } from "./seeded.ts";
 * import { ok } from "node:assert/strict";
 * const records = seededRecords(loadSeedFile(), "2024-06-03");
 * ok(records.some((r) => r.OrgId.extension === "RGT01"));
 * ```
 */
export function seededRecords(seed: Seed, lastChangeDate: string): OrdOrganisation[] {
  const r = seed.records;
  const lcd = lastChangeDate;
  const out: OrdOrganisation[] = boundaryRecords(seed, lcd);
  const boards = new Set(r.local_health_board.map((b) => b.ods_code));
  for (const t of r.trust) {
    if (t.source !== "ods" || boards.has(t.ods_code)) continue;
    out.push(buildTrust({
      code: t.ods_code,
      name: t.name,
      lastChangeDate: lcd,
      icb: t.integrated_care_board_code ?? undefined,
      address: location(
        [t.address_line_1, t.address_line_2],
        t.town,
        null,
        t.postcode,
        t.country ?? "ENGLAND",
      ),
      contacts: contacts(t.telephone, t.website),
    }));
  }
  for (const o of r.organisation) {
    if (o.source !== "ods") continue;
    const common = {
      code: o.ods_code,
      name: o.name,
      lastChangeDate: lcd,
      contacts: contacts(o.telephone, o.website),
    };
    if (o.trust_code) {
      out.push(buildSite({
        ...common,
        trust: o.trust_code,
        address: location(
          [o.address1, o.address2, o.address3],
          o.city,
          o.county,
          o.postcode,
          "ENGLAND",
        ),
      }));
    } else if (o.local_health_board_code) {
      out.push(buildWelshSite({
        ...common,
        lhb: o.local_health_board_code,
        address: location(
          [o.address1, o.address2, o.address3],
          o.city,
          o.county,
          o.postcode,
          "WALES",
        ),
      }));
    }
  }
  out.push(...referenceSiteRecords(seed, lcd));
  return out;
}

/** What {@linkcode applyDemoChanges} changed, for assertions and the demo's output. */
export interface DemoChanges {
  renamedTrusts: { code: string; name: string }[];
  reparentedSites: { code: string; from: string; to: string }[];
  closedSite: { code: string; successor: string } | null;
  newIcbs: { code: string; replaces: string[]; trusts: string[] }[];
}

/**
 * Apply illustrative changes on `day` (published at the next publication): two renamed trusts,
 * a site moved to another trust, a site closed with a successor, and two new ICBs that take over
 * the trusts of four old ones (the shape of the April 2026 reorganisation, with its new codes).
 *
 * @example
 * ```ts
 * import { loadSeedFile } from "../../lib/seed.ts";
 * import { OdsDataset } from "./dataset.ts";
 * import { applyDemoChanges, seededRecords } from "./seeded.ts";
 * import { equal } from "node:assert/strict";
 * const seed = loadSeedFile();
 * const dataset = new OdsDataset({ records: seededRecords(seed, "2024-06-03") });
 * const changes = applyDemoChanges({ dataset }, seed, "2026-11-23");
 * equal(changes.newIcbs.length, 2);
 * ```
 */
export function applyDemoChanges(
  sim: { readonly dataset: OdsDataset },
  seed: Seed,
  day: string,
): DemoChanges {
  const ds = sim.dataset;
  const orgs = seed.records.organisation.filter((o) => o.source === "ods" && o.trust_code);
  const trusts = seed.records.trust.filter((t) =>
    t.source === "ods" && t.integrated_care_board_code
  );
  const changes: DemoChanges = {
    renamedTrusts: [],
    reparentedSites: [],
    closedSite: null,
    newIcbs: [],
  };

  for (const code of ["RGT", "RVV"]) {
    const t = trusts.find((x) => x.ods_code === code);
    if (!t) continue;
    const name = t.name.replace(/NHS FOUNDATION TRUST$/, "NHS TRUST").replace(
      /^([A-Z]+)/,
      "$1 AND DISTRICT",
    );
    ds.rename(code, name, day);
    changes.renamedTrusts.push({ code, name });
  }

  const moved = orgs.find((o) => o.trust_code === "RWH") ?? orgs[0];
  const target = trusts.find((t) => t.ods_code !== moved.trust_code && t.ods_code === "RGT") ??
    trusts.find((t) => t.ods_code !== moved.trust_code)!;
  ds.reparent(moved.ods_code, target.ods_code, day);
  changes.reparentedSites.push({
    code: moved.ods_code,
    from: moved.trust_code!,
    to: target.ods_code,
  });

  const closing = orgs.find((o) => o.ods_code !== moved.ods_code && o.trust_code === "RVV");
  const successor = orgs.find((o) => o.trust_code === "RVV" && o.ods_code !== closing?.ods_code);
  if (closing && successor) {
    ds.close(closing.ods_code, day, { successor: successor.ods_code, on: day });
    changes.closedSite = { code: closing.ods_code, successor: successor.ods_code };
  }

  const byIcb = new Map<string, string[]>();
  for (const t of trusts) {
    const list = byIcb.get(t.integrated_care_board_code!) ?? [];
    list.push(t.ods_code);
    byIcb.set(t.integrated_care_board_code!, list);
  }
  const icbs = seed.records.integrated_care_board;
  const pairs: [string, [string, string]][] = [
    ["S1Y5D", ["QUE", "QHG"]],
    ["D7T5G", ["QJK", "QUY"]],
  ];
  for (const [code, old] of pairs) {
    const [a, b] = old.map((c) => icbs.find((i) => i.ods_code === c));
    if (!a || !b) continue;
    const region = a.nhs_england_region_code ?? undefined;
    ds.addRecord(
      buildIcb({
        code,
        name: `NHS ${code} INTEGRATED CARE BOARD`,
        lastChangeDate: day,
        region,
        start: day,
        icbSince: day,
      }),
      day,
    );
    const moving = [...(byIcb.get(a.ods_code) ?? []), ...(byIcb.get(b.ods_code) ?? [])];
    for (const t of moving) ds.setIcb(t, code, day);
    for (const c of old) ds.close(c, day, { successor: code, on: day });
    changes.newIcbs.push({ code, replaces: old, trusts: moving });
  }
  return changes;
}
