/**
 * What faults do to a response body: corrupt a record, serve a stale one, add dangling or
 * duplicate links, truncate, or replace it with a proxy's HTML error page. Pure functions.
 *
 * @module
 */

import { addDays, isIsoDate } from "./clock.ts";
import { cloneJson } from "./clone.ts";
import type { MalformedVariant } from "./faults.ts";
import type { OrdOrganisation } from "./ord_types.ts";

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * An HTML error page like the ones proxies and load balancers return.
 *
 * @example
 * ```ts
 * import { htmlErrorPage } from "./fault_bodies.ts";
 * import { match } from "node:assert/strict";
 * match(htmlErrorPage(502), /^<!DOCTYPE html>.*502 Bad Gateway/s);
 * ```
 */
export function htmlErrorPage(status: number): string {
  const title = status === 200 ? "Service Unavailable" : `${status} ${statusReason(status)}`;
  return `<!DOCTYPE html>\n<html><head><title>${title}</title></head>` +
    `<body><h1>${title}</h1><p>The server encountered a temporary error and could not ` +
    `complete your request.</p><hr><address>nginx</address></body></html>\n`;
}

/**
 * Reason phrase for common statuses.
 *
 * @example
 * ```ts
 * import { statusReason } from "./fault_bodies.ts";
 * import { equal } from "node:assert/strict";
 * equal(statusReason(429), "Too Many Requests");
 * equal(statusReason(418), "Error");
 * ```
 */
export function statusReason(status: number): string {
  const reasons: Record<number, string> = {
    200: "OK",
    400: "Bad Request",
    401: "Access Denied",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
  };
  return reasons[status] ?? "Error";
}

/**
 * Returns a corrupted copy of an ORD `{"Organisation":…}` body (other bodies are returned
 * unchanged).
 *
 * @example
 * ```ts
 * import { malformRecord } from "./fault_bodies.ts";
 * import { sampleRWR } from "./samples.ts";
 * import { equal } from "node:assert/strict";
 * const body = malformRecord({ Organisation: sampleRWR() }, "missingRoles") as {
 *   Organisation: Record<string, unknown>;
 * };
 * equal(body.Organisation.Roles, undefined);
 * ```
 */
export function malformRecord(body: unknown, variant: MalformedVariant): unknown {
  if (!isRecord(body) || !isRecord(body.Organisation)) return body;
  const copy = cloneJson(body);
  const org = copy.Organisation;
  if (!isRecord(org)) return copy;
  const roles = isRecord(org.Roles) && Array.isArray(org.Roles.Role) ? org.Roles.Role : [];
  const rels = isRecord(org.Rels) && Array.isArray(org.Rels.Rel) ? org.Rels.Rel : [];
  switch (variant) {
    case "missingRoles":
      delete org.Roles;
      break;
    case "missingGeoLoc":
      delete org.GeoLoc;
      break;
    case "missingContacts":
      delete org.Contacts;
      break;
    case "missingRels":
      delete org.Rels;
      break;
    case "twoPrimaryRoles": {
      const second = roles.find((r) => isRecord(r) && r.primaryRole !== true);
      if (isRecord(second)) second.primaryRole = true;
      else {
        roles.push({
          id: "RO57",
          uniqueRoleId: 999_999,
          primaryRole: true,
          Date: [{ Type: "Operational", Start: "2020-01-01" }],
          Status: "Active",
        });
      }
      break;
    }
    case "relBareObject":
      if (isRecord(org.Rels) && rels.length > 0) org.Rels.Rel = rels[0];
      break;
    case "stringUniqueRoleId":
      for (const r of roles) if (isRecord(r)) r.uniqueRoleId = String(r.uniqueRoleId);
      for (const r of rels) {
        if (isRecord(r) && isRecord(r.Target) && isRecord(r.Target.PrimaryRoleId)) {
          r.Target.PrimaryRoleId.uniqueRoleId = String(r.Target.PrimaryRoleId.uniqueRoleId);
        }
      }
      break;
    case "unknownRoleCode": {
      const primary = roles.find((r) => isRecord(r) && r.primaryRole === true);
      if (isRecord(primary)) primary.id = "RO999";
      break;
    }
  }
  return copy;
}

