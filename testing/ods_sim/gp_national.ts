/**
 * The national GP practice set of the generated dataset: sub-ICB locations (RO98 + RO319, RE5 →
 * an ICB of the dataset), primary care networks (RO272, RE4 → their sub-ICB location) and GP
 * practices in England and Wales (RO177 + RO76), deterministic from a seed.
 *
 * Practices are spread over the towns and postcode districts of geography.ts, weighted by the
 * number of districts; several practices may share a postcode (a health centre). Each has an
 * address, a telephone number with the town's dialling code, an operational start (most the
 * 1974-04-01 filler date ODS uses for old practices) and RE4 IS COMMISSIONED BY → its sub-ICB
 * location; a share are closed (Status Inactive, operational End in the past, roles and
 * relationships ended), a few are Active with a future End (the future date checker closes them),
 * and most active English practices have RE8 IS PARTNER TO → a PCN of their location.
 *
 * Welsh practices are commissioned by their local health board: RE4 → the board (its role,
 * RO144 by default). ODS's own relationship for Welsh practices is not known to the simulator;
 * this is an assumption. Welsh practices have no PCN.
 *
 * Codes: English practices opened before 2004 have a letter for their part of England and five
 * digits (`G81086`), later ones a `Y` code (`Y01234`); Welsh practices `W` and five digits.
 *
 * @module
 */

import { allLocations, type GeoArea, type GeoLocation } from "./geography.ts";
import type { IdAllocator } from "./ids.ts";
import { buildGpPractice, buildPcn, buildSubIcb } from "./kinds.ts";
import { closeRecord } from "./mutations.ts";
import type { OrdLocation, OrdOrganisation } from "./ord_types.ts";
import type { GeoMapping } from "./postcodes.ts";
import { primaryRoleOf } from "./record.ts";

/** Options of the generated GP practice set. */
export interface GpSetOptions {
  /** Number of practices, England and Wales, active and closed. */
  count: number;
  /** Share closed: Inactive with an operational End in the past (default 0.35). */
  closedShare?: number;
  /** Share of the others still Active with an operational End in the next 90 days (0.005). */
  closingShare?: number;
  /** Share in Wales (default 0.06). */
  walesShare?: number;
  /** Share of active English practices in a primary care network (default 0.95). */
  pcnShare?: number;
  /** Share whose LastChangeDate is within the last 185 days (default 0.05). */
  recentShare?: number;
  /** Share at a postcode (and address) another practice already has (default 0.12). */
  sharedShare?: number;
  /** Residential postcodes declared around each practice, besides its own (default 1). */
  extraPostcodes?: number;
}

/** What the GP generator needs from the national generation. */
export interface GpContext {
  rng: () => number;
  ids: IdAllocator;
  today: string;
  /** True when `code` isn't used yet. */
  free(code: string): boolean;
  /** Adds a generated record to the dataset (tracked) and to `list`. */
  add(org: OrdOrganisation, list: string[]): void;
  /** Role of Welsh boards (default RO144). */
  lhbRole?: string;
}

/** What the GP generator produced. */
export interface GpSet {
  subIcbs: string[];
  pcns: string[];
  gpPractices: string[];
  /** Every postcode declared (practice addresses and residential postcodes). */
  postcodes: string[];
}

/** One practice before it is built. */
interface PracticeDraw {
  code: string;
  name: string;
  location: GeoLocation;
  area: GeoArea;
  address: OrdLocation;
  phone: string;
  start: string;
  end?: string;
  lastChangeDate: string;
  pcn?: string;
}

