/**
 * Pure planning for `deno task merge`: from ODS records, store state and the curated membership
 * reference, work out exactly what will be written for one organisation, with the warnings to
 * show and the questions to ask.
 *
 * A planner never does I/O. It reads through {@linkcode Known}; when something it needs is not
 * known yet it returns `{ status: "need", needs }`, the caller fetches those and calls it again
 * (see `gather` in `run.ts`). So every decision is testable without a store or network.
 *
 * @module
 */
import type {
  AnyRecord,
  Entities,
  IntegratedCareBoard,
  Kind,
  Organisation,
  Trust,
} from "../model.ts";
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
import type { FetchOutcome } from "../ods/source.ts";
import type { SeedMemberships } from "../seed.ts";

/** What a delete keeps at `tombstoneKey("organisation", code)`. */
export interface Tombstone {
  /** The organisation as it was when deleted, memberships included. */
  record: Organisation;
  /** ISO instant of the delete. */
  deleted_at: string;
  /** Run id of the merge that deleted it. */
  run_id: string;
}

/** A tombstone as read, with its versionstamp (checked again at commit). */
export interface TombstoneRead {
  value: Tombstone | null;
  versionstamp: string | null;
}

/** The organisation fields that hold memberships, by membership. */
export const MEMBERSHIP_FIELD = {
  pdu: "paediatric_diabetes_unit_code",
  network: "openuk_network_code",
} as const;

/** A membership: PDU or OPEN UK network. */
export type Membership = keyof typeof MEMBERSHIP_FIELD;

/** Organisation fields that have a members count in a delete plan. */
export type SharedField =
  | "paediatric_diabetes_unit_code"
  | "openuk_network_code"
  | "trust_code"
  | "local_health_board_code"
  | "integrated_care_board_code"
  | "nhs_england_region_code"
  | "country_code"
  | "london_borough_code";

/** Something a planner needs to know before it can decide. */
export type Need =
  | { type: "record"; kind: Kind; code: string }
  | { type: "tombstone"; code: string }
  | { type: "ods"; code: string }
  | { type: "members"; field: SharedField; value: string };

/**
 * What has been read so far. Maps are keyed by {@linkcode recordId} (records), code
 * (tombstones, ODS) and {@linkcode membersId} (organisations sharing a value).
 */
export interface Known {
  /** `null` = known not to be in the store. */
  records: Map<string, AnyRecord | null>;
  tombstones: Map<string, TombstoneRead>;
  ods: Map<string, FetchOutcome>;
  /** Codes of the organisations whose field has the value. */
  members: Map<string, string[]>;
}

/** An empty {@linkcode Known}. */
export function emptyKnown(): Known {
  return { records: new Map(), tombstones: new Map(), ods: new Map(), members: new Map() };
}

/** Key of a record in {@linkcode Known.records}. */
export const recordId = (kind: Kind, code: string): string => `${kind}:${code}`;

/** Key of a members list in {@linkcode Known.members}. */
export const membersId = (field: SharedField, value: string): string => `${field}=${value}`;

/** A yes/no question for the maintainer; answering no skips this organisation. */
export interface Question {
  message: string;
  /** The answer a bare Enter gives. */
  defaultAnswer: boolean;
}

/** A planner's answer. */
export type Step<P> =
  | { status: "need"; needs: Need[] }
  | { status: "fail"; reason: string }
  | { status: "noop"; reason: string }
  | { status: "ready"; plan: P };

/** A record the plan creates because the organisation needs it (a new trust, ICB...). */
export interface NewParent {
  kind: OdsKind;
  code: string;
  record: AnyRecord;
  /** ODS `LastChangeDate` of the record, for the change log. */
  lastChangeDate: string;
}

/** Where a membership was found. */
export interface Candidate {
  code: string;
  source: string;
}

/** The membership a created organisation gets, and how it was chosen. */
export interface MembershipChoice {
  /** The chosen code, or `null` (none found). */
  code: string | null;
  /** Where it came from. */
  source: string | null;
  /** Every place looked, in order of preference. */
  lookedIn: string[];
  /** Other candidates found lower down that name a different code. */
  alsoFound: Candidate[];
}

