/**
 * ORD 2-0-0 routes of the simulator (`/ORD/2-0-0/...`), serving only the published state.
 *
 * Routes: `/organisations/{code}`, `/organisations` (search), `/sync`, `/roles[/id]`,
 * `/rels[/id]`, `/recordclasses[/id]`, `/notifications`.  Handlers are pure functions of the
 * request URL and a context; they return a {@link SimResponse} so faults can alter the body.
 *
 * @module
 */

import { addDays, isIsoDate } from "./clock.ts";
import {
  type OdsDataset,
  type OrdOrganisation,
  primaryRoleOf,
  RECORD_CLASSES,
  RELATIONSHIPS,
  ROLES,
} from "./dataset.ts";
import type { SimResponse } from "./faults.ts";

/** Base path of the ORD API. */
export const ORD_PREFIX = "/ORD/2-0-0";

/** Tunable ORD behaviour. */
export interface OrdConfig {
  /** Body of an empty sync: `{"Organisations":[]}` (`array`, default) or `{}` (`object`). */
  emptySyncShape: "array" | "object";
  /** Sync/search LastChangeDate window in days (default 185). */
  syncWindowDays: number;
  /** Status for a LastChangeDate older than the window (default 406). */
  windowStatus: number;
  /** Search page size default (20) and maximum (1000; above → 406). */
  defaultLimit: number;
  maxLimit: number;
  /** `Offset` = records skipped (0, default) or 1-based index of the first record (1). */
  offsetBase: 0 | 1;
  /** Body of a 404 (default `{"errorCode":404,"errorText":"Not Found"}`). */
  notFoundBody: unknown;
  /** Partial PostCode: outward-code match (`segment`, official) or plain prefix (`prefix`). */
  postCodeMode: "segment" | "prefix";
  /** Deleted-organisation notices older than this many days are dropped (default 185). */
  notificationDays: number;
}

/** Default {@link OrdConfig}. */
export function defaultOrdConfig(): OrdConfig {
  return {
    emptySyncShape: "array",
    syncWindowDays: 185,
    windowStatus: 406,
    defaultLimit: 20,
    maxLimit: 1000,
    offsetBase: 0,
    notFoundBody: { errorCode: 404, errorText: "Not Found" },
    postCodeMode: "segment",
    notificationDays: 185,
  };
}

/** What the ORD handlers need. */
export interface OrdContext {
  dataset: OdsDataset;
  /** Today (Europe/London) per the simulator clock. */
  today: string;
  /** Absolute base URL, e.g. `http://127.0.0.1:1234/ORD/2-0-0`. */
  ordBaseUrl: string;
  config: OrdConfig;
}

const JSON_TYPE = "application/json; charset=utf-8";

function json(status: number, body: unknown, headers: Record<string, string> = {}): SimResponse {
  return { status, headers: { "content-type": JSON_TYPE, ...headers }, json: body };
}

function notAcceptable(text = "Not Acceptable"): SimResponse {
  return json(406, { errorCode: 406, errorText: text });
}

/** Case-insensitive query lookup: first value of `name`, or null. */
function param(url: URL, name: string): string | null {
  const lower = name.toLowerCase();
  for (const [k, v] of url.searchParams) if (k.toLowerCase() === lower) return v;
  return null;
}

/** The OrgLink of a code. */
export function orgLink(ordBaseUrl: string, code: string): string {
  return `${ordBaseUrl}/organisations/${code}`;
}

/** Search summary item in the exact §1.2 shape. */
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

/** ORD PostCode matching (see {@link OrdConfig.postCodeMode}). */
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

function checkWindowDate(
  value: string | null,
  ctx: OrdContext,
): { ok: true; date: string } | { ok: false; res: SimResponse } {
  if (value === null || !isIsoDate(value)) return { ok: false, res: notAcceptable() };
  if (value < addDays(ctx.today, -ctx.config.syncWindowDays)) {
    return {
      ok: false,
      res: json(ctx.config.windowStatus, {
        errorCode: ctx.config.windowStatus,
        errorText: `LastChangeDate must be within the last ${ctx.config.syncWindowDays} days`,
      }),
    };
  }
  return { ok: true, date: value };
}

