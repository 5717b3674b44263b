/**
 * Fault injection for the ODS simulator.
 *
 * Rules match requests by method and path glob (`*` matches anything, case-insensitive, whole
 * path) and trigger on given call numbers (`nth`), from a call number on (`from`), at most
 * `times` times, and/or with a `probability` drawn from a seeded PRNG.  Also: a global token
 * bucket rate limit and a fixed per-request latency.
 *
 * Handlers return a {@link SimResponse}; the server applies triggered faults to it before
 * turning it into a real `Response`.
 *
 * @module
 */

import { addDays, isIsoDate } from "./clock.ts";
import { cloneJson, mulberry32, type OrdOrganisation } from "./dataset.ts";

/** A response before serialization: either a JSON value or a text body. */
export interface SimResponse {
  status: number;
  statusText?: string;
  headers: Record<string, string>;
  json?: unknown;
  text?: string;
}

/** Record-level malformations applied to `/organisations/{code}` bodies. */
export type MalformedVariant =
  | "missingRoles"
  | "missingGeoLoc"
  | "missingContacts"
  | "missingRels"
  | "twoPrimaryRoles"
  | "relBareObject"
  | "stringUniqueRoleId"
  | "unknownRoleCode";

/** All malformed variants. */
export const MALFORMED_VARIANTS: readonly MalformedVariant[] = [
  "missingRoles",
  "missingGeoLoc",
  "missingContacts",
  "missingRels",
  "twoPrimaryRoles",
  "relBareObject",
  "stringUniqueRoleId",
  "unknownRoleCode",
];

/** What a triggered rule does. */
export type FaultAction =
  /** Respond with `status` (e.g. 429 + Retry-After, 500, 502, 503, 504, 404). */
  | { kind: "status"; status: number; retryAfter?: number; body?: string; contentType?: string }
  /** Send headers and `afterBytes` bytes of the body (default 0), then abort the connection. */
  | { kind: "reset"; afterBytes?: number }
  /** Wait `ms` before responding (combines with other faults). */
  | { kind: "delay"; ms: number }
  /** Serve only the first `bytes` bytes of the body (default half) as a complete response. */
  | { kind: "truncate"; bytes?: number }
  /** Serve an HTML error page with `status` (default 502; 200 simulates a captive proxy). */
  | { kind: "html"; status?: number }
  /** Corrupt the served ORD record. */
  | { kind: "malformed"; variant: MalformedVariant }
  /** Add an OrgLink to a code that 404s (default `ZZ404`) to sync responses. */
  | { kind: "danglingOrgLink"; code?: string }
  /** Serve the previous published version (or LastChangeDate minus `days`, default 30). */
  | { kind: "stale"; days?: number }
  /** Duplicate the first `count` OrgLinks (default all) in sync responses. */
  | { kind: "duplicateOrgLinks"; count?: number };

/** When a rule applies. */
export interface FaultMatch {
  /** Optional id (generated when absent). */
  id?: string;
  /** Path glob, e.g. `/ORD/2-0-0/sync`, `*\/organisations/*`, `/fhir/*`. */
  path: string;
  /** HTTP method (default any). */
  method?: string;
  /** 1-based call numbers (among calls matching this rule) that trigger. */
  nth?: number | number[];
  /** Trigger from this call number on. */
  from?: number;
  /** Trigger at most this many times. */
  times?: number;
  /** Trigger with this probability (seeded PRNG). */
  probability?: number;
}

/** A fault rule. */
export type FaultRule = FaultMatch & FaultAction;

/** A registered rule with its counters. */
export interface ActiveFault {
  id: string;
  rule: FaultRule;
  /** Matching calls seen. */
  calls: number;
  /** Times triggered. */
  triggered: number;
}

/** Token-bucket rate limit: `perSecond` refill, `burst` capacity (default `perSecond`). */
export interface RateLimit {
  perSecond: number;
  burst?: number;
}

/** Options for {@link Faults}. */
export interface FaultsOptions {
  seed?: number;
  rules?: FaultRule[];
  rateLimit?: RateLimit | null;
  latencyMs?: number;
}

