/**
 * In-memory ODS dataset for the simulator.
 *
 * Records are held in exactly the ORD 2-0-0 JSON shape (the object inside `{"Organisation":…}`),
 * keyed by upper-case ODS code.  There are two layers:
 *
 * - the **published** state, which is all the HTTP routes ever serve;
 * - **pending** changes: every mutation is stored as a snapshot dated with the day it happened and
 *   becomes visible at the first publication dated after that day (see {@link OdsDataset.publish}).
 *
 * At each publication the "future date checker" stamps records whose org/role/rel Start or End
 * date has just been reached: their Status flips and LastChangeDate becomes the publication date.
 *
 * @module
 */

import { addDays, daysBetween } from "./clock.ts";

/** OID of ODS organisation codes, as in every real `OrgId.root`. */
export const ORD_ROOT = "2.16.840.1.113883.2.1.3.2.4.18.48";

/** `Active` / `Inactive`. */
export type OrdStatus = "Active" | "Inactive";

/** An ORD `Date` element. `End` is omitted while open. */
export interface OrdDate {
  Type: "Operational" | "Legal";
  Start: string;
  End?: string;
}

/** An ORD `OrgId` object. */
export interface OrdOrgId {
  root: string;
  assigningAuthorityName: string;
  extension: string;
}

/** An ORD role. `primaryRole` is only present (as `true`) on the primary role. */
export interface OrdRole {
  id: string;
  uniqueRoleId: number;
  primaryRole?: true;
  Date: OrdDate[];
  Status: OrdStatus;
}

/** Target of a relationship or succession. */
export interface OrdTarget {
  OrgId: OrdOrgId;
  PrimaryRoleId: { id: string; uniqueRoleId: number };
}

/** An ORD relationship (stored on the source/child record, pointing at the target/parent). */
export interface OrdRel {
  Date: OrdDate[];
  Status: OrdStatus;
  Target: OrdTarget;
  id: string;
  uniqueRelId: number;
}

/** An ORD succession, typed from the viewpoint of the record that holds it. */
export interface OrdSucc {
  uniqueSuccId: number;
  Date: OrdDate[];
  Type: "Predecessor" | "Successor";
  Target: OrdTarget;
  forwardSuccession?: true;
}

/** `GeoLoc.Location`; every field may be missing. UPRN is a JSON number. */
export interface OrdLocation {
  AddrLn1?: string;
  AddrLn2?: string;
  AddrLn3?: string;
  Town?: string;
  County?: string;
  PostCode?: string;
  Country?: string;
  UPRN?: number;
}

/** A `Contacts.Contact[]` item, e.g. `{type:"tel", value:"01707 253800"}`. */
export interface OrdContact {
  type: string;
  value: string;
}

/** The inner object of a full ORD record. */
export interface OrdOrganisation {
  Name: string;
  Date: OrdDate[];
  OrgId: OrdOrgId;
  Status: OrdStatus;
  LastChangeDate: string;
  orgRecordClass: "RC1" | "RC2";
  refOnly?: true;
  GeoLoc?: { Location: OrdLocation };
  Contacts?: { Contact: OrdContact[] };
  Roles: { Role: OrdRole[] };
  Rels?: { Rel: OrdRel[] };
  Succs?: { Succ: OrdSucc[] };
}

/** A full ORD record as served by `/organisations/{code}`. */
export interface OrdRecord {
  Organisation: OrdOrganisation;
}

/** Role reference data: display name and whether it is a primary role. */
export interface RoleInfo {
  displayName: string;
  primary: boolean;
}

/** Role reference data served by `/roles` (a realistic subset of the real table). */
export const ROLES: Readonly<Record<string, RoleInfo>> = {
  RO57: { displayName: "FOUNDATION TRUST", primary: false },
  RO76: { displayName: "GP PRACTICE", primary: false },
  RO98: { displayName: "CLINICAL COMMISSIONING GROUP", primary: true },
  RO132: { displayName: "HEALTH AUTHORITY (HA)", primary: true },
  RO142: { displayName: "LOCAL HEALTH BOARD", primary: true },
  RO144: { displayName: "WELSH LOCAL HEALTH BOARD", primary: true },
  RO148: { displayName: "LOCAL HEALTH BOARD SITE", primary: true },
  RO149: { displayName: "WELSH LOCAL HEALTH BOARD SITE", primary: true },
  RO172: { displayName: "INDEPENDENT SECTOR HEALTHCARE PROVIDER", primary: true },
  RO176: { displayName: "INDEPENDENT SECTOR H/C PROVIDER SITE", primary: true },
  RO177: { displayName: "PRESCRIBING COST CENTRE", primary: true },
  RO181: { displayName: "PHARMACY HEADQUARTER", primary: true },
  RO182: { displayName: "PHARMACY", primary: true },
  RO197: { displayName: "NHS TRUST", primary: true },
  RO198: { displayName: "NHS TRUST SITE", primary: true },
  RO209: { displayName: "NHS ENGLAND (REGION)", primary: true },
  RO210: { displayName: "NHS ENGLAND (REGION, LOCAL OFFICE)", primary: true },
  RO212: { displayName: "NHS ENGLAND (REGION, LOCAL OFFICE) SITE", primary: true },
  RO261: { displayName: "STRATEGIC PARTNERSHIP", primary: true },
  RO262: { displayName: "SUSTAINABILITY TRANSFORMATION PARTNERSHIP", primary: false },
  RO272: { displayName: "PRIMARY CARE NETWORK", primary: true },
  RO318: { displayName: "INTEGRATED CARE BOARD", primary: false },
  RO319: { displayName: "SUB ICB LOCATION", primary: false },
};

/** Relationship reference data served by `/rels`. */
export const RELATIONSHIPS: Readonly<Record<string, string>> = {
  RE1: "HAS A LEGACY RELATIONSHIP TO",
  RE2: "IS A SUB-DIVISION OF",
  RE3: "IS DIRECTED BY",
  RE4: "IS COMMISSIONED BY",
  RE5: "IS LOCATED IN THE GEOGRAPHY OF",
  RE6: "IS OPERATED BY",
  RE8: "IS PARTNER TO",
  RE9: "IS NOMINATED PAYEE FOR",
  RE10: "IS COVID NOMINATED PAYEE FOR",
  RE11: "IS CONSTITUENT OF",
};

/** Record class reference data served by `/recordclasses`. */
export const RECORD_CLASSES: Readonly<Record<string, string>> = {
  RC1: "HSCOrg",
  RC2: "HSCSite",
};