/** Records the commit checks without changing (the parents and memberships the plan relies on). */
export interface Guard {
  kind: Kind;
  code: string;
}

/** Everything `--create` will write for one organisation. */
export interface CreatePlan {
  action: "create";
  code: string;
  /** The site's ODS record. */
  ods: OdsRecord;
  /** The organisation as it will be written (its ICB and region re-derived at commit). */
  organisation: Organisation;
  /** Parents to create first in the same commit: region, ICB, then trust or board. */
  parents: NewParent[];
  /** Records that must still exist, unchanged in meaning, at commit. */
  guards: Guard[];
  pdu: MembershipChoice;
  network: MembershipChoice;
  /** The tombstone of a previous delete of this code (removed by the commit), if any. */
  tombstone: TombstoneRead;
  notes: string[];
  warnings: string[];
  questions: Question[];
}

/** One relationship of an organisation, as shown before a delete. */
export interface Relation {
  label: string;
  field: SharedField;
  code: string | null;
  name: string | null;
  /** Other organisations sharing it (`null` when there is no relation). */
  others: number | null;
}

/** Everything `--delete` will do for one organisation. */
export interface DeletePlan {
  action: "delete";
  code: string;
  organisation: Organisation;
  relations: Relation[];
  /** A tombstone from an earlier delete, replaced by this one. */
  previousTombstone: TombstoneRead;
  notes: string[];
  warnings: string[];
  questions: Question[];
}

/** A membership change asked for with `--link-*` / `--unlink-*`. */
export interface LinkChange {
  membership: Membership;
  from: string | null;
  to: string | null;
}

/** Everything `--link-*` / `--unlink-*` will do for one organisation. */
export interface LinkPlan {
  action: "link";
  code: string;
  organisation: Organisation;
  next: Organisation;
  changes: LinkChange[];
  guards: Guard[];
  notes: string[];
  warnings: string[];
  questions: Question[];
}

/** Any plan. */
export type Plan = CreatePlan | DeletePlan | LinkPlan;

/** Reads from {@linkcode Known}, collecting what is missing. */
class Reader {
  readonly needs: Need[] = [];
  constructor(readonly known: Known) {}

  record<K extends Kind>(kind: K, code: string): Entities[K] | null | undefined {
    const id = recordId(kind, code);
    if (!this.known.records.has(id)) {
      this.needs.push({ type: "record", kind, code });
      return undefined;
    }
    return this.known.records.get(id) as Entities[K] | null;
  }

  tombstone(code: string): TombstoneRead | undefined {
    const t = this.known.tombstones.get(code);
    if (!t) this.needs.push({ type: "tombstone", code });
    return t;
  }

  ods(code: string): FetchOutcome | undefined {
    const o = this.known.ods.get(code);
    if (!o) this.needs.push({ type: "ods", code });
    return o;
  }

  members(field: SharedField, value: string): string[] | undefined {
    const m = this.known.members.get(membersId(field, value));
    if (!m) this.needs.push({ type: "members", field, value });
    return m;
  }

  get missing(): boolean {
    return this.needs.length > 0;
  }

  need<P>(): Step<P> {
    return { status: "need", needs: this.needs.splice(0) };
  }
}

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

/** Why a failed ODS fetch failed, in words. */
export function odsFailure(outcome: FetchOutcome): string {
  switch (outcome.status) {
    case "not_found":
      return `${outcome.code} is not in ODS`;
    case "invalid":
      return `ODS returned an invalid record for ${outcome.code}: ${outcome.reason}`;
    case "error":
      return `could not fetch ${outcome.code} from ODS: ${outcome.reason}`;
    default:
      return `${outcome.code} fetched`;
  }
}

/** Lookups of parents for {@linkcode toOrganisation}, over records by code. */
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
 * The organisation to write for `ods`: mapped from ODS with ICB and region derived from its
 * parent trust (via `lookup`), curated fields (coordinates, London borough) restored from a
 * tombstone, and the chosen memberships.
 */
