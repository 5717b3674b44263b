/**
 * Deterministic generator of a realistic national ODS dataset, for benchmarks and large syncs.
 *
 * A dataset = the tracked hierarchy (NHS England regions → ICBs → trusts → sites, Welsh LHBs →
 * sites) plus N untracked records (GP practices, pharmacies, independent-sector sites) whose
 * LastChangeDates are spread over the past years with a small share in the sync window.
 *
 * @module
 */

import { addDays } from "./clock.ts";
import {
  buildGpPractice,
  buildIcb,
  buildLhb,
  buildOrganisation,
  buildRegion,
  buildSite,
  buildTrust,
  buildWelshSite,
  IdAllocator,
  mulberry32,
  type OdsDataset,
  type OrdLocation,
  type OrdOrganisation,
  primaryRoleOf,
} from "./dataset.ts";

/** Tracked records to generate (codes and parents). */
export interface TrackedSpec {
  regions?: { code: string; name?: string }[];
  icbs?: { code: string; region?: string; name?: string }[];
  trusts?: { code: string; icb?: string; name?: string }[];
  sites?: { code: string; trust: string; name?: string }[];
  lhbs?: { code: string; name?: string }[];
  welshSites?: { code: string; lhb: string; name?: string }[];
}

/** Options for {@link generateNational}. */
export interface NationalOptions {
  /** PRNG seed (default 1). */
  seed?: number;
  /** "Today" for LastChangeDate spread. */
  today: string;
  /** Tracked records; default {@link defaultTrackedSpec}. */
  tracked?: TrackedSpec;
  /** Number of untracked records (default 30,000). */
  untracked?: number;
  /** Share of untracked records whose LastChangeDate is within the last 185 days (default 0.05). */
  recentShare?: number;
  /** Codes already in use (skipped). */
  exclude?: Iterable<string>;
  /** Welsh LHB role (default RO144) and Welsh site role (default RO149). */
  lhbRole?: string;
  welshSiteRole?: string;
  ids?: IdAllocator;
}

/** The generated records and code lists by kind. */
export interface NationalDataset {
  records: OrdOrganisation[];
  tracked: string[];
  untracked: string[];
  regions: string[];
  icbs: string[];
  trusts: string[];
  sites: string[];
  lhbs: string[];
  welshSites: string[];
}

const REGIONS: [string, string][] = [
  ["Y56", "LONDON COMMISSIONING REGION"],
  ["Y58", "SOUTH WEST COMMISSIONING REGION"],
  ["Y59", "SOUTH EAST COMMISSIONING REGION"],
  ["Y60", "MIDLANDS COMMISSIONING REGION"],
  ["Y61", "EAST OF ENGLAND COMMISSIONING REGION"],
  ["Y62", "NORTH WEST COMMISSIONING REGION"],
  ["Y63", "NORTH EAST AND YORKSHIRE COMMISSIONING REGION"],
];

