/**
 * What every FHIR route of the simulator shares: tunable behaviour (API key, rate limit, size
 * cap, page size), the call-window limiter, the handler context, and OperationOutcome errors
 * like the HAPI-based real service returns.
 *
 * @module
 */

import type { OdsDataset } from "./dataset.ts";
import type { SimResponse } from "./response.ts";

/** The content type of FHIR responses. */
export const FHIR_JSON = "application/fhir+json;charset=UTF-8";

/** Tunable FHIR behaviour. */
export interface FhirConfig {
  /** Required `apikey` header value; null = no key needed (like the sandbox). */
  apiKey: string | null;
  /** Calls allowed per window (default 5,000 per 300,000 ms); null = unlimited. */
  rateLimit: { limit: number; windowMs: number } | null;
  /** Largest response body in bytes before 422 too-costly (default 10 MB). */
  maxResponseBytes: number;
  /** `_count` default (20). */
  defaultCount: number;
  /**
   * `postcode` `$lookup` matching: `exact` (default: the code as the directory writes it,
   * upper case with one space, `CB2 0QQ`) or `normalised` (any case and spacing).
   */
  postcodeMatch: "exact" | "normalised";
}

/**
 * Default {@link FhirConfig}.
 *
 * @example
 * ```ts
 * import { defaultFhirConfig } from "./fhir_context.ts";
 * import { equal } from "node:assert/strict";
 * equal(defaultFhirConfig().defaultCount, 20);
 * ```
 */
export function defaultFhirConfig(): FhirConfig {
  return {
    apiKey: null,
    rateLimit: { limit: 5000, windowMs: 300_000 },
    maxResponseBytes: 10 * 1024 * 1024,
    defaultCount: 20,
    postcodeMatch: "exact",
  };
}

/**
 * Sliding-window call counter for the FHIR rate limit.
 *
 * @example
 * ```ts
 * import { WindowLimiter } from "./fhir_context.ts";
 * import { equal } from "node:assert/strict";
 * const limiter = new WindowLimiter();
 * equal(limiter.take(1, 1000, 0), true);
 * equal(limiter.take(1, 1000, 500), false);
 * equal(limiter.take(1, 1000, 1001), true);
 * ```
 */
export class WindowLimiter {
  #calls: number[] = [];
  /** Records a call at `nowMs`; false when over `limit` calls within `windowMs`. */
  take(limit: number, windowMs: number, nowMs: number = Date.now()): boolean {
    const cutoff = nowMs - windowMs;
    let i = 0;
    while (i < this.#calls.length && this.#calls[i] <= cutoff) i++;
    if (i > 0) this.#calls.splice(0, i);
    if (this.#calls.length >= limit) return false;
    this.#calls.push(nowMs);
    return true;
  }
  /** Forgets all calls. */
  reset(): void {
    this.#calls = [];
  }
}

/** What the FHIR handlers need. */
export interface FhirContext {
  dataset: OdsDataset;
  /** Absolute base, e.g. `http://127.0.0.1:1234/fhir`. */
  fhirBaseUrl: string;
  config: FhirConfig;
  limiter: WindowLimiter;

  loadedAt: string;
}

/**
 * A FHIR JSON {@link SimResponse}.
 *
 * @example
 * ```ts
 * import { fhirJson } from "./fhir_context.ts";
 * import { equal } from "node:assert/strict";
 * equal(fhirJson(200, {}).headers["content-type"], "application/fhir+json;charset=UTF-8");
 * ```
 */
export function fhirJson(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): SimResponse {
  return { status, headers: { "content-type": FHIR_JSON, ...headers }, json: body };
}

/**
 * An OperationOutcome response like the HAPI-based real service returns.
 *
 * @example
 * ```ts
 * import { operationOutcome } from "./fhir_context.ts";
 * import { equal } from "node:assert/strict";
 * const res = operationOutcome(404, "processing", "HAPI-2001: not known");
 * equal((res.json as { resourceType: string }).resourceType, "OperationOutcome");
 * ```
 */
export function operationOutcome(
  status: number,
  code: string,
  diagnostics: string,
  details?: string,
): SimResponse {
  const issue: Record<string, unknown> = { severity: "error", code };
  if (details) issue.details = { text: details };
  issue.diagnostics = diagnostics;
  return fhirJson(status, {
    resourceType: "OperationOutcome",
    text: {
      status: "generated",
      div: `<div xmlns="http://www.w3.org/1999/xhtml"><h1>Operation Outcome</h1>` +
        `<table border="0"><tr><td style="font-weight: bold;">ERROR</td><td>[]</td><td>` +
        `${escapeHtml(diagnostics)}</td></tr></table></div>`,
    },
    issue: [issue],
  });
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(
    /"/g,
    "&quot;",
  );
}

/**
 * The HAPI-2001 404 of a resource that isn't held.
 *
 * @example
 * ```ts
 * import { notKnown } from "./fhir_context.ts";
 * import { equal } from "node:assert/strict";
 * equal(notKnown("Organization", "XXX1").status, 404);
 * ```
 */
export function notKnown(type: string, id: string): SimResponse {
  return operationOutcome(404, "processing", `HAPI-2001: Resource ${type}/${id} is not known`);
}