/**
 * Serves a stale replica: the prior version if known, else LastChangeDate moved back.
 *
 * @example
 * ```ts
 * import { staleRecord } from "./fault_bodies.ts";
 * import { sampleRJY } from "./samples.ts";
 * import { equal } from "node:assert/strict";
 * const stale = staleRecord({ Organisation: sampleRJY() }, undefined, 30) as {
 *   Organisation: { LastChangeDate: string };
 * };
 * equal(stale.Organisation.LastChangeDate, "2020-02-18");
 * ```
 */
export function staleRecord(
  body: unknown,
  prior: OrdOrganisation | undefined,
  days = 30,
): unknown {
  if (!isRecord(body) || !isRecord(body.Organisation)) return body;
  if (prior) return { Organisation: cloneJson(prior) };
  const copy = cloneJson(body);
  const org = copy.Organisation;
  if (isRecord(org) && typeof org.LastChangeDate === "string" && isIsoDate(org.LastChangeDate)) {
    org.LastChangeDate = addDays(org.LastChangeDate, -days);
  }
  return copy;
}

function orgLinks(body: unknown): { OrgLink: string }[] | null {
  if (!isRecord(body) || !Array.isArray(body.Organisations)) return null;
  const out: { OrgLink: string }[] = [];
  for (const item of body.Organisations) {
    if (isRecord(item) && typeof item.OrgLink === "string") out.push({ OrgLink: item.OrgLink });
  }
  return out;
}

/**
 * Adds an OrgLink to `code` (which does not exist) to a sync body.
 *
 * @example
 * ```ts
 * import { addDanglingOrgLink } from "./fault_bodies.ts";
 * import { deepEqual } from "node:assert/strict";
 * deepEqual(addDanglingOrgLink({ Organisations: [] }, "http://sim/ORD/2-0-0", "GONE1"), {
 *   Organisations: [{ OrgLink: "http://sim/ORD/2-0-0/organisations/GONE1" }],
 * });
 * ```
 */
export function addDanglingOrgLink(body: unknown, ordBaseUrl: string, code = "ZZ404"): unknown {
  const links = orgLinks(body) ?? [];
  const extra = { OrgLink: `${ordBaseUrl}/organisations/${code}` };
  const at = Math.floor(links.length / 2);
  return { Organisations: [...links.slice(0, at), extra, ...links.slice(at)] };
}

/**
 * Duplicates the first `count` (default all) OrgLinks of a sync body.
 *
 * @example
 * ```ts
 * import { duplicateOrgLinks } from "./fault_bodies.ts";
 * import { deepEqual } from "node:assert/strict";
 * const body = { Organisations: [{ OrgLink: "a" }, { OrgLink: "b" }] };
 * deepEqual(duplicateOrgLinks(body, 1), {
 *   Organisations: [{ OrgLink: "a" }, { OrgLink: "b" }, { OrgLink: "a" }],
 * });
 * ```
 */
export function duplicateOrgLinks(body: unknown, count?: number): unknown {
  const links = orgLinks(body);
  if (!links) return body;
  const n = Math.min(count ?? links.length, links.length);
  return { Organisations: [...links, ...links.slice(0, n)] };
}

/**
 * First `bytes` bytes (default half) of `text`, cut on a UTF-8 byte boundary.
 *
 * @example
 * ```ts
 * import { truncateText } from "./fault_bodies.ts";
 * import { equal } from "node:assert/strict";
 * equal(new TextDecoder().decode(truncateText('{"a":1}', 3)), '{"a');
 * ```
 */
export function truncateText(text: string, bytes?: number): Uint8Array<ArrayBuffer> {
  const all = new TextEncoder().encode(text);
  const n = Math.max(0, Math.min(all.length - 1, bytes ?? Math.floor(all.length / 2)));
  return all.slice(0, n);
}