/** Roles whose records are sites (record class RC2). */
const SITE_ROLES = new Set(["RO198", "RO149", "RO148", "RO176", "RO212"]);

/** Allocates unique role/rel/succ ids. */
export class IdAllocator {
  #next: number;
  /** Starts allocating at `start` (default 1,000,000 — above every real id in the samples). */
  constructor(start = 1_000_000) {
    this.#next = start;
  }
  /** The next unused id. */
  next(): number {
    return this.#next++;
  }
}

const defaultIds = new IdAllocator();

/** 32-bit FNV-1a hash; used for stable pseudo ids of targets not held in the dataset. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A small seeded PRNG (mulberry32) returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stable pseudo `uniqueRoleId` for the primary role of a code we know nothing else about. */
export function pseudoRoleId(code: string, role: string): number {
  return 500_000 + (fnv1a(`${code}|${role}`) % 400_000);
}

/** Builds an `OrgId` object. */
export function orgId(code: string, assigningAuthorityName = "HSCIC"): OrdOrgId {
  return { root: ORD_ROOT, assigningAuthorityName, extension: code.toUpperCase() };
}

/** Builds a `Date` array: Operational (and optionally Legal). */
export function dates(
  start: string,
  end?: string,
  legal?: { start: string; end?: string },
): OrdDate[] {
  const op: OrdDate = { Type: "Operational", Start: start };
  if (end) op.End = end;
  const out = [op];
  if (legal) {
    const l: OrdDate = { Type: "Legal", Start: legal.start };
    if (legal.end) l.End = legal.end;
    out.push(l);
  }
  return out;
}

/** The dates that drive an element's status: Operational if present, else Legal. */
export function effectiveDate(ds: readonly OrdDate[]): OrdDate | undefined {
  return ds.find((d) => d.Type === "Operational") ?? ds.find((d) => d.Type === "Legal");
}

/**
 * Status of a dated element on `day`.  With `endInclusive` false (the default, as the simulator
 * spec says "End date equals the publish date flips Status") an element is Inactive from its End
 * date; with true it is still Active on its End date and Inactive from the day after.
 */
export function statusOn(ds: readonly OrdDate[], day: string, endInclusive = false): OrdStatus {
  const d = effectiveDate(ds);
  if (!d) return "Active";
  if (d.Start > day) return "Inactive";
  if (d.End !== undefined && (endInclusive ? d.End < day : d.End <= day)) return "Inactive";
  return "Active";
}

/** Relationship spec for {@link buildOrganisation}. */
export interface RelSpec {
  /** Relationship type, e.g. `RE6`. */
  id: string;
  /** Target ODS code. */
  target: string;
  /** Target's primary role id, e.g. `RO197`. */
  targetRole: string;
  /** Target's primary role uniqueRoleId (default: stable pseudo id). */
  targetUniqueRoleId?: number;
  start: string;
  end?: string;
  legal?: { start: string; end?: string };
  status?: OrdStatus;
  uniqueRelId?: number;
}

/** Succession spec for {@link buildOrganisation}. */
export interface SuccSpec {
  type: "Predecessor" | "Successor";
  target: string;
  targetRole: string;
  targetUniqueRoleId?: number;
  /** Legal start date of the succession. */
  start: string;
  forwardSuccession?: boolean;
  uniqueSuccId?: number;
}

/** Role spec (non-primary roles, or a fully specified primary role). */
export interface RoleSpec {
  id: string;
  start?: string;
  end?: string;
  legal?: { start: string; end?: string };
  status?: OrdStatus;
  uniqueRoleId?: number;
}

/** Everything needed to build a record in the real ORD shape. */
export interface OrgSpec {
  code: string;
  name: string;
  /** Primary role id, e.g. `RO197`. */
  primaryRole: string;
  primaryRoleUniqueId?: number;
  nonPrimaryRoles?: (string | RoleSpec)[];
  /** Default: RC2 for site roles, else RC1. */
  recordClass?: "RC1" | "RC2";
  /** Operational start. */
  start: string;
  /** Operational end (also applied to the primary role). */
  end?: string;
  legal?: { start: string; end?: string };
  /** Default: computed from the dates on `asOf` (or Active). */
  status?: OrdStatus;
  lastChangeDate: string;
  /** Day used to compute statuses of dated elements; default `lastChangeDate`. */
  asOf?: string;
  address?: OrdLocation;
  contacts?: OrdContact[];
  rels?: RelSpec[];
  succs?: SuccSpec[];
  refOnly?: boolean;
  assigningAuthorityName?: string;
  ids?: IdAllocator;
}

function target(code: string, role: string, uniqueRoleId?: number): OrdTarget {
  return {
    OrgId: orgId(code),
    PrimaryRoleId: { id: role, uniqueRoleId: uniqueRoleId ?? pseudoRoleId(code, role) },
  };
}

/** Builds one relationship in the real shape (key order as served by ORD). */
export function buildRel(spec: RelSpec, asOf: string, ids: IdAllocator = defaultIds): OrdRel {
  const ds = dates(spec.start, spec.end, spec.legal);
  return {
    Date: ds,
    Status: spec.status ?? statusOn(ds, asOf),
    Target: target(spec.target, spec.targetRole, spec.targetUniqueRoleId),
    id: spec.id,
    uniqueRelId: spec.uniqueRelId ?? ids.next(),
  };
}

/** Builds one succession in the real shape. */
export function buildSucc(spec: SuccSpec, ids: IdAllocator = defaultIds): OrdSucc {
  const s: OrdSucc = {
    uniqueSuccId: spec.uniqueSuccId ?? ids.next(),
    Date: [{ Type: "Legal", Start: spec.start }],
    Type: spec.type,
    Target: target(spec.target, spec.targetRole, spec.targetUniqueRoleId),
  };
  if (spec.forwardSuccession) s.forwardSuccession = true;
  return s;
}