export function buildOrganisation(
  ods: OdsRecord,
  tombstone: Tombstone | null,
  lookup: ParentLookup,
  memberships: { pdu: string | null; network: string | null },
): Organisation {
  const org = toOrganisation(ods, tombstone?.record ?? null, lookup);
  return {
    ...org,
    paediatric_diabetes_unit_code: memberships.pdu,
    openuk_network_code: memberships.network,
  };
}

function choose(candidates: (Candidate | null)[], lookedIn: string[]): MembershipChoice {
  const found = candidates.filter((c): c is Candidate => c !== null);
  const chosen = found[0] ?? null;
  const alsoFound: Candidate[] = [];
  for (const c of found.slice(1)) {
    if (c.code !== chosen?.code && !alsoFound.some((a) => a.code === c.code)) alsoFound.push(c);
  }
  return { code: chosen?.code ?? null, source: chosen?.source ?? null, lookedIn, alsoFound };
}

const MEMBERSHIP_LABEL: Record<Membership, string> = {
  pdu: "PDU",
  network: "OPEN UK network",
};

/**
 * Plan `--create` of one organisation.
 *
 * Fails (nothing written) when the code is not in ODS, is not a site, already exists, has no
 * active RE6 parent, a parent that must be created cannot be fetched, or a membership names a
 * PDU or network the store doesn't have.
 */