const INWARD = "ABDEFGHJLNPQRSTUWXYZ";
const STREETS = [
  "HIGH STREET",
  "STATION ROAD",
  "CHURCH STREET",
  "PARK ROAD",
  "MARKET PLACE",
  "VICTORIA ROAD",
  "LONDON ROAD",
  "MILL LANE",
  "QUEEN STREET",
  "KING STREET",
  "NORTH ROAD",
  "CASTLE STREET",
  "BRIDGE STREET",
  "GREEN LANE",
  "MANOR ROAD",
  "ALBERT ROAD",
  "SCHOOL LANE",
  "CHURCH ROAD",
];
const FEATURES = [
  "PARKSIDE",
  "RIVERSIDE",
  "HILLVIEW",
  "WILLOWS",
  "OAKWOOD",
  "BEECHES",
  "ORCHARD",
  "MEADOWS",
  "ABBEY",
  "PRIORY",
  "VALLEY",
  "BROOKSIDE",
  "ELMS",
  "LIMES",
  "CEDARS",
  "GROVE",
];
const SAINTS = ["ST JOHN'S", "ST MARY'S", "ST GEORGE'S", "ST ANDREW'S", "ST PAUL'S", "ST LUKE'S"];
const SURNAMES = ["SMITH", "JONES", "PATEL", "KHAN", "WILLIAMS", "TAYLOR", "DAVIES", "SHAH"];
const SUFFIXES = [
  "SURGERY",
  "MEDICAL CENTRE",
  "HEALTH CENTRE",
  "MEDICAL PRACTICE",
  "GROUP PRACTICE",
  "FAMILY PRACTICE",
];
const PCN_NAMES = ["CENTRAL", "NORTH", "SOUTH", "EAST", "WEST", "RURAL", "HEALTHCARE", "VALLEY"];
/** English practice code letter by government office region. */
const LETTER_OF_GOR: Record<string, string> = {
  A: "A",
  B: "P",
  D: "B",
  E: "C",
  F: "M",
  G: "D",
  H: "F",
  J: "G",
  K: "L",
  W: "W",
};

const DAY_MS = 86_400_000;

/** Day number of a `YYYY-MM-DD` date (Temporal is too slow for thousands of records). */
function dayNumber(day: string): number {
  return Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) /
    DAY_MS;
}

function addDays(day: string, n: number): string {
  return new Date((dayNumber(day) + n) * DAY_MS).toISOString().slice(0, 10);
}

/** Random helpers over one seeded generator. */
class Draw {
  constructor(readonly rng: () => number) {}
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rng() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rng() * xs.length)];
  }
  letter(s: string): string {
    return s[Math.floor(this.rng() * s.length)];
  }
  chance(p: number): boolean {
    return this.rng() < p;
  }
  /** A day between `from` and `to` inclusive. */
  day(from: string, to: string): string {
    return addDays(from, this.int(0, Math.max(0, dayNumber(to) - dayNumber(from))));
  }
}

/** Postcodes handed out so far, and the practice addresses at each postcode district. */
class PostcodePool {
  used = new Set<string>();
  declared: string[] = [];
  #byOutward = new Map<string, OrdLocation[]>();
  constructor(readonly d: Draw) {}
  /** A postcode in `outward` not handed out before (a repeat once the district is full). */
  fresh(outward: string): string {
    let tries = 0;
    for (;;) {
      const pc = `${outward} ${this.d.int(0, 9)}${this.d.letter(INWARD)}${this.d.letter(INWARD)}`;
      if (this.used.has(pc) && ++tries < 500) continue;
      this.used.add(pc);
      this.declared.push(pc);
      return pc;
    }
  }
  addresses(outward: string): OrdLocation[] {
    return this.#byOutward.get(outward) ?? [];
  }
  remember(outward: string, loc: OrdLocation): void {
    const list = this.#byOutward.get(outward) ?? [];
    list.push(loc);
    this.#byOutward.set(outward, list);
  }
}

/** Practice codes by block: a letter, two digits, then three digits within the block. */
class CodeAllocator {
  #nextBlock = new Map<string, number>();
  #state = new Map<string, { block: string; seq: number }>();
  #y = 0;
  constructor(readonly free: (code: string) => boolean) {}
  #block(letter: string): string {
    const n = this.#nextBlock.get(letter) ?? 0;
    this.#nextBlock.set(letter, n + 1);
    const two = n < 19 ? 81 + n : 10 + ((n - 19) % 71);
    return `${letter}${two}`;
  }
  practice(location: GeoLocation, newer: boolean): string {
    if (newer && location.country === "ENGLAND") {
      for (;;) {
        const code = `Y${String(++this.#y).padStart(5, "0")}`;
        if (this.free(code)) return code;
      }
    }
    const letter = LETTER_OF_GOR[location.gor] ?? "G";
    let s = this.#state.get(location.code);
    for (;;) {
      if (!s || s.seq >= 999) {
        s = { block: this.#block(letter), seq: 0 };
        this.#state.set(location.code, s);
      }
      s.seq++;
      const code = `${s.block}${String(s.seq).padStart(3, "0")}`;
      if (this.free(code)) return code;
    }
  }
}

