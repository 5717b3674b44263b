/**
 * Deterministic generator of a realistic national ODS dataset, for benchmarks and large syncs.
 *
 * A dataset = the tracked hierarchy (NHS England regions → ICBs → trusts → sites, Welsh LHBs →
 * sites) plus N untracked records (GP practices, pharmacies, independent-sector sites) whose
 * LastChangeDates are spread over the past years with a small share in the sync window, and —
 * only when asked for with `gpPractices` — a national GP practice set (gp_national.ts: sub-ICB
 * locations, primary care networks and practices, tracked) with the postcodes it uses.
 *
 * @module
 */

import { addDays } from "./clock.ts";
import { generateGpSet, type GpSetOptions } from "./gp_national.ts";
import { IdAllocator } from "./ids.ts";
import {
  buildGpPractice,
  buildIcb,
  buildLhb,
  buildRegion,
  buildSite,
  buildTrust,
  buildWelshSite,
} from "./kinds.ts";
import type { OrdLocation, OrdOrganisation } from "./ord_types.ts";
import {
  type BoardRef,
  boundariesOf,
  type GeoMapping,
  type IcbRef,
  mapGeography,
} from "./postcodes.ts";
import { mulberry32 } from "./random.ts";
import { primaryRoleOf, simulatedOrdRecord } from "./record.ts";

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
  /**
   * A national GP practice set: the number of practices or its options (gp_national.ts).
   * Default none, so existing callers get exactly the records they always had.
   */
  gpPractices?: number | GpSetOptions;
  /** ICBs already in the dataset the GP set's sub-ICB locations may point at (default none). */
  existingIcbs?: IcbRef[];
  /** Welsh boards already in the dataset the Welsh practices may point at (default none). */
  existingBoards?: BoardRef[];
  /**
   * Whether the untracked filler's practice-like records carry RO76 GP PRACTICE. Default: true
   * without `gpPractices` (as always), false with it — they are then plain prescribing cost
   * centres (RO177 only) and `Roles=RO76` returns exactly the GP set (and any fixture practice).
   */
  untrackedGpPractices?: boolean;
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
  /** The GP set's sub-ICB locations, PCNs and practices (empty without `gpPractices`). */
  subIcbs: string[];
  pcns: string[];
  gpPractices: string[];
  /** Postcodes the GP set declared: practice addresses and residential postcodes near them. */
  postcodes: string[];
  /** How the geography table was mapped onto the dataset's ICBs and boards (GP set only). */
  geography: GeoMapping | null;
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

/**
 * The default tracked hierarchy: 7 regions, 42 ICBs, 210 trusts, 1,050 sites, 6 LHBs, 60 sites.
 *
 * @example
 * ```ts
 * import { defaultTrackedSpec } from "./national.ts";
 * import { equal } from "node:assert/strict";
 * const spec = defaultTrackedSpec();
 * equal(spec.trusts?.length, 210);
 * equal(spec.sites?.length, 1050);
 * ```
 */
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

/** The state of one generation run, shared by the steps that add records. */
interface Generation {
  rng: () => number;
  ids: IdAllocator;
  today: string;
  out: NationalDataset;
  pick<T>(xs: ArrayLike<T>): T;
  int(lo: number, hi: number): number;
  /** A random English address. */
  address(): OrdLocation;
  /** A LastChangeDate for a tracked record (within the last 700 days). */
  trackedDate(): string;
  add(org: OrdOrganisation, list: string[] | null, tracked: boolean): void;
  free(code: string): boolean;
  /** Primary-role uniqueRoleId of a generated code. */
  roleIdOf: Map<string, number>;
}

function emptyNational(): NationalDataset {
  return {
    records: [],
    tracked: [],
    untracked: [],
    regions: [],
    icbs: [],
    trusts: [],
    sites: [],
    lhbs: [],
    welshSites: [],
    subIcbs: [],
    pcns: [],
    gpPractices: [],
    postcodes: [],
    geography: null,
  };
}

function generation(options: NationalOptions): Generation {
  const rng = mulberry32(options.seed ?? 1);
  const used = new Set<string>([...(options.exclude ?? [])].map((c) => c.toUpperCase()));
  const out = emptyNational();
  const roleIdOf = new Map<string, number>();
  const pick = <T>(xs: ArrayLike<T>): T => xs[Math.floor(rng() * xs.length)];
  const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
  return {
    rng,
    ids: options.ids ?? new IdAllocator(3_000_000),
    today: options.today,
    out,
    pick,
    int,
    roleIdOf,
    address: () => {
      const [town, area] = pick(TOWNS);
      return {
        AddrLn1: `${int(1, 250)} ${pick(STREETS)}`,
        Town: town,
        PostCode: `${area}${int(1, 29)} ${int(1, 9)}${pick(LETTERS)}${pick(LETTERS)}`,
        Country: "ENGLAND",
        UPRN: int(10_000_000, 99_999_999_999),
      };
    },
    trackedDate: () => addDays(options.today, -int(1, 700)),
    add: (org, list, tracked) => {
      const code = org.OrgId.extension;
      used.add(code);
      out.records.push(org);
      list?.push(code);
      (tracked ? out.tracked : out.untracked).push(code);
      const role = primaryRoleOf(org);
      if (role) roleIdOf.set(code, role.uniqueRoleId);
    },
    free: (code) => !used.has(code.toUpperCase()),
  };
}