export function planCreate(code: string, known: Known, ref: SeedMemberships): Step<CreatePlan> {
  const r = new Reader(known);
  const existing = r.record("organisation", code);
  const tombstone = r.tombstone(code);
  const outcome = r.ods(code);
  if (r.missing) return r.need();

  if (existing) {
    return {
      status: "fail",
      reason: `${code} already exists (${existing.name}); nothing to create`,
    };
  }
  if (outcome!.status !== "ok") return { status: "fail", reason: odsFailure(outcome!) };
  const ods = outcome!.record;
  if (kindOfRecord(ods) !== "organisation") {
    const role = ROLE_NAMES[ods.primaryRole] ?? `role ${ods.primaryRole}`;
    return {
      status: "fail",
      reason: `${code} (${ods.name}) is ${role} in ODS, not a hospital site; this command only ` +
        `creates organisations (NHS trust or local health board sites)`,
    };
  }

  const notes: string[] = [];
  const warnings: string[] = [];
  const questions: Question[] = [];
  const parents: NewParent[] = [];
  const guards: Guard[] = [];
  const trusts = new Map<string, Trust>();
  const icbs = new Map<string, IntegratedCareBoard>();

  if (!ods.active) {
    warnings.push(
      `${code} is INACTIVE in ODS${ods.operational.end ? ` (closed ${ods.operational.end})` : ""}.`,
    );
    questions.push({
      message: `${code} is closed in ODS. Create it anyway?`,
      defaultAnswer: false,
    });
  }

  const trustCode = parentTrustOf(ods);
  const boardCode = trustCode ? null : parentBoardOf(ods);
  if (!trustCode && !boardCode) {
    return {
      status: "fail",
      reason: `${code} has no active IS OPERATED BY (RE6) relationship to an NHS trust or local ` +
        `health board in ODS, so it has no parent to belong to`,
    };
  }
  const parentCode = (trustCode ?? boardCode)!;

  // The parent: from the store, or fetched from ODS (with its ICB and region) and created.
  const fetchParent = (kind: OdsKind, pcode: string, what: string) => {
    const o = r.ods(pcode);
    if (!o) return undefined;
    if (o.status !== "ok") {
      return { fail: `${what} ${pcode} is not in the store and ${odsFailure(o)}` };
    }
    if (kindOfRecord(o.record) !== kind) {
      const role = ROLE_NAMES[o.record.primaryRole] ?? `role ${o.record.primaryRole}`;
      return { fail: `${what} ${pcode} is ${role} in ODS, not ${what}` };
    }
    if (!o.record.active) warnings.push(`${what} ${pcode} (${o.record.name}) is INACTIVE in ODS.`);
    return { record: o.record };
  };

  if (trustCode) {
    const stored = r.record("trust", trustCode);
    if (stored === undefined) return r.need();
    let trust: Trust;
    if (stored) {
      trust = stored;
      guards.push({ kind: "trust", code: trustCode });
    } else {
      const got = fetchParent("trust", trustCode, "trust");
      if (!got) return r.need();
      if ("fail" in got) return { status: "fail", reason: got.fail! };
      trust = toTrust(got.record, null);
      const refRow = ref.trust_icb.find((row) => row.trust_code === trustCode) ?? null;
      if (!trust.integrated_care_board_code && refRow) {
        trust = { ...trust, integrated_care_board_code: refRow.icb_code };
        notes.push(`ICB of new trust ${trustCode} from the reference data: ${refRow.icb_code}.`);
      }
      // Its ICB, and the ICB's region, when they are new too.
      const icbCode = trust.integrated_care_board_code;
      if (icbCode) {
        const storedIcb = r.record("integrated_care_board", icbCode);
        if (storedIcb === undefined) return r.need();
        let icb: IntegratedCareBoard;
        if (storedIcb) {
          icb = storedIcb;
          guards.push({ kind: "integrated_care_board", code: icbCode });
        } else {
          const gotIcb = fetchParent("integrated_care_board", icbCode, "ICB");
          if (!gotIcb) return r.need();
          if ("fail" in gotIcb) return { status: "fail", reason: gotIcb.fail! };
          icb = toIntegratedCareBoard(gotIcb.record, null);
          const refRegion = ref.trust_icb.find((row) => row.icb_code === icbCode)?.region_code;
          if (!icb.nhs_england_region_code && refRegion) {
            icb = { ...icb, nhs_england_region_code: refRegion };
            notes.push(`Region of new ICB ${icbCode} from the reference data: ${refRegion}.`);
          }
          const regionCode = icb.nhs_england_region_code;
          if (regionCode) {
            const storedRegion = r.record("nhs_england_region", regionCode);
            if (storedRegion === undefined) return r.need();
            if (storedRegion) {
              guards.push({ kind: "nhs_england_region", code: regionCode });
            } else {
              const gotRegion = fetchParent("nhs_england_region", regionCode, "NHS England region");
              if (!gotRegion) return r.need();
              if ("fail" in gotRegion) return { status: "fail", reason: gotRegion.fail! };
              parents.push({
                kind: "nhs_england_region",
                code: regionCode,
                record: toRegion(gotRegion.record, null),
                lastChangeDate: gotRegion.record.lastChangeDate,
              });
            }
          } else {
            warnings.push(`New ICB ${icbCode} has no NHS England region in ODS or the reference.`);
          }
          parents.push({
            kind: "integrated_care_board",
            code: icbCode,
            record: icb,
            lastChangeDate: gotIcb.record.lastChangeDate,
          });
        }
        icbs.set(icbCode, icb);
      } else {
        warnings.push(`New trust ${trustCode} has no ICB in ODS (RE5) or the reference data.`);
      }
      parents.push({
        kind: "trust",
        code: trustCode,
        record: trust,
        lastChangeDate: got.record.lastChangeDate,
      });
    }
    trusts.set(trustCode, trust);
    // A trust already in the store: the organisation's region comes from its ICB.
    const icbCode = trust.integrated_care_board_code;
    if (stored && icbCode) {
      const storedIcb = r.record("integrated_care_board", icbCode);
      if (storedIcb === undefined) return r.need();
      if (storedIcb) {
        icbs.set(icbCode, storedIcb);
        guards.push({ kind: "integrated_care_board", code: icbCode });
      } else {
        warnings.push(`ICB ${icbCode} of trust ${trustCode} is not in the store; no region.`);
      }
    } else if (stored && !icbCode) {
      warnings.push(`Trust ${trustCode} has no ICB in the store; the organisation gets none.`);
    }
  } else {
    const stored = r.record("local_health_board", boardCode!);
    if (stored === undefined) return r.need();
    if (stored) {
      guards.push({ kind: "local_health_board", code: boardCode! });
    } else {
      const got = fetchParent("local_health_board", boardCode!, "local health board");
      if (!got) return r.need();
      if ("fail" in got) return { status: "fail", reason: got.fail! };
      parents.push({
        kind: "local_health_board",
        code: boardCode!,
        record: toLocalHealthBoard(got.record, null),
        lastChangeDate: got.record.lastChangeDate,
      });
    }
  }

  // Memberships: tombstone, reference rows, predecessors (ODS successions).
  const predecessorCodes = [
    ...new Set(ods.successions.filter((s) => s.type === "Predecessor").map((s) => s.target)),
  ].filter((p) => p !== code);
  const predecessors: { code: string; record: Organisation; how: string }[] = [];
  for (const p of predecessorCodes) {
    const inStore = r.record("organisation", p);
    const tomb = r.tombstone(p);
    if (inStore === undefined || tomb === undefined) continue;
    if (inStore) predecessors.push({ code: p, record: inStore, how: "in the store" });
    else if (tomb.value) {
      predecessors.push({ code: p, record: tomb.value.record, how: "deleted" });
    }
  }
  if (r.missing) return r.need();

  const parentLabel = trustCode ? `trust ${trustCode}` : `local health board ${boardCode}`;
  const tombRecord = tombstone!.value?.record ?? null;
  const tombSource = tombstone!.value
    ? `tombstone of ${code} (deleted ${tombstone!.value.deleted_at.slice(0, 10)})`
    : "";
  const fromTomb = (m: Membership): Candidate | null => {
    const value = tombRecord?.[MEMBERSHIP_FIELD[m]] ?? null;
    return value ? { code: value, source: tombSource } : null;
  };
  const fromPredecessors = (m: Membership): (Candidate | null)[] =>
    predecessors.map((p) => {
      const value = p.record[MEMBERSHIP_FIELD[m]];
      return value
        ? { code: value, source: `predecessor ${p.code} (ODS succession, ${p.how})` }
        : null;
    });
  const pduRow = (c: string): Candidate | null => {
    const row = ref.pdu.find((x) => x.ods_code === c);
    return row
      ? { code: row.pz_code, source: `reference data (${c === code ? code : parentLabel})` }
      : null;
  };
  const networkRow = ref.openuk.find((x) => x.parent_code === parentCode);
  const predecessorPlace = predecessorCodes.length
    ? `predecessors in ODS (${predecessorCodes.join(", ")})`
    : "predecessors in ODS (none)";

  const pdu = choose(
    [fromTomb("pdu"), pduRow(code), ...fromPredecessors("pdu"), pduRow(parentCode)],
    [
      `tombstone of ${code}${tombstone!.value ? "" : " (none)"}`,
      `reference data for ${code}`,
      predecessorPlace,
      `reference data for ${parentLabel}`,
    ],
  );
  const network = choose(
    [
      fromTomb("network"),
      networkRow
        ? { code: networkRow.network_code, source: `reference data (${parentLabel})` }
        : null,
      ...fromPredecessors("network"),
    ],
    [
      `tombstone of ${code}${tombstone!.value ? "" : " (none)"}`,
      `reference data for ${parentLabel}`,
      predecessorPlace,
    ],
  );

  // A membership must name something the store has.
  const pduRecord = pdu.code ? r.record("paediatric_diabetes_unit", pdu.code) : null;
  const networkRecord = network.code ? r.record("openuk_network", network.code) : null;
  if (r.missing) return r.need();
  if (pdu.code && !pduRecord) {
    return {
      status: "fail",
      reason: `PDU ${pdu.code} (from ${pdu.source}) is not in the store, so ${code} was not ` +
        `created. Add the PDU to the store first, or create ${code} from a reference without it.`,
    };
  }
  if (network.code && !networkRecord) {
    return {
      status: "fail",
      reason: `OPEN UK network ${network.code} (from ${network.source}) is not in the store, so ` +
        `${code} was not created.`,
    };
  }
  for (const [m, choice] of [["pdu", pdu], ["network", network]] as const) {
    if (choice.code) {
      guards.push({
        kind: m === "pdu" ? "paediatric_diabetes_unit" : "openuk_network",
        code: choice.code,
      });
      for (const other of choice.alsoFound) {
        notes.push(
          `${MEMBERSHIP_LABEL[m]}: also found ${other.code} in ${other.source}; using ` +
            `${choice.code} from ${choice.source}.`,
        );
      }
    } else {
      warnings.push(
        `No ${MEMBERSHIP_LABEL[m]} found for ${code}. Looked in: ${choice.lookedIn.join("; ")}.`,
      );
      questions.push({
        message: `Continue creating ${code} without a ${MEMBERSHIP_LABEL[m]}? (add one later ` +
          `with --link-${m} ${m === "pdu" ? "PZnnn" : "CODE"})`,
        defaultAnswer: false,
      });
    }
  }

  const organisation = buildOrganisation(ods, tombstone!.value, lookupOf(trusts, icbs), {
    pdu: pdu.code,
    network: network.code,
  });
  if (tombstone!.value) {
    notes.push(`Restoring ${code}, deleted ${tombstone!.value.deleted_at}; its tombstone goes.`);
  }
  questions.push({
    message: `Create ${code} (${organisation.name}) under ${parentLabel}` +
      `${parents.length ? `, with ${parents.length} new parent record(s)` : ""}?`,
    defaultAnswer: true,
  });
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
      tombstone: tombstone!,
      notes,
      warnings,
      questions,
    },
  };
}

