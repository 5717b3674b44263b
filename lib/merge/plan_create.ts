/**
 * Planning `--create` of one organisation: the site from ODS, its parent trust or local health
 * board (created with the trust's ICB and region when they are new), and its memberships (chosen
 * in `memberships.ts`).
 *
 * {@linkcode planCreate} is a short sequence of pure steps over a {@linkcode Reader}; each step
 * either adds to the plan's draft or halts with what to read first, or why it fails.
 *
 * @module
 */
import { type SiteMemberships, withMemberships } from "../memberships.ts";
import type { IntegratedCareBoard, Organisation, SeedMemberships, Trust } from "../model.ts";
import {
  kindOfRecord,
  type OdsKind,
  parentBoardOf,
  type ParentLookup,
  parentTrustOf,
  toIntegratedCareBoard,
  toLocalHealthBoard,
  toOrganisation,
  toRegion,
  toTrust,
} from "../ods/entities.ts";
import type { OdsRecord } from "../ods/record.ts";
import {
  checkMembershipsStored,
  chooseNetwork,
  choosePdu,
  noteMembership,
  type Places,
  readPredecessors,
} from "./memberships.ts";
import {
  type CreatePlan,
  fail,
  type Guard,
  type Halt,
  type Known,
  type MembershipChoice,
  type NewParent,
  odsFailure,
  type Question,
  Reader,
  type Step,
  type Tombstone,
  type TombstoneRead,
} from "./plan.ts";

const ROLE_NAMES: Record<string, string> = {
  RO197: "an NHS trust",
  RO261: "an integrated care board",
  RO209: "an NHS England region",
  RO144: "a Welsh local health board",
  RO142: "a local health board",
  RO177: "a prescribing cost centre (GP practice)",
  RO76: "a GP practice",
  RO98: "a sub-ICB location",
  RO272: "a primary care network",
};

function roleName(role: string): string {
  return ROLE_NAMES[role] ?? `role ${role}`;
}

/**
 * Lookups of parents for {@linkcode toOrganisation}, over records by code.
 *
 * @example
 * ```ts
 * import { lookupOf } from "./plan_create.ts";
 *
 * const lookup = lookupOf(new Map([["RGT", { integrated_care_board_code: "QUE" }]]), new Map());
 * lookup.trust("RGT"); // { integrated_care_board_code: "QUE" }
 * lookup.icb("QUE"); // null
 * ```
 */
export function lookupOf(
  trusts: ReadonlyMap<string, Pick<Trust, "integrated_care_board_code">>,
  icbs: ReadonlyMap<string, Pick<IntegratedCareBoard, "nhs_england_region_code">>,
): ParentLookup {
  return {
    trust: (code) => trusts.get(code) ?? null,
    icb: (code) => icbs.get(code) ?? null,
  };
}

/**
 * The organisation a create writes for `ods`: mapped from ODS with ICB and region derived from
 * its parent trust (via `lookup`), curated fields (coordinates, London borough) restored from a
 * tombstone, and the chosen memberships.
 *
 * @example
 * ```ts
 * import { lookupOf, organisationForCreate } from "./plan_create.ts";
 * import type { OdsRecord } from "../ods/record.ts";
 *
 * const period = { start: "2020-01-01", end: null };
 * const ods: OdsRecord = {
 *   code: "RGT01",
 *   name: "ADDENBROOKE'S HOSPITAL",
 *   active: true,
 *   lastChangeDate: "2025-05-01",
 *   recordClass: "RC2",
 *   refOnly: false,
 *   primaryRole: "RO198",
 *   roles: [{ id: "RO198", primary: true, active: true, operational: period }],
 *   operational: period,
 *   legal: { start: null, end: null },
 *   address: {
 *     line1: null, line2: null, line3: null, town: null, county: null, postcode: null,
 *     country: null, uprn: null,
 *   },
 *   telephone: null,
 *   website: null,
 *   email: null,
 *   relationships: [{
 *     id: "RE6", target: "RGT", targetRole: "RO197", active: true, operational: period,
 *     legal: { start: null, end: null },
 *   }],
 *   successions: [],
 * };
 * const lookup = lookupOf(
 *   new Map([["RGT", { integrated_care_board_code: "QUE" }]]),
 *   new Map([["QUE", { nhs_england_region_code: "Y61" }]]),
 * );
 * const org = organisationForCreate(ods, null, lookup, { pdu: "PZ041", network: "EPEN" });
 * org.integrated_care_board_code; // "QUE"
 * org.paediatric_diabetes_unit_code; // "PZ041"
 * ```
 */