/** Builds a full record (inner `Organisation` object) in the exact ORD key order. */
export function buildOrganisation(spec: OrgSpec): OrdOrganisation {
  const ids = spec.ids ?? defaultIds;
  const asOf = spec.asOf ?? spec.lastChangeDate;
  const orgDates = dates(spec.start, spec.end, spec.legal);
  const roles: OrdRole[] = [];
  roles.push({
    id: spec.primaryRole,
    uniqueRoleId: spec.primaryRoleUniqueId ?? ids.next(),
    primaryRole: true,
    Date: dates(spec.start, spec.end),
    Status: statusOn(orgDates, asOf),
  });
  for (const r of spec.nonPrimaryRoles ?? []) {
    const rs: RoleSpec = typeof r === "string" ? { id: r } : r;
    const ds = dates(rs.start ?? spec.start, rs.end ?? spec.end, rs.legal);
    roles.push({
      id: rs.id,
      uniqueRoleId: rs.uniqueRoleId ?? ids.next(),
      Date: ds,
      Status: rs.status ?? statusOn(ds, asOf),
    });
  }
  const contacts = spec.contacts ?? [];
  const rels = spec.rels ?? [];
  const succs = spec.succs ?? [];
  const org: OrdOrganisation = {
    Name: spec.name,
    Date: orgDates,
    OrgId: orgId(spec.code, spec.assigningAuthorityName),
    Status: spec.status ?? statusOn(orgDates, asOf),
    LastChangeDate: spec.lastChangeDate,
    orgRecordClass: spec.recordClass ?? (SITE_ROLES.has(spec.primaryRole) ? "RC2" : "RC1"),
    ...(spec.refOnly ? { refOnly: true as const } : {}),
    ...(spec.address ? { GeoLoc: { Location: { ...spec.address } } } : {}),
    ...(contacts.length > 0 ? { Contacts: { Contact: contacts.map((c) => ({ ...c })) } } : {}),
    Roles: { Role: roles },
    ...(rels.length > 0 ? { Rels: { Rel: rels.map((r) => buildRel(r, asOf, ids)) } } : {}),
    ...(succs.length > 0 ? { Succs: { Succ: succs.map((x) => buildSucc(x, ids)) } } : {}),
  };
  return org;
}

/** The primary role of a record (first role flagged primary, else the first role). */
export function primaryRoleOf(org: OrdOrganisation): OrdRole | undefined {
  const roles = org.Roles?.Role ?? [];
  return roles.find((r) => r.primaryRole === true) ?? roles[0];
}

// ---------------------------------------------------------------------------------------------
// Convenience builders for the record kinds the sync cares about.
// ---------------------------------------------------------------------------------------------

/** Common options for the convenience builders. */
export interface KindOptions {
  code: string;
  name: string;
  lastChangeDate: string;
  start?: string;
  end?: string;
  address?: OrdLocation;
  contacts?: OrdContact[];
  ids?: IdAllocator;
  primaryRoleUniqueId?: number;
  asOf?: string;
}

function base(o: KindOptions, primaryRole: string): OrgSpec {
  return {
    code: o.code,
    name: o.name,
    primaryRole,
    primaryRoleUniqueId: o.primaryRoleUniqueId,
    start: o.start ?? "2000-04-01",
    end: o.end,
    lastChangeDate: o.lastChangeDate,
    asOf: o.asOf,
    address: o.address,
    contacts: o.contacts,
    ids: o.ids,
  };
}

/** An NHS trust site (RO198, RC2) with an active RE6 IS OPERATED BY → trust (RO197). */
export function buildSite(
  o: KindOptions & { trust: string; trustUniqueRoleId?: number; relStart?: string },
): OrdOrganisation {
  return buildOrganisation({
    ...base(o, "RO198"),
    rels: [{
      id: "RE6",
      target: o.trust,
      targetRole: "RO197",
      targetUniqueRoleId: o.trustUniqueRoleId,
      start: o.relStart ?? o.start ?? "2000-04-01",
    }],
  });
}

/**
 * An NHS trust (RO197) with an active RE5 → ICB (RO261) and, optionally, inactive historic RE5
 * relationships (e.g. to NHSE local offices RO210) as on the real RWR record.
 */
export function buildTrust(
  o: KindOptions & {
    icb?: string;
    icbUniqueRoleId?: number;
    icbSince?: string;
    foundationTrust?: boolean;
    historicRe5?: { target: string; targetRole: string; start: string; end: string }[];
    succs?: SuccSpec[];
  },
): OrdOrganisation {
  const rels: RelSpec[] = [];
  if (o.icb) {
    rels.push({
      id: "RE5",
      target: o.icb,
      targetRole: "RO261",
      targetUniqueRoleId: o.icbUniqueRoleId,
      start: o.icbSince ?? "2022-07-01",
    });
  }
  for (const h of o.historicRe5 ?? []) {
    rels.push({
      id: "RE5",
      target: h.target,
      targetRole: h.targetRole,
      start: h.start,
      end: h.end,
    });
  }
  return buildOrganisation({
    ...base(o, "RO197"),
    nonPrimaryRoles: o.foundationTrust ? ["RO57"] : [],
    rels,
    succs: o.succs,
  });
}

/** An ICB: primary RO261 STRATEGIC PARTNERSHIP + non-primary RO318, RE5 → region (RO209). */
export function buildIcb(
  o: KindOptions & { region?: string; regionUniqueRoleId?: number; icbSince?: string },
): OrdOrganisation {
  return buildOrganisation({
    ...base(o, "RO261"),
    nonPrimaryRoles: [{ id: "RO318", start: o.icbSince ?? "2022-07-01" }],
    rels: o.region
      ? [{
        id: "RE5",
        target: o.region,
        targetRole: "RO209",
        targetUniqueRoleId: o.regionUniqueRoleId,
        start: o.icbSince ?? "2022-07-01",
      }]
      : [],
  });
}

/** An NHS England region (RO209). */
export function buildRegion(o: KindOptions): OrdOrganisation {
  return buildOrganisation(base(o, "RO209"));
}

/** A Welsh local health board; role configurable (default RO144). */
export function buildLhb(o: KindOptions & { role?: string }): OrdOrganisation {
  return buildOrganisation({ ...base(o, o.role ?? "RO144"), recordClass: "RC1" });
}

/**
 * A Welsh site with an active RE6 → its LHB.  Site role default RO149 (WELSH LOCAL HEALTH BOARD
 * SITE — an assumption, configurable); the LHB role default RO144.
 */
export function buildWelshSite(
  o: KindOptions & { lhb: string; lhbRole?: string; lhbUniqueRoleId?: number; siteRole?: string },
): OrdOrganisation {
  return buildOrganisation({
    ...base(o, o.siteRole ?? "RO149"),
    recordClass: "RC2",
    rels: [{
      id: "RE6",
      target: o.lhb,
      targetRole: o.lhbRole ?? "RO144",
      targetUniqueRoleId: o.lhbUniqueRoleId,
      start: o.start ?? "2009-10-01",
    }],
  });
}

