/**
 * Builds one simulated ORD record from a short spec: the organisation, its roles, relationships
 * and successions, with ids, statuses and key order as the real ORD API serves them.
 *
 * @module
 */

import { dates, statusOn } from "./dates.ts";
import { DEFAULT_IDS, type IdAllocator, pseudoRoleId } from "./ids.ts";
import {
  ORD_ROOT,
  type OrdContact,
  type OrdLocation,
  type OrdOrganisation,
  type OrdOrgId,
  type OrdRel,
  type OrdRole,
  type OrdStatus,
  type OrdSucc,
  type OrdTarget,
} from "./ord_types.ts";
import { SITE_ROLES } from "./reference.ts";

/**
 * Builds an `OrgId` object.
 *
 * @example
 * ```ts
 * import { orgId } from "./record.ts";
 * import { equal } from "node:assert/strict";
 * equal(orgId("rvv").extension, "RVV");
 * ```
 */
export function orgId(code: string, assigningAuthorityName = "HSCIC"): OrdOrgId {
  return { root: ORD_ROOT, assigningAuthorityName, extension: code.toUpperCase() };
}

/** Relationship spec for {@link simulatedOrdRecord}. */
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

/** Succession spec for {@link simulatedOrdRecord}. */
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

/**
 * The `Target` of a relationship or succession: the code and its primary role (with a stable
 * pseudo `uniqueRoleId` when none is given).
 *
 * @example
 * ```ts
 * import { ordTarget } from "./record.ts";
 * import { equal } from "node:assert/strict";
 * equal(ordTarget("RVV", "RO197", 41756).PrimaryRoleId.uniqueRoleId, 41756);
 * ```
 */
export function ordTarget(code: string, role: string, uniqueRoleId?: number): OrdTarget {
  return {
    OrgId: orgId(code),
    PrimaryRoleId: { id: role, uniqueRoleId: uniqueRoleId ?? pseudoRoleId(code, role) },
  };
}

/**
 * Builds one relationship in the real shape (key order as served by ORD).
 *
 * @example
 * ```ts
 * import { buildRel } from "./record.ts";
 * import { equal } from "node:assert/strict";
 * const rel = buildRel(
 *   { id: "RE6", target: "RVV", targetRole: "RO197", start: "1999-04-01" },
 *   "2025-06-10",
 * );
 * equal(rel.Status, "Active");
 * equal(rel.Target.OrgId.extension, "RVV");
 * ```
 */
export function buildRel(spec: RelSpec, asOf: string, ids: IdAllocator = DEFAULT_IDS): OrdRel {
  const ds = dates(spec.start, spec.end, spec.legal);
  return {
    Date: ds,
    Status: spec.status ?? statusOn(ds, asOf),
    Target: ordTarget(spec.target, spec.targetRole, spec.targetUniqueRoleId),
    id: spec.id,
    uniqueRelId: spec.uniqueRelId ?? ids.next(),
  };
}

/**
 * Builds one succession in the real shape.
 *
 * @example
 * ```ts
 * import { buildSucc } from "./record.ts";
 * import { equal } from "node:assert/strict";
 * const succ = buildSucc({
 *   type: "Predecessor",
 *   target: "RGWKC",
 *   targetRole: "RO198",
 *   start: "1999-04-01",
 * });
 * equal(succ.Date[0].Type, "Legal");
 * ```
 */
export function buildSucc(spec: SuccSpec, ids: IdAllocator = DEFAULT_IDS): OrdSucc {
  const s: OrdSucc = {
    uniqueSuccId: spec.uniqueSuccId ?? ids.next(),
    Date: [{ Type: "Legal", Start: spec.start }],
    Type: spec.type,
    Target: ordTarget(spec.target, spec.targetRole, spec.targetUniqueRoleId),
  };
  if (spec.forwardSuccession) s.forwardSuccession = true;
  return s;
}

function primaryRole(spec: OrgSpec, ids: IdAllocator, asOf: string): OrdRole {
  return {
    id: spec.primaryRole,
    uniqueRoleId: spec.primaryRoleUniqueId ?? ids.next(),
    primaryRole: true,
    Date: dates(spec.start, spec.end),
    Status: statusOn(dates(spec.start, spec.end, spec.legal), asOf),
  };
}

function otherRole(spec: OrgSpec, r: string | RoleSpec, ids: IdAllocator, asOf: string): OrdRole {
  const rs: RoleSpec = typeof r === "string" ? { id: r } : r;
  const ds = dates(rs.start ?? spec.start, rs.end ?? spec.end, rs.legal);
  return {
    id: rs.id,
    uniqueRoleId: rs.uniqueRoleId ?? ids.next(),
    Date: ds,
    Status: rs.status ?? statusOn(ds, asOf),
  };
}

/**
 * A simulated ORD record (the inner `Organisation` object) built from `spec`, in the exact ORD
 * key order. Ids come from `spec.ids` (default: one allocator for the process); statuses are
 * computed from the dates as of `spec.asOf` (default the LastChangeDate).
 *
 * @example
 * ```ts
 * import { simulatedOrdRecord } from "./record.ts";
 * import { equal } from "node:assert/strict";
 * const site = simulatedOrdRecord({
 *   code: "NEW01",
 *   name: "NEW SITE",
 *   primaryRole: "RO198",
 *   start: "2025-06-01",
 *   lastChangeDate: "2025-06-09",
 * });
 * equal(site.orgRecordClass, "RC2");
 * equal(site.Roles.Role[0].primaryRole, true);
 * ```
 */
export function simulatedOrdRecord(spec: OrgSpec): OrdOrganisation {
  const ids = spec.ids ?? DEFAULT_IDS;
  const asOf = spec.asOf ?? spec.lastChangeDate;
  const orgDates = dates(spec.start, spec.end, spec.legal);
  const roles: OrdRole[] = [primaryRole(spec, ids, asOf)];
  for (const r of spec.nonPrimaryRoles ?? []) roles.push(otherRole(spec, r, ids, asOf));
  const contacts = spec.contacts ?? [];
  const rels = spec.rels ?? [];
  const succs = spec.succs ?? [];
  return {
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
}

/**
 * The primary role of a record (first role flagged primary, else the first role).
 *
 * @example
 * ```ts
 * import { primaryRoleOf, simulatedOrdRecord } from "./record.ts";
 * import { equal } from "node:assert/strict";
 * const trust = simulatedOrdRecord({
 *   code: "RZZ",
 *   name: "A TRUST",
 *   primaryRole: "RO197",
 *   nonPrimaryRoles: ["RO57"],
 *   start: "2001-04-01",
 *   lastChangeDate: "2020-01-01",
 * });
 * equal(primaryRoleOf(trust)?.id, "RO197");
 * ```
 */
export function primaryRoleOf(org: OrdOrganisation): OrdRole | undefined {
  const roles = org.Roles?.Role ?? [];
  return roles.find((r) => r.primaryRole === true) ?? roles[0];
}
