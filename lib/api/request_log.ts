/**
 * One structured log line per request: method, path, matched route, status and duration.
 * Never the query string (values may be secrets) nor any header (API keys).
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { log } from "../log.ts";

/** Longest path logged; longer ones are cut. */
const MAX_PATH = 200;

/** Request logging middleware; put it first so it times everything. */
export function requestLog(): MiddlewareHandler {
  return async (c, next) => {
    const start = performance.now();
    try {
      await next();
    } finally {
      const path = new URL(c.req.url).pathname;
      log(c.res.status >= 500 ? "error" : "info", "request", {
        method: c.req.method,
        path: path.length > MAX_PATH ? `${path.slice(0, MAX_PATH)}…` : path,
        route: c.req.routePath,
        status: c.res.status,
        ms: Math.round((performance.now() - start) * 100) / 100,
      });
    }
  };
}
