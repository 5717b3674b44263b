/**
 * The one domain shape both ODS sources (ORD 2-0-0 and FHIR R4 ODT) map into.
 *
 * @module
 */

/** A start/end pair; `end` is `null` when open. Dates are `YYYY-MM-DD`. */
export interface Period {
  start: string | null;
  end: string | null;
}

/** A role the organisation plays (e.g. RO198 NHS TRUST SITE). */
export interface OdsRole {
  id: string;
  primary: boolean;
  active: boolean;
  operational: Period;
  /** Absent when the source gave none. */
  legal?: Period;
}

/** A relationship from this record (the child) to a target (the parent). */
export interface OdsRelationship {
  /** Relationship code, e.g. `RE6` IS OPERATED BY, `RE5` IS LOCATED IN THE GEOGRAPHY OF. */
  id: string;
  /** ODS code of the target. */
  target: string;
  /** Primary role of the target, e.g. `RO197` NHS TRUST. `null` when ODS didn't say. */
  targetRole: string | null;
  active: boolean;
  operational: Period;
  legal: Period;
}

/** A succession event seen from this record. */
export interface OdsSuccession {
  type: "Predecessor" | "Successor";
  target: string;
  targetRole: string | null;
  /** Legal date of the succession. */
  date: string | null;
}

/** One ODS organisation or site record, already validated. */
export interface OdsRecord {
  code: string;
  name: string;
  active: boolean;
  /** `YYYY-MM-DD`. */
  lastChangeDate: string;
  recordClass: "RC1" | "RC2";
  /** Skeleton record of an archived organisation. */
  refOnly: boolean;
  primaryRole: string;
  roles: OdsRole[];
  operational: Period;
  legal: Period;
  address: {
    line1: string | null;
    line2: string | null;
    line3: string | null;
    town: string | null;
    county: string | null;
    postcode: string | null;
    country: string | null;
    uprn: string | null;
  };
  telephone: string | null;
  website: string | null;
  email: string | null;
  relationships: OdsRelationship[];
  successions: OdsSuccession[];
  /**
   * `false` when the source cannot say (the FHIR `Organization` resource carries no successions):
   * the stored successors and predecessors are then kept as they are.
   */
  successionsKnown?: boolean;
  /**
   * What this source cannot express, so the stored values decide: `county` (FHIR, when the
   * address has no `district`: the stored county is kept) and `line_positions` (FHIR's `line`
   * list leaves absent lines out: which of lines 1 to 3 each one is follows the stored lines).
   */
  absent?: readonly ("county" | "line_positions")[];
}

/** Role codes we care about. */
export const ROLE = {
  NHS_TRUST: "RO197",
  NHS_TRUST_SITE: "RO198",
  STRATEGIC_PARTNERSHIP: "RO261",
  INTEGRATED_CARE_BOARD: "RO318",
  NHS_ENGLAND_REGION: "RO209",
  /** Welsh local health board. Both codes occur in the wild; accept both. */
  LOCAL_HEALTH_BOARD: ["RO144", "RO142"] as readonly string[],
  LOCAL_HEALTH_BOARD_SITE: ["RO149", "RO148"] as readonly string[],
  /** GP PRACTICE: a non-primary role (`PrimaryRoleId=RO76` finds nothing; `Roles=RO76` does). */
  GP_PRACTICE: "RO76",
  /** PRESCRIBING COST CENTRE: the primary role of GP practices. */
  PRESCRIBING_COST_CENTRE: "RO177",
  /** CLINICAL COMMISSIONING GROUP: the primary role of sub-ICB locations (and former CCGs). */
  SUB_ICB_LOCATION: "RO98",
  PRIMARY_CARE_NETWORK: "RO272",
} as const;

/** Relationship codes we care about. */
export const REL = {
  IS_OPERATED_BY: "RE6",
  IS_LOCATED_IN_THE_GEOGRAPHY_OF: "RE5",
  /** A GP practice (or PCN) → its sub-ICB location, or a Welsh practice → its board. */
  IS_COMMISSIONED_BY: "RE4",
  /** A GP practice → its primary care network. */
  IS_PARTNER_TO: "RE8",
} as const;

/**
 * The target of the active relationship `relId` whose target's primary role is one of `roles`
 * (never "the first Rel"). `null` when there is none.
 *
 * @example
 * ```ts
 * import { activeParent } from "./record.ts";
 *
 * const open = { start: "2020-04-01", end: null };
 * const site = {
 *   relationships: [
 *     { id: "RE6", target: "RVV", targetRole: "RO197", active: true, operational: open, legal: open },
 *   ],
 * };
 * activeParent(site, "RE6", ["RO197"]); // "RVV"
 * ```
 */
export function activeParent(
  record: Pick<OdsRecord, "relationships">,
  relId: string,
  roles: readonly string[],
): string | null {
  const matches = record.relationships.filter((r) =>
    r.id === relId && r.active && r.targetRole !== null && roles.includes(r.targetRole)
  );
  if (matches.length === 0) return null;
  // Several active ones (rare, during a handover): take the most recent start.
  matches.sort((a, b) => (b.operational.start ?? "").localeCompare(a.operational.start ?? ""));
  return matches[0].target;
}

/** ODS codes are upper-case letters and digits. */
const ODS_CODE = /^[A-Z0-9]{1,20}$/;

/**
 * A code as the service stores it: trimmed and upper-cased (ODS, ONS and PZ codes alike).
 *
 * @example
 * ```ts
 * import { normalizeCode } from "./record.ts";
 *
 * normalizeCode(" rgt01 "); // "RGT01"
 * ```
 */
export function normalizeCode(code: string): string {
  return code.trim().toUpperCase();
}

/**
 * Is `code` a plausible ODS code (1 to 20 upper-case letters and digits)?
 *
 * @example
 * ```ts
 * import { isOdsCode } from "./record.ts";
 *
 * isOdsCode("RGT01"); // true
 * isOdsCode("rgt01"); // false: normalise first
 * ```
 */
export function isOdsCode(code: string): boolean {
  return ODS_CODE.test(code);
}