/** `GET /sync?LastChangeDate=YYYY-MM-DD`: all published codes with LastChangeDate ≥ date. */
export function handleSync(url: URL, ctx: OrdContext): SimResponse {
  const check = checkWindowDate(param(url, "LastChangeDate"), ctx);
  if (!check.ok) return check.res;
  const links: { OrgLink: string }[] = [];
  for (const org of ctx.dataset.records()) {
    if (org.LastChangeDate >= check.date) {
      links.push({ OrgLink: orgLink(ctx.ordBaseUrl, org.OrgId.extension) });
    }
  }
  const headers = { "x-total-count": String(links.length) };
  if (links.length === 0 && ctx.config.emptySyncShape === "object") return json(200, {}, headers);
  return json(200, { Organisations: links }, headers);
}

function splitList(v: string | null): string[] {
  return v === null ? [] : v.split(",").map((s) => s.trim().toUpperCase()).filter((s) => s);
}

/** `GET /organisations?...`: paged search with `X-Total-Count`, `Returned-Records`, `Next-Page`. */
export function handleSearch(url: URL, ctx: OrdContext): SimResponse {
  const cfg = ctx.config;
  const limitRaw = param(url, "Limit");
  const offsetRaw = param(url, "Offset");
  let limit = cfg.defaultLimit;
  if (limitRaw !== null) {
    if (!/^\d+$/.test(limitRaw)) return notAcceptable();
    limit = Number(limitRaw);
    if (limit < 1 || limit > cfg.maxLimit) return notAcceptable();
  }
  let skip = 0;
  if (offsetRaw !== null) {
    if (!/^\d+$/.test(offsetRaw) || Number(offsetRaw) === 0) return notAcceptable();
    skip = Number(offsetRaw) - cfg.offsetBase;
  }
  let since: string | null = null;
  const lcd = param(url, "LastChangeDate");
  if (lcd !== null) {
    const check = checkWindowDate(lcd, ctx);
    if (!check.ok) return check.res;
    since = check.date;
  }
  const name = param(url, "Name")?.toUpperCase() ?? null;
  const postCode = param(url, "PostCode");
  const status = param(url, "Status")?.toLowerCase() ?? null;
  const primary = splitList(param(url, "PrimaryRoleId"));
  const nonPrimary = splitList(param(url, "NonPrimaryRoleId"));
  const roles = splitList(param(url, "Roles"));
  const recordClass = param(url, "OrgRecordClass")?.toUpperCase() ?? null;
  const relTypes = splitList(param(url, "RelTypeId"));
  const targetOrg = param(url, "TargetOrgId")?.toUpperCase() ?? null;
  const relStatus = param(url, "RelStatus")?.toLowerCase() ?? null;

  const matches: OrdOrganisation[] = [];
  for (const org of ctx.dataset.records()) {
    if (name !== null && !org.Name.toUpperCase().includes(name)) continue;
    if (
      postCode !== null &&
      !postCodeMatches(org.GeoLoc?.Location?.PostCode, postCode, cfg.postCodeMode)
    ) {
      continue;
    }
    if (status !== null && org.Status.toLowerCase() !== status) continue;
    if (since !== null && org.LastChangeDate < since) continue;
    if (recordClass !== null && org.orgRecordClass !== recordClass) continue;
    const orgRoles = org.Roles?.Role ?? [];
    if (
      primary.length > 0 && !orgRoles.some((r) => r.primaryRole === true && primary.includes(r.id))
    ) {
      continue;
    }
    if (
      nonPrimary.length > 0 &&
      !orgRoles.some((r) => r.primaryRole !== true && nonPrimary.includes(r.id))
    ) {
      continue;
    }
    if (roles.length > 0 && !orgRoles.some((r) => roles.includes(r.id))) continue;
    if (relTypes.length > 0 || targetOrg !== null || relStatus !== null) {
      const ok = (org.Rels?.Rel ?? []).some((r) =>
        (relTypes.length === 0 || relTypes.includes(r.id)) &&
        (targetOrg === null || r.Target.OrgId.extension.toUpperCase() === targetOrg) &&
        (relStatus === null || r.Status.toLowerCase() === relStatus)
      );
      if (!ok) continue;
    }
    matches.push(org);
  }
  const page = matches.slice(Math.max(0, skip), Math.max(0, skip) + limit);
  const headers: Record<string, string> = {
    "x-total-count": String(matches.length),
    "returned-records": String(page.length),
  };
  const nextSkip = Math.max(0, skip) + limit;
  if (nextSkip < matches.length) {
    const next = new URL(`${ctx.ordBaseUrl}/organisations`);
    for (const [k, v] of url.searchParams) {
      const lk = k.toLowerCase();
      if (lk !== "limit" && lk !== "offset") next.searchParams.append(k, v);
    }
    next.searchParams.set("Limit", String(limit));
    next.searchParams.set("Offset", String(nextSkip + cfg.offsetBase));
    headers["next-page"] = next.toString();
  }
  return json(200, { Organisations: page.map((o) => summaryOf(o, ctx.ordBaseUrl)) }, headers);
}