/** Regions and the ICBs under them. */
function addRegionsAndIcbs(g: Generation, spec: TrackedSpec): void {
  for (const r of spec.regions ?? []) {
    if (!g.free(r.code)) continue;
    g.add(
      buildRegion({
        code: r.code,
        name: r.name ?? `REGION ${r.code}`,
        lastChangeDate: g.trackedDate(),
        start: "2018-04-01",
        address: g.address(),
        ids: g.ids,
      }),
      g.out.regions,
      true,
    );
  }
  for (const icb of spec.icbs ?? []) {
    if (!g.free(icb.code)) continue;
    g.add(
      buildIcb({
        code: icb.code,
        name: icb.name ?? `NHS SIMULATED ${icb.code} INTEGRATED CARE BOARD`,
        lastChangeDate: g.trackedDate(),
        start: "2020-04-01",
        region: icb.region,
        regionUniqueRoleId: icb.region ? g.roleIdOf.get(icb.region) : undefined,
        address: g.address(),
        ids: g.ids,
      }),
      g.out.icbs,
      true,
    );
  }
}

/** Trusts and their sites. */
function addTrustsAndSites(g: Generation, spec: TrackedSpec): void {
  for (const t of spec.trusts ?? []) {
    if (!g.free(t.code)) continue;
    g.add(
      buildTrust({
        code: t.code,
        name: t.name ?? `SIMULATED ${t.code} NHS FOUNDATION TRUST`,
        lastChangeDate: g.trackedDate(),
        start: "2001-04-01",
        foundationTrust: g.rng() < 0.6,
        icb: t.icb,
        icbUniqueRoleId: t.icb ? g.roleIdOf.get(t.icb) : undefined,
        historicRe5: [{
          target: "Q79",
          targetRole: "RO210",
          start: "2019-04-01",
          end: "2022-06-30",
        }],
        address: g.address(),
        contacts: [{ type: "tel", value: `0${g.int(1000, 1999)} ${g.int(100000, 999999)}` }],
        ids: g.ids,
      }),
      g.out.trusts,
      true,
    );
  }
  for (const s of spec.sites ?? []) {
    if (!g.free(s.code)) continue;
    g.add(
      buildSite({
        code: s.code,
        name: s.name ?? `SIMULATED ${s.code} HOSPITAL`,
        lastChangeDate: g.trackedDate(),
        start: "2001-04-01",
        trust: s.trust,
        trustUniqueRoleId: g.roleIdOf.get(s.trust),
        address: g.address(),
        ids: g.ids,
      }),
      g.out.sites,
      true,
    );
  }
}

/** Welsh local health boards and their sites. */
function addWales(g: Generation, spec: TrackedSpec, options: NationalOptions): void {
  for (const l of spec.lhbs ?? []) {
    if (!g.free(l.code)) continue;
    g.add(
      buildLhb({
        code: l.code,
        name: l.name ?? `SIMULATED ${l.code} UNIVERSITY LHB`,
        lastChangeDate: g.trackedDate(),
        start: "2009-10-01",
        role: options.lhbRole,
        address: { ...g.address(), Country: "WALES" },
        ids: g.ids,
      }),
      g.out.lhbs,
      true,
    );
  }
  for (const w of spec.welshSites ?? []) {
    if (!g.free(w.code)) continue;
    g.add(
      buildWelshSite({
        code: w.code,
        name: w.name ?? `YSBYTY ${w.code}`,
        lastChangeDate: g.trackedDate(),
        start: "2009-10-01",
        lhb: w.lhb,
        lhbRole: options.lhbRole,
        lhbUniqueRoleId: g.roleIdOf.get(w.lhb),
        siteRole: options.welshSiteRole,
        address: { ...g.address(), Country: "WALES" },
        ids: g.ids,
      }),
      g.out.welshSites,
      true,
    );
  }
}

/** Counters of the untracked codes handed out so far, by kind. */
interface CodeCounters {
  gp: number;
  pharmacy: number;
  other: number;
}

/** What every untracked record of one draw shares. */
interface UntrackedDraw {
  lastChangeDate: string;
  end: string | undefined;
}

function gpPractice(
  g: Generation,
  c: CodeCounters,
  d: UntrackedDraw,
  gpRole: boolean,
): OrdOrganisation {
  let code: string;
  do code = `${LETTERS[Math.floor(c.gp / 90000) % LETTERS.length]}${
    10000 + (c.gp++ % 90000)
  }`; while (!g.free(code));
  return buildGpPractice({
    code,
    name: gpRole ? `SIMULATED ${code} SURGERY` : `SIMULATED ${code} PRESCRIBING COST CENTRE`,
    gpRole,
    lastChangeDate: d.lastChangeDate,
    start: "1974-04-01",
    end: d.end,
    commissioner: `${g.int(1, 99).toString().padStart(2, "0")}${g.pick(LETTERS)}`,
    pcn: `U${g.int(10000, 99999)}`,
    address: g.address(),
    contacts: [{ type: "tel", value: `0${g.int(1000, 1999)} ${g.int(100000, 999999)}` }],
    ids: g.ids,
  });
}

