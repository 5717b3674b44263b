/**
 * The vocabulary of `deno task merge`'s planners: what they read ({@linkcode Known}, through a
 * {@linkcode Reader}), what they answer ({@linkcode Step}) and the plans they make. The planners
 * are in `plan_create.ts`, `plan_delete.ts` and `plan_link.ts`.
 *
 * A planner never does I/O. It reads through {@linkcode Known}; when something it needs is not
 * known yet it returns `{ status: "need", needs }`, the caller fetches those and calls it again
 * (see `gather` in `run.ts`). So every decision is testable without a store or network.
 *
 * @module
 */
import type { AnyRecord, Entities, Kind, Organisation } from "../model.ts";
import type { OdsKind } from "../ods/entities.ts";
import type { OdsRecord } from "../ods/record.ts";
import type { FetchOutcome } from "../ods/source.ts";

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

/** A planner's answer that stops planning: something to read first, or a failure. */
export type Halt = Extract<Step<never>, { status: "need" | "fail" }>;

/**
 * A failed {@linkcode Step}.
 *
 * @example
 * ```ts
 * import { fail } from "./plan.ts";
 *
 * fail("RXX01 is not in ODS"); // { status: "fail", reason: "RXX01 is not in ODS" }
 * ```
 */
export function fail(reason: string): Halt {
  return { status: "fail", reason };
}

/** How a membership is named in messages. */
export const MEMBERSHIP_LABEL: Record<Membership, string> = {
  pdu: "PDU",
  network: "OPEN UK network",
};

/**
 * Reads from {@linkcode Known}, collecting what is missing.
 *
 * @example
 * ```ts
 * import { emptyKnown, Reader } from "./plan.ts";
 *
 * const r = new Reader(emptyKnown());
 * r.record("organisation", "RGT01"); // undefined: not known yet
 * r.need(); // { status: "need", needs: [{ type: "record", kind: "organisation", code: "RGT01" }] }
 * ```
 */
export class Reader {
  readonly needs: Need[] = [];
  constructor(readonly known: Known) {}

  /** The record (`null`: known absent), or `undefined` (not known yet: now needed). */
  record<K extends Kind>(kind: K, code: string): Entities[K] | null | undefined {
    const id = recordId(kind, code);
    if (!this.known.records.has(id)) {
      this.needs.push({ type: "record", kind, code });
      return undefined;
    }
    return this.known.records.get(id) as Entities[K] | null;
  }

  /** The tombstone read, or `undefined` (now needed). */
  tombstone(code: string): TombstoneRead | undefined {
    const t = this.known.tombstones.get(code);
    if (!t) this.needs.push({ type: "tombstone", code });
    return t;
  }

  /** The ODS fetch outcome, or `undefined` (now needed). */
  ods(code: string): FetchOutcome | undefined {
    const o = this.known.ods.get(code);
    if (!o) this.needs.push({ type: "ods", code });
    return o;
  }

  /** Codes of the organisations whose `field` is `value`, or `undefined` (now needed). */
  members(field: SharedField, value: string): string[] | undefined {
    const m = this.known.members.get(membersId(field, value));
    if (!m) this.needs.push({ type: "members", field, value });
    return m;
  }

  /** Has any read so far found something not known yet? */
  get missing(): boolean {
    return this.needs.length > 0;
  }

  /** A `need` step asking for everything missing so far (and forgetting it). */
  need(): Halt {
    return { status: "need", needs: this.needs.splice(0) };
  }
}

/**
 * Why a failed ODS fetch failed, in words.
 *
 * @example
 * ```ts
 * import { odsFailure } from "./plan.ts";
 *
 * odsFailure({ status: "not_found", code: "RXX01" }); // "RXX01 is not in ODS"
 * ```
 */
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