/** Anchored, case-insensitive glob match where `*` matches any run of characters. */
export function globMatch(pattern: string, path: string): boolean {
  const re = new RegExp(
    "^" + pattern.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*") + "$",
    "i",
  );
  return re.test(path);
}

/** Fault registry, counters, rate limiter and latency knob. */
export class Faults {
  #rules: ActiveFault[] = [];
  #rng: () => number;
  #seq = 0;
  #tokens = 0;
  #lastRefill = 0;
  /** Global token-bucket limit (null = off). */
  rateLimit: RateLimit | null;
  /** Fixed latency added to every request, ms. */
  latencyMs: number;

  /** Creates a registry; see {@link FaultsOptions}. */
  constructor(options: FaultsOptions = {}) {
    this.#rng = mulberry32(options.seed ?? 42);
    this.rateLimit = options.rateLimit ?? null;
    this.latencyMs = options.latencyMs ?? 0;
    for (const r of options.rules ?? []) this.add(r);
  }

  /** Registers a rule; returns its id. */
  add(rule: FaultRule): string {
    const id = rule.id ?? `f${++this.#seq}`;
    this.#rules.push({ id, rule: { ...rule, id }, calls: 0, triggered: 0 });
    return id;
  }

  /** Removes a rule by id. */
  remove(id: string): boolean {
    const n = this.#rules.length;
    this.#rules = this.#rules.filter((r) => r.id !== id);
    return this.#rules.length !== n;
  }

  /** Removes every rule. */
  clear(): void {
    this.#rules = [];
  }

  /** Clears rules, rate limit and latency, and reseeds the PRNG. */
  reset(seed = 42): void {
    this.clear();
    this.rateLimit = null;
    this.latencyMs = 0;
    this.#rng = mulberry32(seed);
    this.#tokens = 0;
    this.#lastRefill = 0;
  }

  /** Registered rules with counters. */
  list(): readonly ActiveFault[] {
    return this.#rules;
  }