function phone(d: Draw, std: string): string {
  if (std === "020") return `020 ${d.int(7000, 8999)} ${d.int(1000, 9999)}`;
  if (std.length === 3) return `${std} ${d.int(8000, 9299)} ${d.int(1000, 9999)}`;
  if (std.length === 4) return `${std} ${d.int(200, 999)} ${d.int(1000, 9999)}`;
  return `${std} ${d.int(200000, 899999)}`;
}

function practiceName(d: Draw, area: GeoArea, wales: boolean): string {
  const r = d.rng();
  if (wales && r < 0.2) return `MEDDYGFA ${d.pick(FEATURES)}`;
  if (r < 0.3) return `${d.pick(STREETS)} SURGERY`;
  if (r < 0.5) return `${area.town} ${d.pick(SUFFIXES)}`;
  if (r < 0.65) return `${d.pick(SAINTS)} ${d.pick(SUFFIXES)}`;
  if (r < 0.75) return `DR ${d.letter("ABCDEGHJKMNPRS")} ${d.pick(SURNAMES)}'S PRACTICE`;
  return `THE ${d.pick(FEATURES)} ${d.pick(SUFFIXES)}`;
}

/** An address in `area`: a shared one (a health centre) or a new one with a fresh postcode. */
function practiceAddress(
  d: Draw,
  pool: PostcodePool,
  area: GeoArea,
  location: GeoLocation,
  share: number,
): OrdLocation {
  const outward = d.pick(area.outward);
  const existing = pool.addresses(outward);
  if (existing.length > 0 && d.chance(share)) return { ...d.pick(existing) };
  const loc: OrdLocation = d.chance(0.6)
    ? { AddrLn1: `${d.int(1, 250)} ${d.pick(STREETS)}` }
    : { AddrLn1: `${d.pick(FEATURES)} HEALTH CENTRE`, AddrLn2: d.pick(STREETS) };
  loc.Town = area.town;
  if (area.county) loc.County = area.county;
  loc.PostCode = pool.fresh(outward);
  loc.Country = location.country;
  loc.UPRN = d.int(10_000_000, 100_099_999_999);
  pool.remember(outward, loc);
  return loc;
}

/** The first day of a location's current relationships. */
function locationStart(location: GeoLocation): string {
  if (location.country === "WALES") return "2009-10-01";
  return location.code.length === 5 ? "2021-04-01" : "2013-04-01";
}

function later(a: string, b: string): string {
  return a > b ? a : b;
}

/**
 * Start, End and LastChangeDate of one practice: closed ones close after their commissioner
 * relationship began (`relStart`); active ones last changed after it and after `floor` (the
 * start of the PCN relationships in England).
 */
function practiceDates(
  d: Draw,
  o: GpSetOptions,
  today: string,
  relStart: string,
  floor: string,
): { start: string; end?: string; lastChangeDate: string } {
  const start = d.chance(0.55) ? "1974-04-01" : d.day("1975-01-01", addDays(today, -60));
  const closeFrom = later(addDays(start, 365), addDays(later(start, relStart), 30));
  if (d.chance(o.closedShare ?? 0.35) && closeFrom < today) {
    const end = d.day(closeFrom, addDays(today, -1));
    const lcd = addDays(end, d.int(0, 20));
    return { start, end, lastChangeDate: lcd > today ? today : lcd };
  }
  if (d.chance(o.closingShare ?? 0.005)) {
    return {
      start,
      end: addDays(today, d.int(1, 90)),
      lastChangeDate: addDays(today, -d.int(0, 30)),
    };
  }
  const back = d.chance(o.recentShare ?? 0.05) ? d.int(0, 184) : d.int(186, 3000);
  return { start, lastChangeDate: later(addDays(today, -back), later(start, floor)) };
}

