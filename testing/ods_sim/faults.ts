/**
 * Fault injection for the ODS simulator.
 *
 * Rules match requests by method and path glob (`*` matches anything, case-insensitive, whole
 * path) and trigger on given call numbers (`nth`), from a call number on (`from`), at most
 * `times` times, and/or with a `probability` drawn from a seeded PRNG.  Also: a global token
 * bucket rate limit and a fixed per-request latency.
 *
 * Handlers return a `SimResponse` (response.ts); the server applies triggered faults to it
 * before turning it into a real `Response` (rules are validated in fault_rules.ts, bodies
 * altered in fault_bodies.ts).
 *
 * @module
 */

import { mulberry32 } from "./random.ts";

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

/**
 * Anchored, case-insensitive glob match where `*` matches any run of characters.
 *
 * @example
 * ```ts
 * import { globMatch } from "./faults.ts";
 * import { equal } from "node:assert/strict";
 * equal(globMatch("/ord/2-0-0/*", "/ORD/2-0-0/SYNC"), true);
 * equal(globMatch("/fhir/*", "/ORD/2-0-0/sync"), false);
 * ```
 */
export function globMatch(pattern: string, path: string): boolean {
  const re = new RegExp(
    "^" + pattern.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*") + "$",
    "i",
  );
  return re.test(path);
}

/**
 * Fault registry, counters, rate limiter and latency knob.
 *
 * @example
 * ```ts
 * import { Faults } from "./faults.ts";
 * import { deepEqual } from "node:assert/strict";
 * const faults = new Faults({ rules: [{ path: "/ORD/*", nth: 2, kind: "status", status: 503 }] });
 * deepEqual(faults.match("GET", "/ORD/2-0-0/sync"), []);
 * deepEqual(faults.match("GET", "/ORD/2-0-0/sync").map((r) => r.kind), ["status"]);
 * ```
 */
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
