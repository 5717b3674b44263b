/**
 * One structured log line per request: method, path, matched route, status and duration.
 * Never the query string (values may be secrets) nor any header (API keys), and not the
 * postcode of a postcode look-up (it may be a patient's): those are logged as `/postcodes/…/`.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { logRequest } from "../log.ts";

/** Longest path logged; longer ones are cut. */
const MAX_PATH = 200;

/** Request logging middleware; put it first so it times everything. */
export function requestLog(): MiddlewareHandler {
  return async (c, next) => {
    const start = performance.now();
    try {
      await next();
    } finally {
      const path = withoutPostcode(pathOf(c.req.url));
      logRequest(
        c.req.method,
        path.length > MAX_PATH ? `${path.slice(0, MAX_PATH)}…` : path,
        c.req.routePath,
        c.res.status,
        Math.round((performance.now() - start) * 100) / 100,
      );
    }
  };
}

/**
 * A path with the postcode of a postcode look-up left out.
 *
 * @example
 * ```ts
 * import { withoutPostcode } from "./request_log.ts";
 * withoutPostcode("/postcodes/CB2%200QQ/"); // "/postcodes/…/"
 * withoutPostcode("/trusts/RGT/"); // "/trusts/RGT/"
 * ```
 */
export function withoutPostcode(path: string): string {
  return /^\/postcodes\/[^/]/i.test(path) ? path.replace(/^(\/postcodes\/)[^/]+/i, "$1…") : path;
}

/**
 * The request target of an absolute URL: its path and query, as sent.
 *
 * @example
 * ```ts
 * import { targetOf } from "./request_log.ts";
 * targetOf("http://localhost:8000/trusts/?active=true"); // "/trusts/?active=true"
 * ```
 */
export function targetOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  return start < 0 ? "/" : url.slice(start);
}

/** The path of an absolute URL, as sent (trailing slash kept, no query). */
export function pathOf(url: string): string {
  const target = targetOf(url);
  const q = target.indexOf("?");
  return q < 0 ? target : target.slice(0, q);
}