const TOWNS: [string, string][] = [
  ["LEEDS", "LS"],
  ["MANCHESTER", "M"],
  ["BIRMINGHAM", "B"],
  ["BRISTOL", "BS"],
  ["NORWICH", "NR"],
  ["EXETER", "EX"],
  ["NOTTINGHAM", "NG"],
  ["SHEFFIELD", "S"],
  ["LIVERPOOL", "L"],
  ["NEWCASTLE UPON TYNE", "NE"],
  ["CAMBRIDGE", "CB"],
  ["OXFORD", "OX"],
  ["CANTERBURY", "CT"],
  ["YORK", "YO"],
  ["PLYMOUTH", "PL"],
  ["LEICESTER", "LE"],
  ["DERBY", "DE"],
  ["HULL", "HU"],
  ["READING", "RG"],
  ["LONDON", "SE"],
];
const STREETS = ["HIGH STREET", "STATION ROAD", "CHURCH LANE", "MILL ROAD", "PARK AVENUE"];
const LETTERS = "ABCDEFGHJKLMNPQRSTUVWXY";
const ALNUM = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/** The default tracked hierarchy: 7 regions, 42 ICBs, 210 trusts, 1,050 sites, 6 LHBs, 60 sites. */
export function defaultTrackedSpec(): TrackedSpec {
  const regions = REGIONS.map(([code, name]) => ({ code, name }));
  const icbs = Array.from({ length: 42 }, (_, i) => ({
    code: `Q${LETTERS[Math.floor(i / 10) % LETTERS.length]}${i % 10}`,
    region: REGIONS[i % REGIONS.length][0],
  }));
  const trusts = Array.from({ length: 210 }, (_, i) => ({
    code: `R${LETTERS[Math.floor(i / 10) % LETTERS.length]}${i % 10}`,
    icb: icbs[i % icbs.length].code,
  }));
  const sites = trusts.flatMap((t) =>
    Array.from({ length: 5 }, (_, j) => ({ code: `${t.code}0${j + 1}`, trust: t.code }))
  );
  const lhbs = Array.from({ length: 6 }, (_, i) => ({ code: `7A${i + 2}` }));
  const welshSites = lhbs.flatMap((l) =>
    Array.from({ length: 10 }, (_, j) => ({ code: `${l.code}0${j}`, lhb: l.code }))
  );
  return { regions, icbs, trusts, sites, lhbs, welshSites };
}

