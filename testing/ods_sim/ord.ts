/**
 * ORD 2-0-0 routes of the simulator (`/ORD/2-0-0/...`), serving only the published state.
 *
 * Routes: `/organisations/{code}`, `/organisations` (search), `/sync`, `/roles[/id]`,
 * `/rels[/id]`, `/recordclasses[/id]`, `/notifications`.  Handlers are pure functions of the
 * request URL and a context; they return a {@link SimResponse} so faults can alter the body.
 *
 * @module
 */

import { addDays } from "./clock.ts";
import { checkWindowDate, notAcceptable, type OrdContext, orgLink, param } from "./ord_context.ts";
import { handleSearch } from "./ord_search.ts";
import { RECORD_CLASSES, RELATIONSHIPS, ROLES } from "./reference.ts";
import { simJson as json, type SimResponse } from "./response.ts";

/**
 * `GET /sync?LastChangeDate=YYYY-MM-DD`: all published codes with LastChangeDate ≥ date.
 *
 * @example
 * ```ts
 * import { OdsDataset } from "./dataset.ts";
 * import { handleSync } from "./ord.ts";
 * import { defaultOrdConfig } from "./ord_context.ts";
 * import { equal } from "node:assert/strict";
 * const ctx = {
 *   dataset: new OdsDataset({ today: () => "2025-06-10" }),
 *   today: "2025-06-10",
 *   ordBaseUrl: "http://sim/ORD/2-0-0",
 *   config: defaultOrdConfig(),
 * };
 * const res = handleSync(new URL("http://sim/ORD/2-0-0/sync?LastChangeDate=2025-06-01"), ctx);
 * equal(res.headers["x-total-count"], "0");
 * ```
 */
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

function relItem(k: string): Record<string, unknown> {
  return { id: k, code: k.replace(/^RE/, ""), displayName: RELATIONSHIPS[k] };
}

function recordClassItem(k: string): Record<string, unknown> {
  return { id: k, code: k.replace(/^RC/, ""), displayName: RECORD_CLASSES[k] };
}

/**
 * `GET /organisations/{code}`: the full published record.
 *
 * @example
 * ```ts
 * import { OdsDataset } from "./dataset.ts";
 * import { handleRecord } from "./ord.ts";
 * import { defaultOrdConfig } from "./ord_context.ts";
 * import { sampleRJY } from "./samples.ts";
 * import { equal } from "node:assert/strict";
 * const ctx = {
 *   dataset: new OdsDataset({ records: [sampleRJY()], today: () => "2025-06-10" }),
 *   today: "2025-06-10",
 *   ordBaseUrl: "http://sim/ORD/2-0-0",
 *   config: defaultOrdConfig(),
 * };
 * equal(handleRecord("rjy", ctx).status, 200);
 * equal(handleRecord("ZZZ99", ctx).status, 404);
 * ```
 */
export function handleRecord(code: string, ctx: OrdContext): SimResponse {
  const org = ctx.dataset.get(code);
  if (!org) return json(404, ctx.config.notFoundBody);
  return json(200, { Organisation: org });
}

/**
 * `GET /notifications`: deletion notices of the last `notificationDays` days.
 *
 * @example
 * ```ts
 * import { OdsDataset } from "./dataset.ts";
 * import { handleNotifications } from "./ord.ts";
 * import { defaultOrdConfig } from "./ord_context.ts";
 * import { deepEqual } from "node:assert/strict";
 * const ctx = {
 *   dataset: new OdsDataset({ today: () => "2025-06-10" }),
 *   today: "2025-06-10",
 *   ordBaseUrl: "http://sim/ORD/2-0-0",
 *   config: defaultOrdConfig(),
 * };
 * deepEqual(handleNotifications(ctx).json, { DeletedOrganisations: [] });
 * ```
 */
export function handleNotifications(ctx: OrdContext): SimResponse {
  const cutoff = addDays(ctx.today, -ctx.config.notificationDays);
  const list = ctx.dataset.notifications().filter((n) => n.time.slice(0, 10) >= cutoff);
  return json(200, { DeletedOrganisations: list });
}

/** One ORD endpoint: the path's first segment and its optional id. */
type OrdEndpoint = (url: URL, id: string | undefined, ctx: OrdContext) => SimResponse;

const notFound = (ctx: OrdContext) => json(404, ctx.config.notFoundBody);

const ENDPOINTS = new Map<string, OrdEndpoint>(Object.entries(
  {
    organisations: (url, id, ctx) =>
      id === undefined ? handleSearch(url, ctx) : handleRecord(id, ctx),
    sync: (url, id, ctx) => id === undefined ? handleSync(url, ctx) : notFound(ctx),
    roles: (_url, id, ctx) => refList("Roles", ROLES, roleItem, id, ctx),
    rels: (_url, id, ctx) => refList("Relationships", RELATIONSHIPS, relItem, id, ctx),
    recordclasses: (_url, id, ctx) =>
      refList("RecordClasses", RECORD_CLASSES, recordClassItem, id, ctx),
    notifications: (_url, _id, ctx) => handleNotifications(ctx),
  } satisfies Record<string, OrdEndpoint>,
));

/**
 * Routes an ORD request. `path` is the part after `/ORD/2-0-0` (e.g. `/sync`).
 * Returns null when the path is not an ORD route.
 *
 * @example
 * ```ts
 * import { OdsDataset } from "./dataset.ts";
 * import { handleOrd } from "./ord.ts";
 * import { defaultOrdConfig } from "./ord_context.ts";
 * import { equal } from "node:assert/strict";
 * const ctx = {
 *   dataset: new OdsDataset({ today: () => "2025-06-10" }),
 *   today: "2025-06-10",
 *   ordBaseUrl: "http://sim/ORD/2-0-0",
 *   config: defaultOrdConfig(),
 * };
 * const url = new URL("http://sim/ORD/2-0-0/sync?LastChangeDate=2025-06-01");
 * equal(handleOrd("GET", "/sync", url, ctx)?.status, 200);
 * equal(handleOrd("GET", "/nowhere", url, ctx), null);
 * ```
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
  const endpoint = head === undefined ? undefined : ENDPOINTS.get(head.toLowerCase());
  if (!endpoint) return extra !== undefined ? notFound(ctx) : null;
  if (extra !== undefined) return notFound(ctx);
  return endpoint(url, id, ctx);
}