/** Areas with cumulative weights (their number of postcode districts). */
function weighted(
  locations: GeoLocation[],
): { at: number; area: GeoArea; location: GeoLocation }[] {
  let at = 0;
  return locations.flatMap((location) =>
    location.areas.map((area) => {
      at += area.outward.length;
      return { at, area, location };
    })
  );
}

function pickWeighted<T extends { at: number }>(d: Draw, xs: T[]): T {
  const x = d.rng() * xs[xs.length - 1].at;
  let lo = 0, hi = xs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid].at > x) hi = mid;
    else lo = mid + 1;
  }
  return xs[lo];
}

/** Draws `o.count` practices (codes, names, addresses, dates), not yet built. */
function drawPractices(
  d: Draw,
  o: GpSetOptions,
  ctx: GpContext,
  pool: PostcodePool,
): PracticeDraw[] {
  const locations = allLocations();
  const england = weighted(locations.filter((l) => l.country === "ENGLAND"));
  const wales = weighted(locations.filter((l) => l.country === "WALES"));
  const codes = new CodeAllocator((c) => ctx.free(c));
  const out: PracticeDraw[] = [];
  for (let i = 0; i < o.count; i++) {
    const welsh = d.chance(o.walesShare ?? 0.06);
    const { area, location } = pickWeighted(d, welsh ? wales : england);
    const relStart = locationStart(location);
    const floor = welsh ? relStart : later(relStart, "2019-07-01");
    const dates = practiceDates(d, o, ctx.today, relStart, floor);
    const address = practiceAddress(d, pool, area, location, o.sharedShare ?? 0.12);
    for (let k = 0; k < (o.extraPostcodes ?? 1); k++) {
      pool.fresh(address.PostCode!.split(" ")[0]);
    }
    out.push({
      code: codes.practice(location, dates.start >= "2004-04-01"),
      name: practiceName(d, area, welsh),
      location,
      area,
      address,
      phone: phone(d, area.std),
      ...dates,
    });
  }
  return out;
}

/** The sub-ICB location records; returns the primary-role ids of the codes it built. */
function addSubIcbs(
  ctx: GpContext,
  d: Draw,
  mapping: GeoMapping,
  pool: PostcodePool,
  out: GpSet,
): Map<string, number> {
  const roleIds = new Map<string, number>();
  for (const location of allLocations()) {
    if (location.country !== "ENGLAND" || !ctx.free(location.code)) continue;
    const icb = mapping.icbs.get(location.parent);
    const icbName = (icb?.name ?? location.parent).replace(/ INTEGRATED CARE BOARD$/, " ICB");
    const area = location.areas[0];
    const since = later(locationStart(location), "2022-07-01");
    const org = buildSubIcb({
      code: location.code,
      name: `${icbName} - ${location.code}`,
      lastChangeDate: d.day(since, ctx.today),
      start: locationStart(location),
      icb: icb?.code ?? location.parent,
      icbUniqueRoleId: icb?.uniqueRoleId,
      icbSince: since,
      address: {
        AddrLn1: `${d.pick(FEATURES)} HOUSE`,
        Town: area.town,
        ...(area.county ? { County: area.county } : {}),
        PostCode: pool.fresh(d.pick(area.outward)),
        Country: "ENGLAND",
      },
      ids: ctx.ids,
    });
    roleIds.set(location.code, primaryRoleOf(org)!.uniqueRoleId);
    ctx.add(org, out.subIcbs);
  }
  return roleIds;
}