export function organisationForCreate(
  ods: OdsRecord,
  tombstone: Tombstone | null,
  lookup: ParentLookup,
  memberships: SiteMemberships,
): Organisation {
  return withMemberships(toOrganisation(ods, tombstone?.record ?? null, lookup), memberships);
}

/** What a create plan collects on the way: messages, parents to create, records to guard. */
interface Draft {
  notes: string[];
  warnings: string[];
  questions: Question[];
  parents: NewParent[];
  guards: Guard[];
  /** Trusts and ICBs the organisation's ICB and region are derived from. */
  trusts: Map<string, Trust>;
  icbs: Map<string, IntegratedCareBoard>;
}

function emptyDraft(): Draft {
  return {
    notes: [],
    warnings: [],
    questions: [],
    parents: [],
    guards: [],
    trusts: new Map(),
    icbs: new Map(),
  };
}

/** The site to create, once its code, tombstone and ODS record are known. */
interface Site {
  code: string;
  ods: OdsRecord;
  tombstone: TombstoneRead;
}

/** Read the organisation, its tombstone and ODS record; fail unless it is a new site. */
function readSite(code: string, r: Reader): Halt | Site {
  const existing = r.record("organisation", code);
  const tombstone = r.tombstone(code);
  const outcome = r.ods(code);
  if (r.missing) return r.need();
  if (existing) return fail(`${code} already exists (${existing.name}); nothing to create`);
  if (outcome!.status !== "ok") return fail(odsFailure(outcome!));
  const ods = outcome!.record;
  if (kindOfRecord(ods) !== "organisation") {
    return fail(
      `${code} (${ods.name}) is ${roleName(ods.primaryRole)} in ODS, not a hospital site; this ` +
        `command only creates organisations (NHS trust or local health board sites)`,
    );
  }
  return { code, ods, tombstone: tombstone! };
}

/** A closed site is created only if the maintainer says so. */
function checkInactive(site: Site, d: Draft): void {
  if (site.ods.active) return;
  const end = site.ods.operational.end;
  d.warnings.push(`${site.code} is INACTIVE in ODS${end ? ` (closed ${end})` : ""}.`);
  d.questions.push({
    message: `${site.code} is closed in ODS. Create it anyway?`,
    defaultAnswer: false,
  });
}

/** The site's parent: a trust, else a local health board (RE6 in ODS). */
type Parent = { kind: "trust" | "local_health_board"; code: string; label: string };

function parentOf(site: Site): Halt | Parent {
  const trust = parentTrustOf(site.ods);
  if (trust) return { kind: "trust", code: trust, label: `trust ${trust}` };
  const board = parentBoardOf(site.ods);
  if (board) {
    return { kind: "local_health_board", code: board, label: `local health board ${board}` };
  }
  return fail(
    `${site.code} has no active IS OPERATED BY (RE6) relationship to an NHS trust or local ` +
      `health board in ODS, so it has no parent to belong to`,
  );
}

/** A parent record that is not in the store, fetched from ODS (`undefined`: now needed). */
function fetchParent(
  r: Reader,
  d: Draft,
  kind: OdsKind,
  code: string,
  what: string,
): Halt | OdsRecord | undefined {
  const o = r.ods(code);
  if (!o) return undefined;
  if (o.status !== "ok") return fail(`${what} ${code} is not in the store and ${odsFailure(o)}`);
  if (kindOfRecord(o.record) !== kind) {
    return fail(`${what} ${code} is ${roleName(o.record.primaryRole)} in ODS, not ${what}`);
  }
  if (!o.record.active) d.warnings.push(`${what} ${code} (${o.record.name}) is INACTIVE in ODS.`);
  return o.record;
}

/** {@linkcode fetchParent}, with "not known yet" turned into a need. */
function fetchNewParent(
  r: Reader,
  d: Draft,
  kind: OdsKind,
  code: string,
  what: string,
): Halt | OdsRecord {
  return fetchParent(r, d, kind, code, what) ?? r.need();
}