/** A GP practice: primary RO177 + non-primary RO76, RE4 → sub-ICB (RO98), optional RE8 → PCN. */
export function buildGpPractice(
  o: KindOptions & { commissioner: string; pcn?: string },
): OrdOrganisation {
  const rels: RelSpec[] = [{
    id: "RE4",
    target: o.commissioner,
    targetRole: "RO98",
    start: "2020-04-01",
  }];
  if (o.pcn) rels.push({ id: "RE8", target: o.pcn, targetRole: "RO272", start: "2019-07-01" });
  return buildOrganisation({
    ...base(o, "RO177"),
    nonPrimaryRoles: [{ id: "RO76", start: o.start ?? "1974-04-01" }],
    rels,
  });
}

/**
 * A merger: `from` closed the day before `on` with a Succ Successor → `to`; `to` carries the
 * matching Succ Predecessor.  Returns `[closedRecord, successorRecord]`.
 */
export function buildMergedPair(
  o: {
    from: KindOptions & { icb?: string; icbUniqueRoleId?: number };
    to: KindOptions & { icb?: string; icbUniqueRoleId?: number };
    on: string;
    ids?: IdAllocator;
  },
): [OrdOrganisation, OrdOrganisation] {
  const ids = o.ids ?? defaultIds;
  const fromRole = ids.next();
  const toRole = ids.next();
  const closed = buildTrust({
    ...o.from,
    ids,
    primaryRoleUniqueId: fromRole,
    end: addDays(o.on, -1),
    asOf: o.from.asOf ?? o.on,
    succs: [{
      type: "Successor",
      target: o.to.code,
      targetRole: "RO197",
      targetUniqueRoleId: toRole,
      start: o.on,
    }],
  });
  for (const rel of closed.Rels?.Rel ?? []) {
    rel.Date[0].End ??= addDays(o.on, -1);
    rel.Status = "Inactive";
  }
  const successor = buildTrust({
    ...o.to,
    ids,
    primaryRoleUniqueId: toRole,
    succs: [{
      type: "Predecessor",
      target: o.from.code,
      targetRole: "RO197",
      targetUniqueRoleId: fromRole,
      start: o.on,
    }],
  });
  return [closed, successor];
}

/** A trust that is still Active but carries a future operational End date. */
export function buildTrustWithFutureEnd(
  o: KindOptions & { icb?: string; icbUniqueRoleId?: number; endDate: string },
): OrdOrganisation {
  return buildTrust({ ...o, end: o.endDate });
}

// ---------------------------------------------------------------------------------------------
// The dataset.
// ---------------------------------------------------------------------------------------------

/** A `/notifications` entry (note `OrgID` with a capital D, as served by ORD). */
export interface DeletedOrganisation {
  OrgID: string;
  PrimaryRoleId: string;
  reason: { code: number; description: string };
  time: string;
  type: { code: number; description: string };
}

/** A change waiting for publication. `record === null` means deletion. */
export interface PendingChange {
  code: string;
  /** Day the change happened (it is published at the first publication dated after it). */
  day: string;
  kind: string;
  record: OrdOrganisation | null;
  notice?: DeletedOrganisation;
}

/** One entry of the mutation history. */
export interface ChangeLogEntry {
  code: string;
  kind: string;
  day: string;
  /** Day of the publication that made it visible (absent while pending). */
  publishedOn?: string;
}

/** What a publication did. */
export interface PublishResult {
  day: string;
  /** Codes whose pending changes were applied. */
  applied: string[];
  /** Codes deleted. */
  deleted: string[];
  /** Codes stamped by the future date checker. */
  futureDated: string[];
}

/** Options for {@link OdsDataset}. */
export interface DatasetOptions {
  /** Initial records, published immediately. */
  records?: Iterable<OrdOrganisation | OrdRecord>;
  /** Source of "today" for mutations without an explicit date. */
  today?: () => string;
  /** Day of the publication the initial records represent. Default: today(). */
  lastPublishedDay?: string;
  /** End dates inclusive for the future date checker (see {@link statusOn}). Default false. */
  endInclusive?: boolean;
  ids?: IdAllocator;
}

function unwrap(r: OrdOrganisation | OrdRecord): OrdOrganisation {
  return "Organisation" in r ? r.Organisation : r;
}

/** Deep copy of a record. */
export function cloneRecord(org: OrdOrganisation): OrdOrganisation {
  return cloneJson(org);
}

/** Deep copy of plain JSON data (faster than structuredClone for small records). */
export function cloneJson<T>(value: T): T {
  return cloneAny(value) as T;
}

function cloneAny(v: unknown): unknown {
  if (typeof v !== "object" || v === null) return v;
  if (Array.isArray(v)) return v.map(cloneAny);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = cloneAny(x);
  return out;
}

function codeOf(org: OrdOrganisation): string {
  return org.OrgId.extension.toUpperCase();
}

/**
 * Applies the future date checker for days in `(from, to]` to one record, in place.
 * Elements (org, roles, rels) with a Start or End "trigger day" in that range get their Status
 * recomputed as of `to`; if any triggered, LastChangeDate becomes the latest trigger day.
 * Returns true if the record was stamped.
 */
export function applyElapsedDates(
  org: OrdOrganisation,
  from: string,
  to: string,
  endInclusive = false,
): boolean {
  let latest = "";
  const check = (ds: readonly OrdDate[], setStatus: (s: OrdStatus) => void) => {
    let hit = "";
    for (const d of ds) {
      if (d.Start > from && d.Start <= to && d.Start > hit) hit = d.Start;
      if (d.End !== undefined) {
        const trig = endInclusive ? addDays(d.End, 1) : d.End;
        if (trig > from && trig <= to && trig > hit) hit = trig;
      }
    }
    if (hit) {
      setStatus(statusOn(ds, to, endInclusive));
      if (hit > latest) latest = hit;
    }
  };
  check(org.Date, (s) => (org.Status = s));
  for (const r of org.Roles?.Role ?? []) check(r.Date, (s) => (r.Status = s));
  for (const r of org.Rels?.Rel ?? []) check(r.Date, (s) => (r.Status = s));
  if (!latest) return false;
  if (latest > org.LastChangeDate) org.LastChangeDate = latest;
  return true;
}

/** The in-memory dataset: published state + pending changes + deletion notices. */
export class OdsDataset {
  #published = new Map<string, OrdOrganisation>();
  #prior = new Map<string, OrdOrganisation>();
  #pending: PendingChange[] = [];
  #latestPending = new Map<string, OrdOrganisation | null>();
  #notices: DeletedOrganisation[] = [];
  #sortedCodes: string[] | null = null;
  #version = 0;
  #today: () => string;
  #ids: IdAllocator;
  /** Day of the latest publication. */
  lastPublishedDay: string;
  /** Future date checker end-date rule (see {@link statusOn}). */
  endInclusive: boolean;
  /** Every mutation, oldest first. */
  readonly history: ChangeLogEntry[] = [];