function pharmacy(
  g: Generation,
  c: CodeCounters,
  d: UntrackedDraw,
  icbs: string[],
): OrdOrganisation {
  let code: string;
  do {
    const ph = c.pharmacy;
    code = `F${ALNUM[Math.floor(ph / 1296) % ALNUM.length]}${ALNUM[Math.floor(ph / 36) % 36]}${
      ALNUM[ph % 36]
    }`;
    c.pharmacy++;
  } while (!g.free(code));
  return simulatedOrdRecord({
    code,
    name: `SIMULATED ${code} PHARMACY`,
    primaryRole: "RO182",
    start: "2005-01-01",
    end: d.end,
    lastChangeDate: d.lastChangeDate,
    address: g.address(),
    rels: [{ id: "RE4", target: g.pick(icbs), targetRole: "RO261", start: "2022-07-01" }],
    ids: g.ids,
  });
}

function clinic(g: Generation, c: CodeCounters, d: UntrackedDraw): OrdOrganisation {
  let code: string;
  do code = `N${LETTERS[Math.floor(c.other / 1000) % LETTERS.length]}${c.other++ % 1000}`.padEnd(
    5,
    "0",
  ); while (!g.free(code));
  return simulatedOrdRecord({
    code,
    name: `SIMULATED ${code} INDEPENDENT CLINIC`,
    primaryRole: "RO176",
    start: "2012-04-01",
    end: d.end,
    lastChangeDate: d.lastChangeDate,
    address: g.address(),
    ids: g.ids,
  });
}

/**
 * `n` untracked records: 60% GP practices (or, with `gpRole` false, other prescribing cost
 * centres), 25% pharmacies, 15% independent clinics.
 */
function addUntracked(g: Generation, n: number, recentShare: number, gpRole: boolean): void {
  const icbs = g.out.icbs.length > 0 ? g.out.icbs : ["QKS"];
  const counters: CodeCounters = { gp: 0, pharmacy: 0, other: 0 };
  for (let i = 0; i < n; i++) {
    const lastChangeDate = g.rng() < recentShare
      ? addDays(g.today, -g.int(0, 184))
      : addDays(g.today, -g.int(186, 3000));
    const closed = g.rng() < 0.1;
    const draw = {
      lastChangeDate,
      end: closed ? addDays(lastChangeDate, -g.int(0, 30)) : undefined,
    };
    const kind = g.rng();
    const org = kind < 0.6
      ? gpPractice(g, counters, draw, gpRole)
      : kind < 0.85
      ? pharmacy(g, counters, draw, icbs)
      : clinic(g, counters, draw);
    g.add(org, null, false);
  }
}

/**
 * Generates a national dataset; deterministic for a given seed and options.
 *
 * @example
 * ```ts
 * import { generateNational } from "./national.ts";
 * import { deepEqual, equal } from "node:assert/strict";
 * const a = generateNational({ today: "2025-06-10", seed: 5, untracked: 50 });
 * equal(a.untracked.length, 50);
 * equal(a.icbs.length, 42);
 * deepEqual(generateNational({ today: "2025-06-10", seed: 5, untracked: 50 }).records, a.records);
 * ```
 */
export function generateNational(options: NationalOptions): NationalDataset {
  const g = generation(options);
  const spec = options.tracked ?? defaultTrackedSpec();
  addRegionsAndIcbs(g, spec);
  addTrustsAndSites(g, spec);
  addWales(g, spec, options);
  const gp = typeof options.gpPractices === "number"
    ? { count: options.gpPractices }
    : options.gpPractices;
  const withGp = gp !== undefined && gp.count > 0;
  addUntracked(
    g,
    options.untracked ?? 30_000,
    options.recentShare ?? 0.05,
    options.untrackedGpPractices ?? !withGp,
  );
  if (withGp) addGpSet(g, gp, options);
  return g.out;
}

/** The GP practice set, from its own seeded generator (independent of the other counts). */
function addGpSet(g: Generation, gp: GpSetOptions, options: NationalOptions): void {
  const generated = boundariesOf(g.out.records);
  const mapping = mapGeography(
    [...(options.existingIcbs ?? []), ...generated.icbs],
    [...(options.existingBoards ?? []), ...generated.boards],
  );
  const set = generateGpSet(
    {
      rng: mulberry32(((options.seed ?? 1) ^ 0x4750_0000) >>> 0),
      ids: g.ids,
      today: g.today,
      free: g.free,
      add: (org, list) => g.add(org, list, true),
      lhbRole: options.lhbRole,
    },
    gp,
    mapping,
  );
  Object.assign(g.out, set, { geography: mapping });
}