/** Names shown next to a relationship, by the kind holding it. */
function nameOf(record: AnyRecord | null | undefined): string | null {
  if (!record) return null;
  const r = record as unknown as Record<string, unknown>;
  if (typeof r.name === "string") return r.name;
  if (typeof r.paediatric_diabetes_network_code === "string") {
    return `network ${r.paediatric_diabetes_network_code}`;
  }
  return null;
}

const RELATIONS: { label: string; field: SharedField; kind: Kind }[] = [
  { label: "PDU", field: "paediatric_diabetes_unit_code", kind: "paediatric_diabetes_unit" },
  { label: "OPEN UK network", field: "openuk_network_code", kind: "openuk_network" },
  { label: "Trust", field: "trust_code", kind: "trust" },
  { label: "Local health board", field: "local_health_board_code", kind: "local_health_board" },
  { label: "ICB", field: "integrated_care_board_code", kind: "integrated_care_board" },
  { label: "NHS England region", field: "nhs_england_region_code", kind: "nhs_england_region" },
  { label: "Country", field: "country_code", kind: "country" },
  { label: "London borough", field: "london_borough_code", kind: "london_borough" },
];

/** Loud warning text for an organisation that is the last of its PDU or network. */
function lastMemberWarnings(
  code: string,
  relations: readonly Relation[],
  what: "deleting" | "unlinking",
  only: readonly SharedField[],
): string[] {
  const out: string[] = [];
  for (const rel of relations) {
    if (!only.includes(rel.field) || rel.code === null || rel.others !== 0) continue;
    out.push(
      `${code} IS THE LAST ORGANISATION OF ${rel.label.toUpperCase()} ${rel.code}: ${what} it ` +
        `leaves the ${rel.label} with no organisation.`,
    );
  }
  return out;
}