  /** Creates a dataset; initial `records` are published immediately. */
  constructor(options: DatasetOptions = {}) {
    this.#today = options.today ?? (() => new Date().toISOString().slice(0, 10));
    this.#ids = options.ids ?? defaultIds;
    this.endInclusive = options.endInclusive ?? false;
    this.lastPublishedDay = options.lastPublishedDay ?? this.#today();
    if (options.records) this.seed(options.records);
  }

  // ---- published (served) state -----------------------------------------------------------

  /** Number of published records. */
  get size(): number {
    return this.#published.size;
  }

  /** Incremented at every publication or seed; lets callers cache derived views. */
  get version(): number {
    return this.#version;
  }

  /** The published record for `code` (case-insensitive). Do not mutate it. */
  get(code: string): OrdOrganisation | undefined {
    return this.#published.get(code.toUpperCase());
  }

  /** The published version before the latest published change of `code`, if any. */
  getPrior(code: string): OrdOrganisation | undefined {
    return this.#prior.get(code.toUpperCase());
  }

  /** True when `code` is published. */
  has(code: string): boolean {
    return this.#published.has(code.toUpperCase());
  }

  /** Published codes in ascending order (cached per version). */
  codes(): readonly string[] {
    if (!this.#sortedCodes) {
      this.#sortedCodes = [...this.#published.keys()].sort((a, b) => a < b ? -1 : a > b ? 1 : 0);
    }
    return this.#sortedCodes;
  }

  /** Published records in code order. */
  *records(): IterableIterator<OrdOrganisation> {
    for (const c of this.codes()) {
      const r = this.#published.get(c);
      if (r) yield r;
    }
  }

  /** Published deletion notices. */
  notifications(): readonly DeletedOrganisation[] {
    return this.#notices;
  }

  /** Changes not yet published. */
  pending(): readonly PendingChange[] {
    return this.#pending;
  }

  // ---- seeding (bypasses publication) -------------------------------------------------------

  /** Upserts records straight into the published state (test setup). */
  seed(records: Iterable<OrdOrganisation | OrdRecord>): void {
    for (const r of records) {
      const org = unwrap(r);
      this.#published.set(codeOf(org), org);
    }
    this.#touch();
  }

  /** Removes everything (published, pending, notices, history). */
  clear(): void {
    this.#published.clear();
    this.#prior.clear();
    this.#pending = [];
    this.#latestPending.clear();
    this.#notices = [];
    this.history.length = 0;
    this.#touch();
  }

