/**
 * Validation of fault rules received over HTTP (`POST /_sim/faults`).
 *
 * @module
 */

import { type FaultAction, type FaultMatch, type FaultRule, MALFORMED_VARIANTS } from "./faults.ts";

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

function parseMatch(u: Record<string, unknown>): FaultMatch {
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
  return match;
}

function parseStatus(u: Record<string, unknown>): FaultAction {
  const status = optNum(u, "status");
  if (status === undefined) throw new TypeError("status is required");
  const a: FaultAction = { kind: "status", status };
  const retryAfter = optNum(u, "retryAfter");
  if (retryAfter !== undefined) a.retryAfter = retryAfter;
  const body = optStr(u, "body");
  if (body !== undefined) a.body = body;
  const contentType = optStr(u, "contentType");
  if (contentType !== undefined) a.contentType = contentType;
  return a;
}

function parseAction(u: Record<string, unknown>): FaultAction {
  const kind = optStr(u, "kind");
  switch (kind) {
    case "status":
      return parseStatus(u);
    case "reset":
      return { kind, afterBytes: optNum(u, "afterBytes") };
    case "delay": {
      const ms = optNum(u, "ms");
      if (ms === undefined) throw new TypeError("ms is required");
      return { kind, ms };
    }
    case "truncate":
      return { kind, bytes: optNum(u, "bytes") };
    case "html":
      return { kind, status: optNum(u, "status") };
    case "malformed": {
      const variant = MALFORMED_VARIANTS.find((v) => v === u.variant);
      if (!variant) throw new TypeError(`variant must be one of ${MALFORMED_VARIANTS.join(", ")}`);
      return { kind, variant };
    }
    case "danglingOrgLink":
      return { kind, code: optStr(u, "code") };
    case "stale":
      return { kind, days: optNum(u, "days") };
    case "duplicateOrgLinks":
      return { kind, count: optNum(u, "count") };
    default:
      throw new TypeError(`unknown fault kind ${String(kind)}`);
  }
}

/**
 * Validates an untrusted value (e.g. JSON from `/_sim/faults`) as a {@link FaultRule}.
 *
 * @example
 * ```ts
 * import { parseFaultRule } from "./fault_rules.ts";
 * import { deepEqual, throws } from "node:assert/strict";
 * deepEqual(parseFaultRule({ path: "/ORD/2-0-0/sync", kind: "status", status: 503, times: 1 }), {
 *   path: "/ORD/2-0-0/sync",
 *   times: 1,
 *   kind: "status",
 *   status: 503,
 * });
 * throws(() => parseFaultRule({ path: "*", kind: "bogus" }));
 * ```
 */
export function parseFaultRule(u: unknown): FaultRule {
  if (!isRecord(u)) throw new TypeError("fault rule must be an object");
  const match = parseMatch(u);
  return { ...match, ...parseAction(u) };
}