function isHalt(value: object): value is Halt {
  return "status" in value && (value.status === "need" || value.status === "fail");
}

/** A new region: kept if stored (guarded), else fetched and created. */
function placeRegion(code: string, r: Reader, d: Draft): Halt | undefined {
  const stored = r.record("nhs_england_region", code);
  if (stored === undefined) return r.need();
  if (stored) {
    d.guards.push({ kind: "nhs_england_region", code });
    return undefined;
  }
  const got = fetchNewParent(r, d, "nhs_england_region", code, "NHS England region");
  if (isHalt(got)) return got;
  d.parents.push({
    kind: "nhs_england_region",
    code,
    record: toRegion(got, null),
    lastChangeDate: got.lastChangeDate,
  });
  return undefined;
}

/** An ICB not in the store: fetched, its region from ODS or the reference, created. */
function newIcb(
  code: string,
  r: Reader,
  ref: SeedMemberships,
  d: Draft,
): Halt | IntegratedCareBoard {
  const got = fetchNewParent(r, d, "integrated_care_board", code, "ICB");
  if (isHalt(got)) return got;
  let icb = toIntegratedCareBoard(got, null);
  const refRegion = ref.trust_icb.find((row) => row.icb_code === code)?.region_code;
  if (!icb.nhs_england_region_code && refRegion) {
    icb = { ...icb, nhs_england_region_code: refRegion };
    d.notes.push(`Region of new ICB ${code} from the reference data: ${refRegion}.`);
  }
  const region = icb.nhs_england_region_code;
  if (region) {
    const halt = placeRegion(region, r, d);
    if (halt) return halt;
  } else {
    d.warnings.push(`New ICB ${code} has no NHS England region in ODS or the reference.`);
  }
  d.parents.push({
    kind: "integrated_care_board",
    code,
    record: icb,
    lastChangeDate: got.lastChangeDate,
  });
  return icb;
}

/** The ICB of a new trust: kept if stored (guarded), else created. */
function placeIcb(code: string, r: Reader, ref: SeedMemberships, d: Draft): Halt | undefined {
  const stored = r.record("integrated_care_board", code);
  if (stored === undefined) return r.need();
  if (stored) d.guards.push({ kind: "integrated_care_board", code });
  const icb = stored ?? newIcb(code, r, ref, d);
  if (isHalt(icb)) return icb;
  d.icbs.set(code, icb);
  return undefined;
}

/** A trust not in the store: fetched, its ICB from ODS or the reference, created. */
function newTrust(code: string, r: Reader, ref: SeedMemberships, d: Draft): Halt | Trust {
  const got = fetchNewParent(r, d, "trust", code, "trust");
  if (isHalt(got)) return got;
  let trust = toTrust(got, null);
  const refRow = ref.trust_icb.find((row) => row.trust_code === code) ?? null;
  if (!trust.integrated_care_board_code && refRow) {
    trust = { ...trust, integrated_care_board_code: refRow.icb_code };
    d.notes.push(`ICB of new trust ${code} from the reference data: ${refRow.icb_code}.`);
  }
  const icb = trust.integrated_care_board_code;
  if (icb) {
    const halt = placeIcb(icb, r, ref, d);
    if (halt) return halt;
  } else {
    d.warnings.push(`New trust ${code} has no ICB in ODS (RE5) or the reference data.`);
  }
  d.parents.push({ kind: "trust", code, record: trust, lastChangeDate: got.lastChangeDate });
  return trust;
}

/** A trust already in the store: the organisation's region comes from the trust's ICB. */
function storedTrustIcb(trust: Trust, r: Reader, d: Draft): Halt | undefined {
  const icbCode = trust.integrated_care_board_code;
  if (!icbCode) {
    d.warnings.push(`Trust ${trust.ods_code} has no ICB in the store; the organisation gets none.`);
    return undefined;
  }
  const icb = r.record("integrated_care_board", icbCode);
  if (icb === undefined) return r.need();
  if (icb) {
    d.icbs.set(icbCode, icb);
    d.guards.push({ kind: "integrated_care_board", code: icbCode });
  } else {
    d.warnings.push(`ICB ${icbCode} of trust ${trust.ods_code} is not in the store; no region.`);
  }
  return undefined;
}