  #touch(): void {
    this.#sortedCodes = null;
    this.#version++;
  }

  // ---- working state and mutations ---------------------------------------------------------

  /** Today's date according to the injected clock. */
  today(): string {
    return this.#today();
  }

  /** The latest state of `code` including pending changes (null if pending deletion). */
  working(code: string): OrdOrganisation | undefined {
    const c = code.toUpperCase();
    const p = this.#latestPending.get(c);
    if (p !== undefined) return p ?? undefined;
    return this.#published.get(c);
  }

  #record(code: string, day: string, kind: string, record: OrdOrganisation | null): void {
    const c = code.toUpperCase();
    this.#pending.push({ code: c, day, kind, record });
    this.#latestPending.set(c, record);
    this.history.push({ code: c, kind, day });
  }

  /**
   * Generic mutation: clones the working record, applies `mutate`, sets LastChangeDate to `on`
   * (default today) and queues it for publication.
   */
  update(
    code: string,
    mutate: (org: OrdOrganisation) => void,
    on: string = this.#today(),
    kind = "update",
  ): OrdOrganisation {
    const current = this.working(code);
    if (!current) throw new Error(`unknown ODS code ${code}`);
    const next = cloneRecord(current);
    mutate(next);
    next.LastChangeDate = on;
    this.#record(code, on, kind, next);
    return next;
  }

  /** Renames an organisation on `on`. */
  rename(code: string, name: string, on?: string): OrdOrganisation {
    return this.update(code, (o) => (o.Name = name), on, "rename");
  }

  #targetOf(code: string, fallbackRole: string): OrdTarget {
    const t = this.working(code);
    const role = t ? primaryRoleOf(t) : undefined;
    const id = role?.id ?? fallbackRole;
    return target(code, id, role?.uniqueRoleId ?? pseudoRoleId(code.toUpperCase(), id));
  }

  #switchRel(
    code: string,
    relType: string,
    newTarget: string,
    fallbackRole: string,
    on: string | undefined,
    effective: string | undefined,
    kind: string,
  ): OrdOrganisation {
    const day = on ?? this.#today();
    const eff = effective ?? day;
    const t = this.#targetOf(newTarget, fallbackRole);
    return this.update(
      code,
      (o) => {
        const rels = o.Rels?.Rel ?? [];
        for (const r of rels) {
          if (r.id !== relType || r.Status !== "Active") continue;
          for (const d of r.Date) if (d.End === undefined) d.End = addDays(eff, -1);
          r.Status = statusOn(r.Date, day, this.endInclusive);
        }
        const ds = dates(eff);
        rels.push({
          Date: ds,
          Status: statusOn(ds, day, this.endInclusive),
          Target: t,
          id: relType,
          uniqueRelId: this.#ids.next(),
        });
        o.Rels = { Rel: rels };
      },
      day,
      kind,
    );
  }

  /**
   * Moves a site to another trust: ends the active RE6 (End = effective − 1 day) and adds a new
   * active RE6 → `newTrust` starting on `effective` (default `on`, default today).
   */
  reparent(
    siteCode: string,
    newTrust: string,
    on?: string,
    opts: { effective?: string } = {},
  ): OrdOrganisation {
    return this.#switchRel(siteCode, "RE6", newTrust, "RO197", on, opts.effective, "reparent");
  }

  /** Moves a trust (or sub-ICB) to another ICB: ends the active RE5 and adds a new one. */
  setIcb(
    trustCode: string,
    icb: string,
    on?: string,
    opts: { effective?: string } = {},
  ): OrdOrganisation {
    return this.#switchRel(trustCode, "RE5", icb, "RO261", on, opts.effective, "setIcb");
  }

  /**
   * Closes an organisation: operational (and legal) End = `endDate` on the org, its open roles
   * and relationships; statuses computed as of `on` (a future `endDate` leaves it Active until
   * the future date checker flips it).  With `successor`, adds Succ Successor here and Succ
   * Predecessor on the successor record (both changed on `on`).
   */
  close(
    code: string,
    endDate: string,
    opts: { successor?: string; on?: string } = {},
  ): OrdOrganisation {
    const day = opts.on ?? this.#today();
    const succTarget = opts.successor ? this.#targetOf(opts.successor, "RO197") : undefined;
    const closed = this.update(
      code,
      (o) => {
        const end = (ds: OrdDate[]) => {
          for (const d of ds) if (d.End === undefined) d.End = endDate;
        };
        end(o.Date);
        o.Status = statusOn(o.Date, day, this.endInclusive);
        for (const r of o.Roles?.Role ?? []) {
          if (r.Status !== "Active") continue;
          end(r.Date);
          r.Status = statusOn(r.Date, day, this.endInclusive);
        }
        for (const r of o.Rels?.Rel ?? []) {
          if (r.Status !== "Active") continue;
          end(r.Date);
          r.Status = statusOn(r.Date, day, this.endInclusive);
        }
        if (succTarget) {
          const succs = o.Succs?.Succ ?? [];
          succs.push({
            uniqueSuccId: this.#ids.next(),
            Date: [{ Type: "Legal", Start: addDays(endDate, 1) }],
            Type: "Successor",
            Target: succTarget,
          });
          o.Succs = { Succ: succs };
        }
      },
      day,
      "close",
    );
    if (opts.successor && this.working(opts.successor)) {
      const predTarget = this.#targetOf(code, "RO197");
      this.update(
        opts.successor,
        (o) => {
          const succs = o.Succs?.Succ ?? [];
          succs.push({
            uniqueSuccId: this.#ids.next(),
            Date: [{ Type: "Legal", Start: addDays(endDate, 1) }],
            Type: "Predecessor",
            Target: predTarget,
          });
          o.Succs = { Succ: succs };
        },
        day,
        "succession",
      );
    }
    return closed;
  }

  /**
   * Adds (or replaces) a record on `on` (default: the record's LastChangeDate is kept and the
   * change is dated with it; pass `on` to stamp both).
   */
  addRecord(record: OrdOrganisation | OrdRecord, on?: string): OrdOrganisation {
    const org = cloneRecord(unwrap(record));
    if (on) org.LastChangeDate = on;
    this.#record(codeOf(org), org.LastChangeDate, "add", org);
    return org;
  }

  /**
   * Deletes a record on `on` (default today): after publication it 404s, vanishes from sync and
   * search and appears in `/notifications` and `List/Organization-deletion`.
   */
  delete(
    code: string,
    on: string = this.#today(),
    reason: { code: number; description: string } = { code: 3, description: "HUMAN ERROR" },
  ): void {
    const current = this.working(code);
    const c = code.toUpperCase();
    this.#record(c, on, "delete", null);
    this.#pending[this.#pending.length - 1].notice = {
      OrgID: c,
      PrimaryRoleId: current ? primaryRoleOf(current)?.id ?? "" : "",
      reason,
      time: `${on} 00:00:00`,
      type: { code: 1, description: "Machine" },
    };
  }

  /** Replaces the address (`GeoLoc.Location`); `null` removes `GeoLoc`. */
  setAddress(code: string, location: OrdLocation | null, on?: string): OrdOrganisation {
    return this.update(
      code,
      (o) => {
        if (location) o.GeoLoc = { Location: { ...location } };
        else delete o.GeoLoc;
      },
      on,
      "setAddress",
    );
  }

  /** Replaces the contacts; an empty list removes `Contacts`. */
  setContacts(code: string, contacts: OrdContact[], on?: string): OrdOrganisation {
    return this.update(
      code,
      (o) => {
        if (contacts.length > 0) o.Contacts = { Contact: contacts.map((c) => ({ ...c })) };
        else delete o.Contacts;
      },
      on,
      "setContacts",
    );
  }

  // ---- publication ---------------------------------------------------------------------------

  /**
   * Publishes as of `day`: applies (in order) every pending change dated before `day`, then runs
   * the future date checker for the days since the previous publication (inclusive of `day`).
   */
  publish(day: string = this.#today()): PublishResult {
    const result: PublishResult = { day, applied: [], deleted: [], futureDated: [] };
    const keep: PendingChange[] = [];
    const appliedSet = new Set<string>();
    for (const p of this.#pending) {
      if (p.day >= day) {
        keep.push(p);
        continue;
      }
      const old = this.#published.get(p.code);
      if (p.record === null) {
        if (old) this.#prior.set(p.code, old);
        this.#published.delete(p.code);
        if (p.notice) this.#notices.push(p.notice);
        result.deleted.push(p.code);
      } else {
        if (old && !appliedSet.has(p.code)) this.#prior.set(p.code, old);
        this.#published.set(p.code, p.record);
        if (!appliedSet.has(p.code)) result.applied.push(p.code);
        appliedSet.add(p.code);
      }
    }
    for (const h of this.history) {
      if (h.publishedOn === undefined && h.day < day) h.publishedOn = day;
    }
    this.#pending = keep;
    this.#latestPending.clear();
    for (const p of keep) this.#latestPending.set(p.code, p.record);
    const from = this.lastPublishedDay < day ? this.lastPublishedDay : addDays(day, -1);
    if (daysBetween(from, day) > 0) {
      for (const [code, org] of this.#published) {
        if (applyElapsedDates(org, from, day, this.endInclusive)) result.futureDated.push(code);
      }
      for (const p of keep) {
        if (p.record) applyElapsedDates(p.record, from, day, this.endInclusive);
      }
    }
    if (day > this.lastPublishedDay) this.lastPublishedDay = day;
    this.#touch();
    return result;
  }
}

// ---------------------------------------------------------------------------------------------
// Fixtures: the three real samples (verbatim) and a small synthetic hierarchy around them.
// ---------------------------------------------------------------------------------------------

const H = "HSCIC";
const oid = (extension: string): OrdOrgId => ({
  root: ORD_ROOT,
  assigningAuthorityName: H,
  extension,
});
const tgt = (code: string, id: string, uniqueRoleId: number): OrdTarget => ({
  OrgId: oid(code),
  PrimaryRoleId: { id, uniqueRoleId },
});
const op = (Start: string, End?: string): OrdDate =>
  End ? { Type: "Operational", Start, End } : { Type: "Operational", Start };