/** Groups the active English practices of each town into PCNs of 4–10 and adds the PCNs. */
function addPcns(
  ctx: GpContext,
  d: Draw,
  o: GpSetOptions,
  draws: PracticeDraw[],
  subIcbRoles: Map<string, number>,
  out: GpSet,
): Map<string, number> {
  const roleIds = new Map<string, number>();
  const byTown = new Map<string, PracticeDraw[]>();
  for (const p of draws) {
    if (p.location.country !== "ENGLAND" || (p.end && p.end <= ctx.today)) continue;
    if (!d.chance(o.pcnShare ?? 0.95)) continue;
    const key = `${p.location.code}|${p.area.town}`;
    byTown.set(key, [...(byTown.get(key) ?? []), p]);
  }
  for (const members of byTown.values()) {
    for (let i = 0, k = 0; i < members.length; k++) {
      const group = members.slice(i, i + d.int(4, 10));
      i += group.length;
      let code: string;
      do code = `U${d.int(10000, 99999)}`; while (!ctx.free(code));
      const first = group[0];
      const since = later(locationStart(first.location), "2019-07-01");
      const suffix = k < PCN_NAMES.length
        ? PCN_NAMES[k]
        : `${PCN_NAMES[k % PCN_NAMES.length]} ${k}`;
      const org = buildPcn({
        code,
        name: `${first.area.town} ${suffix} PCN`,
        lastChangeDate: d.day(since, ctx.today),
        start: "2019-07-01",
        commissioner: first.location.code,
        commissionerUniqueRoleId: subIcbRoles.get(first.location.code),
        commissionerSince: since,
        address: { ...first.address },
        ids: ctx.ids,
      });
      roleIds.set(code, primaryRoleOf(org)!.uniqueRoleId);
      ctx.add(org, out.pcns);
      for (const p of group) p.pcn = code;
    }
  }
  return roleIds;
}

/** Builds one drawn practice (closing it when it has an End). */
function buildPractice(
  ctx: GpContext,
  p: PracticeDraw,
  mapping: GeoMapping,
  roles: { subIcb: Map<string, number>; pcn: Map<string, number> },
): OrdOrganisation {
  const welsh = p.location.country === "WALES";
  const board = welsh ? mapping.boards.get(p.location.code) : undefined;
  const relStart = locationStart(p.location);
  const org = buildGpPractice({
    code: p.code,
    name: p.name,
    lastChangeDate: p.lastChangeDate,
    start: p.start,
    address: p.address,
    contacts: [{ type: "tel", value: p.phone }],
    commissioner: board?.code ?? p.location.code,
    commissionerRole: welsh ? (board?.role ?? ctx.lhbRole ?? "RO144") : "RO98",
    commissionerUniqueRoleId: welsh ? board?.uniqueRoleId : roles.subIcb.get(p.location.code),
    commissionerSince: later(p.start, relStart),
    pcn: p.pcn,
    pcnUniqueRoleId: p.pcn ? roles.pcn.get(p.pcn) : undefined,
    pcnSince: later(p.start, later(relStart, "2019-07-01")),
    ids: ctx.ids,
  });
  if (p.end) closeRecord(org, p.end, { day: p.lastChangeDate, endInclusive: false });
  return org;
}

/**
 * Generates the GP practice set (sub-ICB locations, PCNs, practices) into `ctx`, relating them
 * to the dataset's ICBs and Welsh boards through `mapping`.
 *
 * @example
 * ```ts
 * import { generateGpSet } from "./gp_national.ts";
 * import { IdAllocator } from "./ids.ts";
 * import { mapGeography } from "./postcodes.ts";
 * import { mulberry32 } from "./random.ts";
 * import { ok } from "node:assert/strict";
 * const records: string[] = [];
 * const set = generateGpSet({
 *   rng: mulberry32(1),
 *   ids: new IdAllocator(),
 *   today: "2025-06-10",
 *   free: (c) => !records.includes(c),
 *   add: (org, list) => {
 *     records.push(org.OrgId.extension);
 *     list.push(org.OrgId.extension);
 *   },
 * }, { count: 200 }, mapGeography([{ code: "QKS", region: "Y59" }], [{ code: "7A1" }]));
 * ok(set.gpPractices.length === 200 && set.subIcbs.length > 90 && set.pcns.length > 0);
 * ```
 */
export function generateGpSet(ctx: GpContext, o: GpSetOptions, mapping: GeoMapping): GpSet {
  const d = new Draw(ctx.rng);
  const pool = new PostcodePool(d);
  const out: GpSet = { subIcbs: [], pcns: [], gpPractices: [], postcodes: pool.declared };
  const subIcb = addSubIcbs(ctx, d, mapping, pool, out);
  const draws = drawPractices(d, o, ctx, pool);
  const pcn = addPcns(ctx, d, o, draws, subIcb, out);
  for (const p of draws) ctx.add(buildPractice(ctx, p, mapping, { subIcb, pcn }), out.gpPractices);
  return out;
}