function relationsOf(org: Organisation, r: Reader): Relation[] | undefined {
  const out: Relation[] = [];
  for (const spec of RELATIONS) {
    const value = org[spec.field];
    if (!value) {
      out.push({ label: spec.label, field: spec.field, code: null, name: null, others: null });
      continue;
    }
    const record = r.record(spec.kind, value);
    const members = r.members(spec.field, value);
    out.push({
      label: spec.label,
      field: spec.field,
      code: value,
      name: record === undefined ? null : nameOf(record) ?? (record ? null : "(not in the store)"),
      others: members ? members.filter((c) => c !== org.ods_code).length : null,
    });
  }
  return r.missing ? undefined : out;
}

/** Plan `--delete` of one organisation: what it belongs to, what breaks, what is kept. */
export function planDelete(code: string, known: Known): Step<DeletePlan> {
  const r = new Reader(known);
  const org = r.record("organisation", code);
  const tombstone = r.tombstone(code);
  if (r.missing) return r.need();
  if (!org) {
    const when = tombstone!.value ? ` (already deleted ${tombstone!.value.deleted_at})` : "";
    return { status: "fail", reason: `${code} does not exist in the store${when}` };
  }
  const relations = relationsOf(org, r);
  if (!relations) return r.need();
  const warnings = lastMemberWarnings(code, relations, "deleting", [
    "paediatric_diabetes_unit_code",
    "openuk_network_code",
  ]);
  const notes = [
    `A tombstone keeps ${code} and its memberships: \`deno task merge -o ${code} --create\` ` +
    `restores them.`,
  ];
  if (org.active) notes.push(`${code} is still ACTIVE in ODS as last synced.`);
  if (tombstone!.value) {
    notes.push(`It replaces the tombstone of the delete on ${tombstone!.value.deleted_at}.`);
  }
  return {
    status: "ready",
    plan: {
      action: "delete",
      code,
      organisation: org,
      relations,
      previousTombstone: tombstone!,
      notes,
      warnings,
      questions: [{
        message: `Are you sure you want to delete ${code} (${org.name})?`,
        defaultAnswer: false,
      }],
    },
  };
}

