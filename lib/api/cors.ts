/**
 * CORS for a read-only API: any origin may read. Headers are set before the handler runs, so
 * they are part of the response as it is created (adding headers to a finished response is
 * much slower in Deno).
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";

/** Options for {@linkcode readCors}. */
export interface ReadCorsOptions {
  allowMethods: readonly string[];
  allowHeaders: readonly string[];
  exposeHeaders: readonly string[];
  /** Seconds a browser may cache a preflight answer. */
  maxAge: number;
}

/**
 * `Access-Control-Allow-Origin: *` on every response, and `204` answers to preflight requests.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { readCors } from "./cors.ts";
 * const app = new Hono();
 * app.use("*", readCors({ allowMethods: ["GET"], allowHeaders: [], exposeHeaders: ["ETag"], maxAge: 600 }));
 * app.get("/", (c) => c.text("ok"));
 * const res = await app.request("/");
 * if (res.headers.get("Access-Control-Allow-Origin") !== "*") throw new Error("no CORS header");
 * ```
 */
export function readCors(options: ReadCorsOptions): MiddlewareHandler {
  const expose = options.exposeHeaders.join(", ");
  const preflight = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": options.allowMethods.join(", "),
    "Access-Control-Allow-Headers": options.allowHeaders.join(", "),
    "Access-Control-Max-Age": String(options.maxAge),
    "Vary": "Access-Control-Request-Headers",
  };
  return async (c, next) => {
    if (c.req.method === "OPTIONS" && c.req.header("Access-Control-Request-Method")) {
      return new Response(null, { status: 204, headers: preflight });
    }
    c.header("Access-Control-Allow-Origin", "*");
    c.header("Access-Control-Expose-Headers", expose);
    await next();
  };
}
