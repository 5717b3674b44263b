/**
 * ORD organisation search (`GET /ORD/2-0-0/organisations?…`): the filters of the real API,
 * paged with `X-Total-Count`, `Returned-Records` and `Next-Page`, and summary items in its shape.
 *
 * @module
 */

import {
  checkWindowDate,
  notAcceptable,
  type OrdConfig,
  type OrdContext,
  orgLink,
  param,
} from "./ord_context.ts";
import type { OrdOrganisation } from "./ord_types.ts";
import { primaryRoleOf } from "./record.ts";
import { ROLES } from "./reference.ts";
import { simJson as json, type SimResponse } from "./response.ts";

/**
 * Search summary item in the exact §1.2 shape.
 *
 * @example
 * ```ts
 * import { summaryOf } from "./ord_search.ts";
 * import { sampleRWR } from "./samples.ts";
 * import { equal } from "node:assert/strict";
 * equal(summaryOf(sampleRWR(), "http://sim/ORD/2-0-0").PrimaryRoleDescription, "NHS TRUST");
 * ```
 */
export function summaryOf(org: OrdOrganisation, ordBaseUrl: string): Record<string, unknown> {
  const role = primaryRoleOf(org);
  const item: Record<string, unknown> = {
    Name: org.Name,
    OrgId: org.OrgId.extension,
    Status: org.Status,
    OrgRecordClass: org.orgRecordClass,
  };
  const pc = org.GeoLoc?.Location?.PostCode;
  if (pc !== undefined) item.PostCode = pc;
  item.LastChangeDate = org.LastChangeDate;
  if (role) {
    item.PrimaryRoleId = role.id;
    item.PrimaryRoleDescription = ROLES[role.id]?.displayName ?? role.id;
  }
  item.OrgLink = orgLink(ordBaseUrl, org.OrgId.extension);
  return item;
}

const FULL_POSTCODE = /^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$/;

/**
 * ORD PostCode matching (see {@link OrdConfig.postCodeMode}).
 *
 * @example
 * ```ts
 * import { postCodeMatches } from "./ord_search.ts";
 * import { equal } from "node:assert/strict";
 * equal(postCodeMatches("CT1 3NG", "ct13ng", "segment"), true);
 * equal(postCodeMatches("CT1 3NG", "CT", "segment"), true);
 * equal(postCodeMatches("CT10 1AA", "CT1", "segment"), false);
 * ```
 */
export function postCodeMatches(
  postCode: string | undefined,
  query: string,
  mode: "segment" | "prefix",
): boolean {
  if (!postCode) return false;
  const pc = postCode.toUpperCase().replace(/\s+/g, "");
  const q = query.toUpperCase().replace(/\s+/g, "");
  if (FULL_POSTCODE.test(q)) return pc === q;
  if (mode === "prefix") return pc.startsWith(q);
  const outward = postCode.toUpperCase().trim().split(/\s+/)[0] ?? "";
  if (/^[A-Z]+$/.test(q)) return outward.startsWith(q) && /^[0-9]/.test(outward.slice(q.length));
  if (query.trim().includes(" ")) {
    return postCode.toUpperCase().replace(/\s+/g, " ").startsWith(query.toUpperCase().trim());
  }
  return outward === q;
}

function splitList(v: string | null): string[] {
  return v === null ? [] : v.split(",").map((s) => s.trim().toUpperCase()).filter((s) => s);
}

/** The paging of a search: records skipped and page size. */
interface Paging {
  skip: number;
  limit: number;
}

function parsePaging(url: URL, cfg: OrdConfig): Paging | null {
  const limitRaw = param(url, "Limit");
  const offsetRaw = param(url, "Offset");
  let limit = cfg.defaultLimit;
  if (limitRaw !== null) {
    if (!/^\d+$/.test(limitRaw)) return null;
    limit = Number(limitRaw);
    if (limit < 1 || limit > cfg.maxLimit) return null;
  }
  let skip = 0;
  if (offsetRaw !== null) {
    if (!/^\d+$/.test(offsetRaw) || Number(offsetRaw) === 0) return null;
    skip = Number(offsetRaw) - cfg.offsetBase;
  }
  return { skip: Math.max(0, skip), limit };
}

type Filter = (org: OrdOrganisation) => boolean;

