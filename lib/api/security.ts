/**
 * Security headers. Every answer says `X-Content-Type-Options: nosniff` (a JSON body is never
 * sniffed as HTML). The interactive API docs, the one page that runs scripts, also get a
 * Content-Security-Policy allowing only this site's own scripts, styles and requests, and may not
 * be framed.
 *
 * @module
 */
import type { Context, MiddlewareHandler } from "hono";

/** The header every answer carries. */
export const NOSNIFF = { name: "x-content-type-options", value: "nosniff" } as const;

/** The policy of the Swagger UI page: its own bundle and init script; inline styles it sets. */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

/**
 * `nosniff` on every answer the app gives.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { nosniff } from "./security.ts";
 * const app = new Hono();
 * app.use("*", nosniff());
 * app.get("/", (c) => c.json([]));
 * const res = await app.request("/");
 * if (res.headers.get("x-content-type-options") !== "nosniff") throw new Error("sniffable");
 * ```
 */
export function nosniff(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    try {
      c.res.headers.set(NOSNIFF.name, NOSNIFF.value);
    } catch {
      // an immutable response (none of ours): leave it
    }
  };
}

/** The docs page's headers: its Content-Security-Policy, no framing, no referrer. */
export function docsPageHeaders(c: Context): void {
  c.header("Content-Security-Policy", DOCS_CSP);
  c.header("X-Frame-Options", "DENY");
  c.header("Referrer-Policy", "no-referrer");
}