function roleItem(id: string): Record<string, unknown> {
  const info = ROLES[id];
  return {
    id,
    code: id.replace(/^RO/, ""),
    displayName: info?.displayName ?? id,
    primaryRole: info?.primary ? "true" : "false",
  };
}

function refList(
  key: string,
  table: Readonly<Record<string, unknown>>,
  item: (id: string) => Record<string, unknown>,
  id: string | undefined,
  ctx: OrdContext,
): SimResponse {
  if (id === undefined) return json(200, { [key]: Object.keys(table).map(item) });
  const found = Object.keys(table).find((k) => k.toUpperCase() === id.toUpperCase());
  if (!found) return json(404, ctx.config.notFoundBody);
  return json(200, { [key]: [item(found)] });
}

/**
 * Routes an ORD request. `path` is the part after `/ORD/2-0-0` (e.g. `/sync`).
 * Returns null when the path is not an ORD route.
 */
export function handleOrd(
  method: string,
  path: string,
  url: URL,
  ctx: OrdContext,
): SimResponse | null {
  if (method !== "GET" && method !== "HEAD") {
    return json(405, { errorCode: 405, errorText: "Method Not Allowed" });
  }
  const fmt = param(url, "_format")?.toLowerCase();
  if (fmt !== undefined && fmt.includes("xml")) {
    // Assumption: XML is not implemented by the simulator (our clients only send JSON).
    return notAcceptable("XML format is not supported by the simulator");
  }
  const parts = path.split("/").filter((p) => p).map(decodeURIComponent);
  const [head, id, extra] = parts;
  if (extra !== undefined) return json(404, ctx.config.notFoundBody);
  switch (head?.toLowerCase()) {
    case "organisations": {
      if (id === undefined) return handleSearch(url, ctx);
      const org = ctx.dataset.get(id);
      if (!org) return json(404, ctx.config.notFoundBody);
      return json(200, { Organisation: org });
    }
    case "sync":
      return id === undefined ? handleSync(url, ctx) : json(404, ctx.config.notFoundBody);
    case "roles":
      return refList("Roles", ROLES, roleItem, id, ctx);
    case "rels":
      return refList(
        "Relationships",
        RELATIONSHIPS,
        (k) => ({
          id: k,
          code: k.replace(/^RE/, ""),
          displayName: RELATIONSHIPS[k],
        }),
        id,
        ctx,
      );
    case "recordclasses":
      return refList(
        "RecordClasses",
        RECORD_CLASSES,
        (k) => ({
          id: k,
          code: k.replace(/^RC/, ""),
          displayName: RECORD_CLASSES[k],
        }),
        id,
        ctx,
      );
    case "notifications": {
      const cutoff = addDays(ctx.today, -ctx.config.notificationDays);
      const list = ctx.dataset.notifications().filter((n) => n.time.slice(0, 10) >= cutoff);
      return json(200, { DeletedOrganisations: list });
    }
    default:
      return null;
  }
}