/** What to change with `--link-*` / `--unlink-*`: `undefined` leaves a membership alone. */
export interface LinkRequest {
  pdu?: string | null;
  network?: string | null;
}

/** Plan `--link-*` / `--unlink-*` on one existing organisation. */
export function planLink(code: string, request: LinkRequest, known: Known): Step<LinkPlan> {
  const r = new Reader(known);
  const org = r.record("organisation", code);
  if (r.missing) return r.need();
  if (!org) {
    return {
      status: "fail",
      reason: `${code} does not exist in the store; create it first with --create`,
    };
  }
  const changes: LinkChange[] = [];
  const guards: Guard[] = [];
  const warnings: string[] = [];
  const notes: string[] = [];
  const questions: Question[] = [];
  let next: Organisation = { ...org };
  for (const m of ["pdu", "network"] as const) {
    const to = request[m];
    if (to === undefined) continue;
    const field = MEMBERSHIP_FIELD[m];
    const from = org[field];
    if (from === to) {
      notes.push(
        to
          ? `${code} is already in ${MEMBERSHIP_LABEL[m]} ${to}.`
          : `${code} has no ${MEMBERSHIP_LABEL[m]}.`,
      );
      continue;
    }
    const kind = m === "pdu" ? "paediatric_diabetes_unit" : "openuk_network";
    if (to) {
      const target = r.record(kind, to);
      if (target === undefined) return r.need();
      if (!target) {
        return {
          status: "fail",
          reason: `${MEMBERSHIP_LABEL[m]} ${to} is not in the store; ${code} was not changed`,
        };
      }
      guards.push({ kind, code: to });
    }
    if (from) {
      const members = r.members(field, from);
      if (!members) return r.need();
      if (members.filter((c) => c !== code).length === 0) {
        warnings.push(
          `${code} IS THE LAST ORGANISATION OF ${MEMBERSHIP_LABEL[m].toUpperCase()} ${from}: ` +
            `${to ? "moving" : "unlinking"} it leaves the ${MEMBERSHIP_LABEL[m]} with no ` +
            `organisation.`,
        );
      }
      if (to) {
        questions.push({
          message: `${code} is in ${MEMBERSHIP_LABEL[m]} ${from}. Move it to ${to}?`,
          defaultAnswer: false,
        });
      }
    }
    changes.push({ membership: m, from, to });
    next = { ...next, [field]: to };
  }
  if (changes.length === 0) {
    return { status: "noop", reason: notes.join(" ") || `nothing to change for ${code}` };
  }
  questions.push({
    message: `Apply ${changes.length === 1 ? "this change" : "these changes"} to ${code} ` +
      `(${org.name})?`,
    defaultAnswer: true,
  });
  return {
    status: "ready",
    plan: {
      action: "link",
      code,
      organisation: org,
      next,
      changes,
      guards,
      notes,
      warnings,
      questions,
    },
  };
}