function roleFilters(url: URL): Filter[] {
  const primary = splitList(param(url, "PrimaryRoleId"));
  const nonPrimary = splitList(param(url, "NonPrimaryRoleId"));
  const roles = splitList(param(url, "Roles"));
  const out: Filter[] = [];
  const rolesOf = (org: OrdOrganisation) => org.Roles?.Role ?? [];
  if (primary.length > 0) {
    out.push((org) => rolesOf(org).some((r) => r.primaryRole === true && primary.includes(r.id)));
  }
  if (nonPrimary.length > 0) {
    out.push((org) =>
      rolesOf(org).some((r) => r.primaryRole !== true && nonPrimary.includes(r.id))
    );
  }
  if (roles.length > 0) out.push((org) => rolesOf(org).some((r) => roles.includes(r.id)));
  return out;
}

function relFilter(url: URL): Filter | null {
  const relTypes = splitList(param(url, "RelTypeId"));
  const targetOrg = param(url, "TargetOrgId")?.toUpperCase() ?? null;
  const relStatus = param(url, "RelStatus")?.toLowerCase() ?? null;
  if (relTypes.length === 0 && targetOrg === null && relStatus === null) return null;
  return (org) =>
    (org.Rels?.Rel ?? []).some((r) =>
      (relTypes.length === 0 || relTypes.includes(r.id)) &&
      (targetOrg === null || r.Target.OrgId.extension.toUpperCase() === targetOrg) &&
      (relStatus === null || r.Status.toLowerCase() === relStatus)
    );
}

function fieldFilters(url: URL, cfg: OrdConfig, since: string | null): Filter[] {
  const name = param(url, "Name")?.toUpperCase() ?? null;
  const postCode = param(url, "PostCode");
  const status = param(url, "Status")?.toLowerCase() ?? null;
  const recordClass = param(url, "OrgRecordClass")?.toUpperCase() ?? null;
  const out: Filter[] = [];
  if (name !== null) out.push((org) => org.Name.toUpperCase().includes(name));
  if (postCode !== null) {
    out.push((org) => postCodeMatches(org.GeoLoc?.Location?.PostCode, postCode, cfg.postCodeMode));
  }
  if (status !== null) out.push((org) => org.Status.toLowerCase() === status);
  if (since !== null) out.push((org) => org.LastChangeDate >= since);
  if (recordClass !== null) out.push((org) => org.orgRecordClass === recordClass);
  return out;
}

function nextPage(url: URL, ctx: OrdContext, paging: Paging, total: number): string | null {
  const nextSkip = paging.skip + paging.limit;
  if (nextSkip >= total) return null;
  const next = new URL(`${ctx.ordBaseUrl}/organisations`);
  for (const [k, v] of url.searchParams) {
    const lk = k.toLowerCase();
    if (lk !== "limit" && lk !== "offset") next.searchParams.append(k, v);
  }
  next.searchParams.set("Limit", String(paging.limit));
  next.searchParams.set("Offset", String(nextSkip + ctx.config.offsetBase));
  return next.toString();
}

/**
 * `GET /organisations?...`: paged search with `X-Total-Count`, `Returned-Records`, `Next-Page`.
 *
 * @example
 * ```ts
 * import { OdsDataset } from "./dataset.ts";
 * import { defaultOrdConfig } from "./ord_context.ts";
 * import { handleSearch } from "./ord_search.ts";
 * import { sampleRWR } from "./samples.ts";
 * import { equal } from "node:assert/strict";
 * const ctx = {
 *   dataset: new OdsDataset({ records: [sampleRWR()], today: () => "2025-06-10" }),
 *   today: "2025-06-10",
 *   ordBaseUrl: "http://sim/ORD/2-0-0",
 *   config: defaultOrdConfig(),
 * };
 * const res = handleSearch(new URL("http://sim/ORD/2-0-0/organisations?Roles=RO197"), ctx);
 * equal(res.headers["x-total-count"], "1");
 * ```
 */
export function handleSearch(url: URL, ctx: OrdContext): SimResponse {
  const paging = parsePaging(url, ctx.config);
  if (!paging) return notAcceptable();
  let since: string | null = null;
  const lcd = param(url, "LastChangeDate");
  if (lcd !== null) {
    const check = checkWindowDate(lcd, ctx);
    if (!check.ok) return check.res;
    since = check.date;
  }
  const rel = relFilter(url);
  const filters = [...fieldFilters(url, ctx.config, since), ...roleFilters(url)];
  if (rel) filters.push(rel);
  const matches: OrdOrganisation[] = [];
  for (const org of ctx.dataset.records()) if (filters.every((f) => f(org))) matches.push(org);
  const page = matches.slice(paging.skip, paging.skip + paging.limit);
  const headers: Record<string, string> = {
    "x-total-count": String(matches.length),
    "returned-records": String(page.length),
  };
  const next = nextPage(url, ctx, paging, matches.length);
  if (next) headers["next-page"] = next;
  return json(200, { Organisations: page.map((o) => summaryOf(o, ctx.ordBaseUrl)) }, headers);
}