/** Generates a national dataset; deterministic for a given seed and options. */
export function generateNational(options: NationalOptions): NationalDataset {
  const rng = mulberry32(options.seed ?? 1);
  const ids = options.ids ?? new IdAllocator(3_000_000);
  const today = options.today;
  const spec = options.tracked ?? defaultTrackedSpec();
  const used = new Set<string>([...(options.exclude ?? [])].map((c) => c.toUpperCase()));
  const out: NationalDataset = {
    records: [],
    tracked: [],
    untracked: [],
    regions: [],
    icbs: [],
    trusts: [],
    sites: [],
    lhbs: [],
    welshSites: [],
  };
  const pick = <T>(xs: ArrayLike<T>): T => xs[Math.floor(rng() * xs.length)];
  const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
  const address = (): OrdLocation => {
    const [town, area] = pick(TOWNS);
    return {
      AddrLn1: `${int(1, 250)} ${pick(STREETS)}`,
      Town: town,
      PostCode: `${area}${int(1, 29)} ${int(1, 9)}${pick(LETTERS)}${pick(LETTERS)}`,
      Country: "ENGLAND",
      UPRN: int(10_000_000, 99_999_999_999),
    };
  };
  const trackedDate = () => addDays(today, -int(1, 700));
  const roleIdOf = new Map<string, number>();
  const add = (org: OrdOrganisation, list: string[] | null, tracked: boolean) => {
    const code = org.OrgId.extension;
    used.add(code);
    out.records.push(org);
    list?.push(code);
    (tracked ? out.tracked : out.untracked).push(code);
    const role = primaryRoleOf(org);
    if (role) roleIdOf.set(code, role.uniqueRoleId);
  };
  const free = (code: string) => !used.has(code.toUpperCase());

  for (const r of spec.regions ?? []) {
    if (!free(r.code)) continue;
    add(
      buildRegion({
        code: r.code,
        name: r.name ?? `REGION ${r.code}`,
        lastChangeDate: trackedDate(),
        start: "2018-04-01",
        address: address(),
        ids,
      }),
      out.regions,
      true,
    );
  }
  for (const icb of spec.icbs ?? []) {
    if (!free(icb.code)) continue;
    add(
      buildIcb({
        code: icb.code,
        name: icb.name ?? `NHS SIMULATED ${icb.code} INTEGRATED CARE BOARD`,
        lastChangeDate: trackedDate(),
        start: "2020-04-01",
        region: icb.region,
        regionUniqueRoleId: icb.region ? roleIdOf.get(icb.region) : undefined,
        address: address(),
        ids,
      }),
      out.icbs,
      true,
    );
  }
  for (const t of spec.trusts ?? []) {
    if (!free(t.code)) continue;
    add(
      buildTrust({
        code: t.code,
        name: t.name ?? `SIMULATED ${t.code} NHS FOUNDATION TRUST`,
        lastChangeDate: trackedDate(),
        start: "2001-04-01",
        foundationTrust: rng() < 0.6,
        icb: t.icb,
        icbUniqueRoleId: t.icb ? roleIdOf.get(t.icb) : undefined,
        historicRe5: [{
          target: "Q79",
          targetRole: "RO210",
          start: "2019-04-01",
          end: "2022-06-30",
        }],
        address: address(),
        contacts: [{ type: "tel", value: `0${int(1000, 1999)} ${int(100000, 999999)}` }],
        ids,
      }),
      out.trusts,
      true,
    );
  }
  for (const s of spec.sites ?? []) {
    if (!free(s.code)) continue;
    add(
      buildSite({
        code: s.code,
        name: s.name ?? `SIMULATED ${s.code} HOSPITAL`,
        lastChangeDate: trackedDate(),
        start: "2001-04-01",
        trust: s.trust,
        trustUniqueRoleId: roleIdOf.get(s.trust),
        address: address(),
        ids,
      }),
      out.sites,
      true,
    );
  }
  for (const l of spec.lhbs ?? []) {
    if (!free(l.code)) continue;
    add(
      buildLhb({
        code: l.code,
        name: l.name ?? `SIMULATED ${l.code} UNIVERSITY LHB`,
        lastChangeDate: trackedDate(),
        start: "2009-10-01",
        role: options.lhbRole,
        address: { ...address(), Country: "WALES" },
        ids,
      }),
      out.lhbs,
      true,
    );
  }
  for (const w of spec.welshSites ?? []) {
    if (!free(w.code)) continue;
    add(
      buildWelshSite({
        code: w.code,
        name: w.name ?? `YSBYTY ${w.code}`,
        lastChangeDate: trackedDate(),
        start: "2009-10-01",
        lhb: w.lhb,
        lhbRole: options.lhbRole,
        lhbUniqueRoleId: roleIdOf.get(w.lhb),
        siteRole: options.welshSiteRole,
        address: { ...address(), Country: "WALES" },
        ids,
      }),
      out.welshSites,
      true,
    );
  }

  const n = options.untracked ?? 30_000;
  const recentShare = options.recentShare ?? 0.05;
  const icbs = out.icbs.length > 0 ? out.icbs : ["QKS"];
  let gp = 0, ph = 0, other = 0;
  for (let i = 0; i < n; i++) {
    const lastChangeDate = rng() < recentShare
      ? addDays(today, -int(0, 184))
      : addDays(today, -int(186, 3000));
    const closed = rng() < 0.1;
    const end = closed ? addDays(lastChangeDate, -int(0, 30)) : undefined;
    const kind = rng();
    let code: string;
    let org: OrdOrganisation;
    if (kind < 0.6) {
      do code = `${LETTERS[Math.floor(gp / 90000) % LETTERS.length]}${
        10000 + (gp++ % 90000)
      }`; while (!free(code));
      org = buildGpPractice({
        code,
        name: `SIMULATED ${code} SURGERY`,
        lastChangeDate,
        start: "1974-04-01",
        end,
        commissioner: `${int(1, 99).toString().padStart(2, "0")}${pick(LETTERS)}`,
        pcn: `U${int(10000, 99999)}`,
        address: address(),
        contacts: [{ type: "tel", value: `0${int(1000, 1999)} ${int(100000, 999999)}` }],
        ids,
      });
    } else if (kind < 0.85) {
      do {
        code = `F${ALNUM[Math.floor(ph / 1296) % ALNUM.length]}${ALNUM[Math.floor(ph / 36) % 36]}${
          ALNUM[ph % 36]
        }`;
        ph++;
      } while (!free(code));
      org = buildOrganisation({
        code,
        name: `SIMULATED ${code} PHARMACY`,
        primaryRole: "RO182",
        start: "2005-01-01",
        end,
        lastChangeDate,
        address: address(),
        rels: [{ id: "RE4", target: pick(icbs), targetRole: "RO261", start: "2022-07-01" }],
        ids,
      });
    } else {
      do code = `N${LETTERS[Math.floor(other / 1000) % LETTERS.length]}${other++ % 1000}`.padEnd(
        5,
        "0",
      ); while (!free(code));
      org = buildOrganisation({
        code,
        name: `SIMULATED ${code} INDEPENDENT CLINIC`,
        primaryRole: "RO176",
        start: "2012-04-01",
        end,
        lastChangeDate,
        address: address(),
        ids,
      });
    }
    add(org, null, false);
  }
  return out;
}