const lg = (Start: string, End?: string): OrdDate =>
  End ? { Type: "Legal", Start, End } : { Type: "Legal", Start };

/** Kent & Canterbury Hospital (RVVKC), verbatim from the live ORD API. */
export function sampleRVVKC(): OrdOrganisation {
  return {
    Name: "KENT & CANTERBURY HOSPITAL",
    Date: [op("1999-04-01")],
    OrgId: oid("RVVKC"),
    Status: "Active",
    LastChangeDate: "2021-07-21",
    orgRecordClass: "RC2",
    GeoLoc: {
      Location: {
        AddrLn1: "ETHELBERT ROAD",
        Town: "CANTERBURY",
        County: "KENT",
        PostCode: "CT1 3NG",
        Country: "ENGLAND",
        UPRN: 100062280103,
      },
    },
    Roles: {
      Role: [{
        id: "RO198",
        uniqueRoleId: 13437,
        primaryRole: true,
        Date: [op("1999-04-01")],
        Status: "Active",
      }],
    },
    Rels: {
      Rel: [{
        Date: [op("1999-04-01")],
        Status: "Active",
        Target: tgt("RVV", "RO197", 41756),
        id: "RE6",
        uniqueRelId: 15806,
      }],
    },
    Succs: {
      Succ: [{
        uniqueSuccId: 28060,
        Date: [lg("1999-04-01")],
        Type: "Predecessor",
        Target: tgt("RGWKC", "RO198", 3501),
      }],
    },
  };
}

/** Hertfordshire Partnership University NHS FT (RWR), verbatim from the live ORD API. */
export function sampleRWR(): OrdOrganisation {
  const rel = (
    ds: OrdDate[],
    status: OrdStatus,
    t: OrdTarget,
    uniqueRelId: number,
  ): OrdRel => ({ Date: ds, Status: status, Target: t, id: "RE5", uniqueRelId });
  return {
    Name: "HERTFORDSHIRE PARTNERSHIP UNIVERSITY NHS FOUNDATION TRUST",
    Date: [op("2001-04-01")],
    OrgId: oid("RWR"),
    Status: "Active",
    LastChangeDate: "2020-04-06",
    orgRecordClass: "RC1",
    GeoLoc: {
      Location: {
        AddrLn1: "THE COLONNADES",
        AddrLn2: "BEACONSFIELD CLOSE",
        Town: "HATFIELD",
        PostCode: "AL10 8YE",
        Country: "ENGLAND",
        UPRN: 10007553984,
      },
    },
    Contacts: {
      Contact: [
        { type: "tel", value: "01707 253800" },
        { type: "http", value: "HTTPS://WWW.HPFT.NHS.UK/" },
      ],
    },
    Roles: {
      Role: [
        {
          id: "RO197",
          uniqueRoleId: 102782,
          primaryRole: true,
          Date: [op("2001-04-01")],
          Status: "Active",
        },
        { id: "RO57", uniqueRoleId: 155264, Date: [op("2007-08-01")], Status: "Active" },
      ],
    },
    Rels: {
      Rel: [
        rel([op("2020-04-01")], "Active", tgt("QM7", "RO261", 300786), 696688),
        rel([op("2019-04-01", "2020-03-31")], "Inactive", tgt("Q79", "RO210", 202023), 568962),
        rel(
          [op("2016-01-29", "2019-03-31"), lg("2015-04-01", "2019-03-31")],
          "Inactive",
          tgt("Q78", "RO210", 202022),
          358954,
        ),
        rel(
          [op("2014-09-01", "2016-01-28"), lg("2013-04-01", "2015-03-31")],
          "Inactive",
          tgt("Q58", "RO210", 163553),
          193512,
        ),
        rel(
          [op("2006-07-01", "2014-08-31"), lg("2006-07-01", "2013-03-31")],
          "Inactive",
          tgt("Q35", "RO132", 137019),
          76203,
        ),
        rel([op("2001-04-01", "2002-03-31")], "Inactive", tgt("QEX", "RO132", 100464), 51797),
        rel([op("2002-04-01", "2006-06-30")], "Inactive", tgt("Q02", "RO132", 21633), 71564),
      ],
    },
    Succs: {
      Succ: [
        {
          uniqueSuccId: 10500,
          Date: [lg("2001-04-01")],
          Type: "Predecessor",
          Target: tgt("RQJ", "RO197", 37508),
        },
        {
          uniqueSuccId: 23860,
          Date: [lg("2001-04-01")],
          Type: "Predecessor",
          Target: tgt("RC8", "RO197", 25581),
        },
      ],
    },
  };
}

/** Wigan and Leigh Health Services NHS Trust (RJY), archived `refOnly`, verbatim. */
export function sampleRJY(): OrdOrganisation {
  return {
    Name: "WIGAN AND LEIGH HEALTH SERVICES NHS TRUST",
    Date: [op("1993-04-01", "2001-03-31")],
    OrgId: oid("RJY"),
    Status: "Inactive",
    LastChangeDate: "2020-03-19",
    orgRecordClass: "RC1",
    refOnly: true,
    GeoLoc: {
      Location: {
        AddrLn1: "ROYAL ALBERT EDWARD INFIRMARY",
        AddrLn2: "WIGAN LANE",
        Town: "WIGAN",
        County: "LANCASHIRE",
        PostCode: "WN1 2NN",
        Country: "ENGLAND",
      },
    },
    Roles: {
      Role: [{
        id: "RO197",
        uniqueRoleId: 37515,
        primaryRole: true,
        Date: [op("1993-04-01", "2001-03-31")],
        Status: "Inactive",
      }],
    },
  };
}

/** Options for {@link defaultFixtures}. */
export interface FixtureOptions {
  /** "Today" used for relative dates (the future End date, recent LastChangeDates). */
  today: string;
  /** Role code of Welsh LHBs (default RO144). */
  lhbRole?: string;
  /** Role code of Welsh LHB sites (default RO149). */
  welshSiteRole?: string;
  ids?: IdAllocator;
}

/**
 * The default small dataset: the three real samples plus a synthetic but realistic hierarchy:
 * trust RVV (RE5 → ICB QKS) operating RVVKC, ICBs QKS/QM7 (RO261 + RO318, RE5 → regions
 * Y59/Y61), regions Y59/Y61 (RO209), Welsh LHB 7A1 and site 7A1A4 (RE6 → 7A1), GP practice
 * G81086 (RO177 + RO76, RE4 → 97R, RE8 → U36842), merged trusts RZA → RZB (Succs) and RZC
 * (Active with an operational End date 7 days after `today`).
 */
