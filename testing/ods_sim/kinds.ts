/**
 * Builders for the record kinds the sync cares about (sites, trusts, ICBs, regions, Welsh
 * boards and sites, GP practices, sub-ICB locations, primary care networks, merged trusts), each with the roles and relationships real
 * records of that kind carry.
 *
 * @module
 */

import { addDays } from "./clock.ts";
import { DEFAULT_IDS, type IdAllocator } from "./ids.ts";
import type { OrdContact, OrdLocation, OrdOrganisation } from "./ord_types.ts";
import { type OrgSpec, type RelSpec, simulatedOrdRecord, type SuccSpec } from "./record.ts";

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

/**
 * An NHS trust site (RO198, RC2) with an active RE6 IS OPERATED BY → trust (RO197).
 *
 * @example
 * ```ts
 * import { buildSite } from "./kinds.ts";
 * import { equal } from "node:assert/strict";
 * const site = buildSite({ code: "RVV02", name: "A HOSPITAL", trust: "RVV", lastChangeDate: "2025-05-01" });
 * equal(site.Rels?.Rel[0].Target.OrgId.extension, "RVV");
 * ```
 */
export function buildSite(
  o: KindOptions & { trust: string; trustUniqueRoleId?: number; relStart?: string },
): OrdOrganisation {
  return simulatedOrdRecord({
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
 *
 * @example
 * ```ts
 * import { buildTrust } from "./kinds.ts";
 * import { equal } from "node:assert/strict";
 * const trust = buildTrust({ code: "RYY", name: "A TRUST", lastChangeDate: "2025-05-01", icb: "QKS" });
 * equal(trust.Rels?.Rel[0].id, "RE5");
 * ```
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
  return simulatedOrdRecord({
    ...base(o, "RO197"),
    nonPrimaryRoles: o.foundationTrust ? ["RO57"] : [],
    rels,
    succs: o.succs,
  });
}

/**
 * An ICB: primary RO261 STRATEGIC PARTNERSHIP + non-primary RO318, RE5 → region (RO209).
 *
 * @example
 * ```ts
 * import { buildIcb } from "./kinds.ts";
 * import { deepEqual } from "node:assert/strict";
 * const icb = buildIcb({ code: "QKS", name: "AN ICB", lastChangeDate: "2023-07-04", region: "Y59" });
 * deepEqual(icb.Roles.Role.map((r) => r.id), ["RO261", "RO318"]);
 * ```
 */
export function buildIcb(
  o: KindOptions & { region?: string; regionUniqueRoleId?: number; icbSince?: string },
): OrdOrganisation {
  return simulatedOrdRecord({
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

/**
 * An NHS England region (RO209).
 *
 * @example
 * ```ts
 * import { buildRegion } from "./kinds.ts";
 * import { equal } from "node:assert/strict";
 * equal(buildRegion({ code: "Y61", name: "A REGION", lastChangeDate: "2023-04-01" }).Roles.Role[0].id, "RO209");
 * ```
 */
export function buildRegion(o: KindOptions): OrdOrganisation {
  return simulatedOrdRecord(base(o, "RO209"));
}

/**
 * A Welsh local health board; role configurable (default RO144).
 *
 * @example
 * ```ts
 * import { buildLhb } from "./kinds.ts";
 * import { equal } from "node:assert/strict";
 * equal(buildLhb({ code: "7A1", name: "A BOARD", lastChangeDate: "2022-10-10" }).Roles.Role[0].id, "RO144");
 * ```
 */
export function buildLhb(o: KindOptions & { role?: string }): OrdOrganisation {
  return simulatedOrdRecord({ ...base(o, o.role ?? "RO144"), recordClass: "RC1" });
}

/**
 * A Welsh site with an active RE6 → its LHB.  Site role default RO149 (WELSH LOCAL HEALTH BOARD
 * SITE — an assumption, configurable); the LHB role default RO144.
 *
 * @example
 * ```ts
 * import { buildWelshSite } from "./kinds.ts";
 * import { equal } from "node:assert/strict";
 * const site = buildWelshSite({ code: "7A1A4", name: "YSBYTY", lhb: "7A1", lastChangeDate: "2022-10-10" });
 * equal(site.orgRecordClass, "RC2");
 * ```
 */
export function buildWelshSite(
  o: KindOptions & { lhb: string; lhbRole?: string; lhbUniqueRoleId?: number; siteRole?: string },
): OrdOrganisation {
  return simulatedOrdRecord({
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

/** Options of {@link buildGpPractice} beyond the common ones. */
export interface GpPracticeOptions {
  /** The commissioner (RE4 target): a sub-ICB location, or a Welsh board. */
  commissioner: string;
  /** The commissioner's primary role (default RO98; RO144 for a Welsh board). */
  commissionerRole?: string;
  commissionerUniqueRoleId?: number;
  /** Start of the RE4 relationship (default 2020-04-01). */
  commissionerSince?: string;
  /** The primary care network (RE8 target, RO272), if any. */
  pcn?: string;
  pcnUniqueRoleId?: number;
  /** Start of the RE8 relationship (default 2019-07-01). */
  pcnSince?: string;
  /** Carry the non-primary RO76 GP PRACTICE role (default true; false: a cost centre only). */
  gpRole?: boolean;
}

/**
 * A GP practice: primary RO177 + non-primary RO76, RE4 → sub-ICB (RO98), optional RE8 → PCN.
 *
 * @example
 * ```ts
 * import { buildGpPractice } from "./kinds.ts";
 * import { deepEqual } from "node:assert/strict";
 * const gp = buildGpPractice({ code: "G81086", name: "A SURGERY", lastChangeDate: "2023-08-22", commissioner: "97R" });
 * deepEqual(gp.Roles.Role.map((r) => r.id), ["RO177", "RO76"]);
 * ```
 */
export function buildGpPractice(o: KindOptions & GpPracticeOptions): OrdOrganisation {
  const rels: RelSpec[] = [{
    id: "RE4",
    target: o.commissioner,
    targetRole: o.commissionerRole ?? "RO98",
    targetUniqueRoleId: o.commissionerUniqueRoleId,
    start: o.commissionerSince ?? "2020-04-01",
  }];
  if (o.pcn) {
    rels.push({
      id: "RE8",
      target: o.pcn,
      targetRole: "RO272",
      targetUniqueRoleId: o.pcnUniqueRoleId,
      start: o.pcnSince ?? "2019-07-01",
    });
  }
  return simulatedOrdRecord({
    ...base(o, "RO177"),
    nonPrimaryRoles: o.gpRole === false ? [] : [{ id: "RO76", start: o.start ?? "1974-04-01" }],
    rels,
  });
}

/**
 * A sub-ICB location: primary RO98 CLINICAL COMMISSIONING GROUP + non-primary RO319 SUB ICB
 * LOCATION, RE5 → its ICB (RO261), as on the real 91Q record.
 *
 * @example
 * ```ts
 * import { buildSubIcb } from "./kinds.ts";
 * import { deepEqual, equal } from "node:assert/strict";
 * const loc = buildSubIcb({ code: "91Q", name: "NHS KENT AND MEDWAY ICB - 91Q", lastChangeDate: "2023-07-04", icb: "QKS" });
 * deepEqual(loc.Roles.Role.map((r) => r.id), ["RO98", "RO319"]);
 * equal(loc.Rels?.Rel[0].Target.OrgId.extension, "QKS");
 * ```
 */
export function buildSubIcb(
  o: KindOptions & { icb: string; icbUniqueRoleId?: number; icbSince?: string },
): OrdOrganisation {
  const since = o.icbSince ?? "2022-07-01";
  return simulatedOrdRecord({
    ...base(o, "RO98"),
    nonPrimaryRoles: [{ id: "RO319", start: since }],
    rels: [{
      id: "RE5",
      target: o.icb,
      targetRole: "RO261",
      targetUniqueRoleId: o.icbUniqueRoleId,
      start: since,
    }],
  });
}

/**
 * A primary care network (RO272) with RE4 IS COMMISSIONED BY → its sub-ICB location (RO98).
 *
 * @example
 * ```ts
 * import { buildPcn } from "./kinds.ts";
 * import { equal } from "node:assert/strict";
 * const pcn = buildPcn({ code: "U36842", name: "UCKFIELD PCN", lastChangeDate: "2023-04-01", commissioner: "97R" });
 * equal(pcn.Roles.Role[0].id, "RO272");
 * equal(pcn.Rels?.Rel[0].id, "RE4");
 * ```
 */
export function buildPcn(
  o: KindOptions & {
    commissioner: string;
    commissionerUniqueRoleId?: number;
    commissionerSince?: string;
  },
): OrdOrganisation {
  return simulatedOrdRecord({
    ...base({ ...o, start: o.start ?? "2019-07-01" }, "RO272"),
    rels: [{
      id: "RE4",
      target: o.commissioner,
      targetRole: "RO98",
      targetUniqueRoleId: o.commissionerUniqueRoleId,
      start: o.commissionerSince ?? o.start ?? "2019-07-01",
    }],
  });
}

/**
 * A merger: `from` closed the day before `on` with a Succ Successor → `to`; `to` carries the
 * matching Succ Predecessor.  Returns `[closedRecord, successorRecord]`.
 *
 * @example
 * ```ts
 * import { buildMergedPair } from "./kinds.ts";
 * import { equal } from "node:assert/strict";
 * const [closed, successor] = buildMergedPair({
 *   from: { code: "RZA", name: "WEST", lastChangeDate: "2025-05-01" },
 *   to: { code: "RZB", name: "UNITED", lastChangeDate: "2025-05-01" },
 *   on: "2025-04-01",
 * });
 * equal(closed.Status, "Inactive");
 * equal(successor.Succs?.Succ[0].Type, "Predecessor");
 * ```
 */
export function buildMergedPair(
  o: {
    from: KindOptions & { icb?: string; icbUniqueRoleId?: number };
    to: KindOptions & { icb?: string; icbUniqueRoleId?: number };
    on: string;
    ids?: IdAllocator;
  },
): [OrdOrganisation, OrdOrganisation] {
  const ids = o.ids ?? DEFAULT_IDS;
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

/**
 * A trust that is still Active but carries a future operational End date.
 *
 * @example
 * ```ts
 * import { buildTrustWithFutureEnd } from "./kinds.ts";
 * import { equal } from "node:assert/strict";
 * const t = buildTrustWithFutureEnd({ code: "RZC", name: "CLOSING", lastChangeDate: "2025-05-01", endDate: "2099-01-01" });
 * equal(t.Status, "Active");
 * ```
 */
export function buildTrustWithFutureEnd(
  o: KindOptions & { icb?: string; icbUniqueRoleId?: number; endDate: string },
): OrdOrganisation {
  return buildTrust({ ...o, end: o.endDate });
}