/** Options for {@link simulateChangeDay}. */
export interface ChangeDayOptions {
  /** Day the changes happen (LastChangeDate; published at the next publication). */
  day: string;
  /** Total records changed (K). */
  changed: number;
  /** How many of them are tracked (T ≤ K). */
  tracked: number;
  trackedCodes: readonly string[];
  untrackedCodes: readonly string[];
  /** Trust codes to reparent tracked sites to (enables RE6 moves). */
  trusts?: readonly string[];
  seed?: number;
}

/** What a simulated day changed. */
export interface ChangeDayResult {
  codes: string[];
  tracked: string[];
  untracked: string[];
}

function sample(codes: readonly string[], k: number, rng: () => number): string[] {
  const n = Math.min(k, codes.length);
  const chosen = new Set<number>();
  if (n > codes.length / 2) {
    const idx = codes.map((_, i) => i);
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    return idx.slice(0, n).map((i) => codes[i]);
  }
  while (chosen.size < n) chosen.add(Math.floor(rng() * codes.length));
  return [...chosen].map((i) => codes[i]);
}

/**
 * Applies "a day of K changed records of which T are tracked" to `dataset` (renames, address
 * and contact changes, and — for sites when `trusts` is given — RE6 moves), all dated `day`.
 */
export function simulateChangeDay(dataset: OdsDataset, o: ChangeDayOptions): ChangeDayResult {
  const rng = mulberry32(o.seed ?? 7);
  const t = Math.min(o.tracked, o.changed);
  const tracked = sample(o.trackedCodes.filter((c) => dataset.working(c) !== undefined), t, rng);
  const untracked = sample(
    o.untrackedCodes.filter((c) => dataset.working(c) !== undefined),
    o.changed - tracked.length,
    rng,
  );
  const apply = (code: string, allowReparent: boolean) => {
    const r = rng();
    const org = dataset.working(code);
    if (!org) return;
    const isSite = org.Rels?.Rel.some((x) => x.id === "RE6" && x.Status === "Active") ?? false;
    if (allowReparent && isSite && o.trusts && o.trusts.length > 0 && r < 0.2) {
      dataset.reparent(code, o.trusts[Math.floor(rng() * o.trusts.length)], o.day);
    } else if (r < 0.5) {
      dataset.rename(
        code,
        `${org.Name.replace(/ \(\d+\)$/, "")} (${Math.floor(rng() * 1000)})`,
        o.day,
      );
    } else if (r < 0.8) {
      const loc = org.GeoLoc?.Location ?? {};
      dataset.setAddress(code, { ...loc, AddrLn2: `UNIT ${Math.floor(rng() * 100)}` }, o.day);
    } else {
      dataset.setContacts(
        code,
        [{ type: "tel", value: `0${Math.floor(1000 + rng() * 999)} 000` }],
        o.day,
      );
    }
  };
  for (const c of tracked) apply(c, true);
  for (const c of untracked) apply(c, false);
  return { codes: [...tracked, ...untracked], tracked, untracked };
}