export function defaultFixtures(o: FixtureOptions): OrdOrganisation[] {
  const ids = o.ids ?? new IdAllocator(2_000_000);
  const recent = addDays(o.today, -30);
  const out: OrdOrganisation[] = [sampleRVVKC(), sampleRWR(), sampleRJY()];
  out.push(
    buildRegion({
      code: "Y59",
      name: "SOUTH EAST COMMISSIONING REGION",
      lastChangeDate: "2023-04-01",
      start: "2018-04-01",
      primaryRoleUniqueId: 300900,
      address: {
        AddrLn1: "WELLINGTON HOUSE",
        Town: "LONDON",
        PostCode: "SE1 8UG",
        Country: "ENGLAND",
      },
      ids,
    }),
    buildRegion({
      code: "Y61",
      name: "EAST OF ENGLAND COMMISSIONING REGION",
      lastChangeDate: "2023-04-01",
      start: "2018-04-01",
      primaryRoleUniqueId: 300901,
      address: {
        AddrLn1: "2-4 VICTORIA HOUSE",
        Town: "CAMBRIDGE",
        PostCode: "CB21 5XA",
        Country: "ENGLAND",
      },
      ids,
    }),
    buildIcb({
      code: "QKS",
      name: "NHS KENT AND MEDWAY INTEGRATED CARE BOARD",
      lastChangeDate: "2023-07-04",
      start: "2020-04-01",
      primaryRoleUniqueId: 300790,
      region: "Y59",
      regionUniqueRoleId: 300900,
      address: {
        AddrLn1: "KENT HOUSE",
        Town: "MAIDSTONE",
        PostCode: "ME14 1XX",
        Country: "ENGLAND",
      },
      ids,
    }),
    buildIcb({
      code: "QM7",
      name: "NHS HERTFORDSHIRE AND WEST ESSEX INTEGRATED CARE BOARD",
      lastChangeDate: "2023-07-04",
      start: "2020-04-01",
      primaryRoleUniqueId: 300786,
      region: "Y61",
      regionUniqueRoleId: 300901,
      address: { AddrLn1: "THE SUMMIT", Town: "HARLOW", PostCode: "CM20 2FB", Country: "ENGLAND" },
      ids,
    }),
    buildTrust({
      code: "RVV",
      name: "EAST KENT HOSPITALS UNIVERSITY NHS FOUNDATION TRUST",
      lastChangeDate: "2023-05-18",
      start: "1999-04-01",
      primaryRoleUniqueId: 41756,
      foundationTrust: true,
      icb: "QKS",
      icbUniqueRoleId: 300790,
      historicRe5: [{ target: "Q67", targetRole: "RO210", start: "2016-04-01", end: "2020-03-31" }],
      address: {
        AddrLn1: "KENT & CANTERBURY HOSPITAL",
        AddrLn2: "ETHELBERT ROAD",
        Town: "CANTERBURY",
        County: "KENT",
        PostCode: "CT1 3NG",
        Country: "ENGLAND",
      },
      contacts: [{ type: "tel", value: "01227 766877" }],
      ids,
    }),
    buildLhb({
      code: "7A1",
      name: "BETSI CADWALADR UNIVERSITY LHB",
      lastChangeDate: "2022-10-10",
      start: "2009-10-01",
      role: o.lhbRole,
      primaryRoleUniqueId: 300950,
      address: {
        AddrLn1: "YSBYTY GWYNEDD",
        Town: "BANGOR",
        PostCode: "LL57 2PW",
        Country: "WALES",
      },
      ids,
    }),
    buildWelshSite({
      code: "7A1A4",
      name: "YSBYTY GWYNEDD",
      lastChangeDate: "2022-10-10",
      start: "2009-10-01",
      lhb: "7A1",
      lhbRole: o.lhbRole,
      lhbUniqueRoleId: 300950,
      siteRole: o.welshSiteRole,
      address: {
        AddrLn1: "PENRHOSGARNEDD",
        Town: "BANGOR",
        PostCode: "LL57 2PW",
        Country: "WALES",
      },
      ids,
    }),
    buildGpPractice({
      code: "G81086",
      name: "BIRD-IN-EYE SURGERY",
      lastChangeDate: "2023-08-22",
      start: "1974-04-01",
      commissioner: "97R",
      pcn: "U36842",
      address: {
        AddrLn1: "UCKFIELD COMMUNITY HOSPITAL",
        AddrLn2: "FRAMFIELD ROAD",
        Town: "UCKFIELD",
        PostCode: "TN22 5AW",
        Country: "ENGLAND",
      },
      ids,
    }),
  );
  const [closed, successor] = buildMergedPair({
    from: {
      code: "RZA",
      name: "SIMULATED WEST NHS TRUST",
      lastChangeDate: recent,
      start: "2001-04-01",
      icb: "QKS",
      icbUniqueRoleId: 300790,
      address: {
        AddrLn1: "1 WEST ROAD",
        Town: "ASHFORD",
        PostCode: "TN24 0AA",
        Country: "ENGLAND",
      },
    },
    to: {
      code: "RZB",
      name: "SIMULATED UNITED NHS TRUST",
      lastChangeDate: recent,
      start: "2001-04-01",
      icb: "QKS",
      icbUniqueRoleId: 300790,
      address: {
        AddrLn1: "1 EAST ROAD",
        Town: "ASHFORD",
        PostCode: "TN24 0AB",
        Country: "ENGLAND",
      },
    },
    on: addDays(o.today, -45),
    ids,
  });
  const closing = buildTrustWithFutureEnd({
    code: "RZC",
    name: "SIMULATED CLOSING NHS TRUST",
    lastChangeDate: recent,
    start: "2005-04-01",
    endDate: addDays(o.today, 7),
    icb: "QM7",
    icbUniqueRoleId: 300786,
    address: { AddrLn1: "1 NORTH ROAD", Town: "HARLOW", PostCode: "CM20 1AA", Country: "ENGLAND" },
    ids,
  });
  out.push(
    closed,
    successor,
    closing,
    buildSite({
      code: "RZC01",
      name: "SIMULATED CLOSING HOSPITAL",
      lastChangeDate: recent,
      start: "2005-04-01",
      trust: "RZC",
      trustUniqueRoleId: primaryRoleOf(closing)?.uniqueRoleId,
      address: {
        AddrLn1: "1 NORTH ROAD",
        Town: "HARLOW",
        PostCode: "CM20 1AA",
        Country: "ENGLAND",
      },
      ids,
    }),
  );
  return out;
}