  /** Counts a request against every matching rule and returns the rules that trigger. */
  match(method: string, path: string): FaultRule[] {
    const out: FaultRule[] = [];
    for (const a of this.#rules) {
      const r = a.rule;
      if (r.method && r.method.toUpperCase() !== method.toUpperCase()) continue;
      if (!globMatch(r.path, path)) continue;
      a.calls++;
      if (r.nth !== undefined) {
        const list = Array.isArray(r.nth) ? r.nth : [r.nth];
        if (!list.includes(a.calls)) continue;
      }
      if (r.from !== undefined && a.calls < r.from) continue;
      if (r.times !== undefined && a.triggered >= r.times) continue;
      if (r.probability !== undefined && !(this.#rng() < r.probability)) continue;
      a.triggered++;
      out.push(r);
    }
    return out;
  }

  /** Takes a token from the global bucket; false when rate limited. */
  tryTake(nowMs: number = performance.now()): boolean {
    const rl = this.rateLimit;
    if (!rl) return true;
    const cap = rl.burst ?? rl.perSecond;
    if (this.#lastRefill === 0) {
      this.#tokens = cap;
      this.#lastRefill = nowMs;
    }
    this.#tokens = Math.min(cap, this.#tokens + ((nowMs - this.#lastRefill) / 1000) * rl.perSecond);
    this.#lastRefill = nowMs;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return true;
    }
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Validation of rules received over HTTP.
// ---------------------------------------------------------------------------------------------

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function optNum(o: Record<string, unknown>, k: string): number | undefined {
  const v = o[k];
  if (v === undefined) return undefined;
  if (typeof v !== "number" || !Number.isFinite(v)) throw new TypeError(`${k} must be a number`);
  return v;
}

function optStr(o: Record<string, unknown>, k: string): string | undefined {
  const v = o[k];
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw new TypeError(`${k} must be a string`);
  return v;
}

/** Validates an untrusted value (e.g. JSON from `/_sim/faults`) as a {@link FaultRule}. */
export function parseFaultRule(u: unknown): FaultRule {
  if (!isRecord(u)) throw new TypeError("fault rule must be an object");
  const path = optStr(u, "path");
  if (!path) throw new TypeError("path is required");
  let nth: number | number[] | undefined;
  if (Array.isArray(u.nth)) {
    nth = u.nth.map((x) => {
      if (typeof x !== "number") throw new TypeError("nth must be numbers");
      return x;
    });
  } else nth = optNum(u, "nth");
  const match: FaultMatch = {
    id: optStr(u, "id"),
    path,
    method: optStr(u, "method"),
    nth,
    from: optNum(u, "from"),
    times: optNum(u, "times"),
    probability: optNum(u, "probability"),
  };
  for (const k of Object.keys(match) as (keyof FaultMatch)[]) {
    if (match[k] === undefined) delete match[k];
  }
  const kind = optStr(u, "kind");
  switch (kind) {
    case "status": {
      const status = optNum(u, "status");
      if (status === undefined) throw new TypeError("status is required");
      const a: FaultAction = { kind, status };
      const retryAfter = optNum(u, "retryAfter");
      if (retryAfter !== undefined) a.retryAfter = retryAfter;
      const body = optStr(u, "body");
      if (body !== undefined) a.body = body;
      const contentType = optStr(u, "contentType");
      if (contentType !== undefined) a.contentType = contentType;
      return { ...match, ...a };
    }
    case "reset":
      return { ...match, kind, afterBytes: optNum(u, "afterBytes") };
    case "delay": {
      const ms = optNum(u, "ms");
      if (ms === undefined) throw new TypeError("ms is required");
      return { ...match, kind, ms };
    }
    case "truncate":
      return { ...match, kind, bytes: optNum(u, "bytes") };
    case "html":
      return { ...match, kind, status: optNum(u, "status") };
    case "malformed": {
      const variant = MALFORMED_VARIANTS.find((v) => v === u.variant);
      if (!variant) throw new TypeError(`variant must be one of ${MALFORMED_VARIANTS.join(", ")}`);
      return { ...match, kind, variant };
    }
    case "danglingOrgLink":
      return { ...match, kind, code: optStr(u, "code") };
    case "stale":
      return { ...match, kind, days: optNum(u, "days") };
    case "duplicateOrgLinks":
      return { ...match, kind, count: optNum(u, "count") };
    default:
      throw new TypeError(`unknown fault kind ${String(kind)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Pure body transformations.
// ---------------------------------------------------------------------------------------------

/** An HTML error page like the ones proxies and load balancers return. */
export function htmlErrorPage(status: number): string {
  const title = status === 200 ? "Service Unavailable" : `${status} ${statusReason(status)}`;
  return `<!DOCTYPE html>\n<html><head><title>${title}</title></head>` +
    `<body><h1>${title}</h1><p>The server encountered a temporary error and could not ` +
    `complete your request.</p><hr><address>nginx</address></body></html>\n`;
}

/** Reason phrase for common statuses. */
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

/** Serves a stale replica: the prior version if known, else LastChangeDate moved back. */
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

/** Adds an OrgLink to `code` (which does not exist) to a sync body. */
export function addDanglingOrgLink(body: unknown, ordBaseUrl: string, code = "ZZ404"): unknown {
  const links = orgLinks(body) ?? [];
  const extra = { OrgLink: `${ordBaseUrl}/organisations/${code}` };
  const at = Math.floor(links.length / 2);
  return { Organisations: [...links.slice(0, at), extra, ...links.slice(at)] };
}

/** Duplicates the first `count` (default all) OrgLinks of a sync body. */
export function duplicateOrgLinks(body: unknown, count?: number): unknown {
  const links = orgLinks(body);
  if (!links) return body;
  const n = Math.min(count ?? links.length, links.length);
  return { Organisations: [...links, ...links.slice(0, n)] };
}

/** First `bytes` bytes (default half) of `text`, cut on a UTF-8 byte boundary. */
export function truncateText(text: string, bytes?: number): Uint8Array<ArrayBuffer> {
  const all = new TextEncoder().encode(text);
  const n = Math.max(0, Math.min(all.length - 1, bytes ?? Math.floor(all.length / 2)));
  return all.slice(0, n);
}