/** The parent trust: from the store, or fetched from ODS (with its ICB and region) and created. */
function placeTrust(code: string, r: Reader, ref: SeedMemberships, d: Draft): Halt | undefined {
  const stored = r.record("trust", code);
  if (stored === undefined) return r.need();
  if (stored) d.guards.push({ kind: "trust", code });
  const trust = stored ?? newTrust(code, r, ref, d);
  if (isHalt(trust)) return trust;
  d.trusts.set(code, trust);
  return stored ? storedTrustIcb(stored, r, d) : undefined;
}

/** The parent local health board: from the store, or fetched from ODS and created. */
function placeBoard(code: string, r: Reader, d: Draft): Halt | undefined {
  const stored = r.record("local_health_board", code);
  if (stored === undefined) return r.need();
  if (stored) {
    d.guards.push({ kind: "local_health_board", code });
    return undefined;
  }
  const got = fetchNewParent(r, d, "local_health_board", code, "local health board");
  if (isHalt(got)) return got;
  d.parents.push({
    kind: "local_health_board",
    code,
    record: toLocalHealthBoard(got, null),
    lastChangeDate: got.lastChangeDate,
  });
  return undefined;
}

/** The finished plan: the organisation to write, a restore note and the final question. */
function finish(
  site: Site,
  parent: Parent,
  pdu: MembershipChoice,
  network: MembershipChoice,
  d: Draft,
): Step<CreatePlan> {
  const { code, ods, tombstone } = site;
  const organisation = organisationForCreate(ods, tombstone.value, lookupOf(d.trusts, d.icbs), {
    pdu: pdu.code,
    network: network.code,
  });
  if (tombstone.value) {
    d.notes.push(`Restoring ${code}, deleted ${tombstone.value.deleted_at}; its tombstone goes.`);
  }
  const newParents = d.parents.length ? `, with ${d.parents.length} new parent record(s)` : "";
  d.questions.push({
    message: `Create ${code} (${organisation.name}) under ${parent.label}${newParents}?`,
    defaultAnswer: true,
  });
  const { notes, warnings, questions, parents, guards } = d;
  return {
    status: "ready",
    plan: {
      action: "create",
      code,
      ods,
      organisation,
      parents,
      guards,
      pdu,
      network,
      tombstone,
      notes,
      warnings,
      questions,
    },
  };
}

/**
 * Plan `--create` of one organisation.
 *
 * Fails (nothing written) when the code is not in ODS, is not a site, already exists, has no
 * active RE6 parent, a parent that must be created cannot be fetched, or a membership names a
 * PDU or network the store doesn't have.
 *
 * @example
 * ```ts
 * import { planCreate } from "./plan_create.ts";
 * import { emptyKnown } from "./plan.ts";
 *
 * const step = planCreate("RGT01", emptyKnown(), { pdu: [], openuk: [], trust_icb: [] });
 * step.status; // "need": the organisation, its tombstone and its ODS record
 * ```
 */
export function planCreate(code: string, known: Known, ref: SeedMemberships): Step<CreatePlan> {
  const r = new Reader(known);
  const site = readSite(code, r);
  if (isHalt(site)) return site;
  const d = emptyDraft();
  checkInactive(site, d);
  const parent = parentOf(site);
  if (isHalt(parent)) return parent;
  const placed = parent.kind === "trust"
    ? placeTrust(parent.code, r, ref, d)
    : placeBoard(parent.code, r, d);
  if (placed) return placed;

  const predecessors = readPredecessors(code, site.ods, r);
  // A board's code may be a trust's too (7A7): then its network row is the trust's.
  const trustToo = parent.kind === "trust" ? null : r.record("trust", parent.code);
  if (r.missing) return r.need();
  const places: Places = {
    code,
    tombstone: site.tombstone,
    parent,
    parentCodeIsTrust: parent.kind === "trust" || Boolean(trustToo),
    ref,
    predecessorCodes: predecessors.codes,
    predecessors: predecessors.found,
  };
  const pdu = choosePdu(places);
  const network = chooseNetwork(places);
  const missing = checkMembershipsStored(code, pdu, network, r);
  if (missing) return missing;
  noteMembership(code, "pdu", pdu, d);
  noteMembership(code, "network", network, d);
  return finish(site, parent, pdu, network, d);
}
