/**
 * Django REST framework's format overrides: a `.json` suffix on the path
 * (`/organisations.json`, `/organisations/RGT01.json`) or `?format=json` asks for the JSON
 * renderer. This service has only that one (DRF's browsable API, format `api`, is answered with
 * JSON too), so the request is served as the same path without the suffix and parameter, as if
 * it had asked for `Accept: application/json`. Another `?format=` value is a 404, as in DRF.
 *
 * @module
 */

import { targetOf } from "./request_log.ts";

/** The formats DRF's renderers answered: JSON, and the browsable API (served as JSON here). */
export const FORMATS: ReadonlySet<string> = new Set(["json", "api"]);

/** Paths that are not API routes (files and web pages): their dots are not format suffixes. */
const NOT_API = /^\/(?:docs|swagger-ui|ui)(?:\/|$)/;

/** What a request's format override says. */
export interface FormatRequest {
  /** The URL to serve: the suffix and a served `format` parameter removed. */
  url: string;
  /** Did the request name a format this service serves? */
  named: boolean;
}

/** The path without a `.json`/`.api` suffix on its last segment, or `null` when it has none. */
function stripSuffix(path: string): string | null {
  if (NOT_API.test(path)) return null;
  const m = /^(.*?)\.([a-z0-9]+)(\/?)$/.exec(path);
  if (!m || !FORMATS.has(m[2])) return null;
  const base = m[1];
  const slash = m[3];
  if (base === "/") return "/"; // `/.json`: DRF's API root
  if (base === "" || base.endsWith("/")) return null;
  return base + slash;
}

/**
 * The URL to serve for `url`, with DRF's format suffix and a served `?format=` removed, and
 * whether the request named a format. A `format` parameter of another value is left in place
 * (the app answers it with a 404).
 *
 * @example
 * ```ts
 * import { formatRequest } from "./format.ts";
 *
 * formatRequest("http://h/organisations/RGT01.json").url; // "http://h/organisations/RGT01"
 * formatRequest("http://h/trusts/?format=json&name=X").url; // "http://h/trusts/?name=X"
 * formatRequest("http://h/.json").url; // "http://h/"
 * formatRequest("http://h/docs/swagger-ui.css").named; // false
 * ```
 */
export function formatRequest(url: string): FormatRequest {
  const u = new URL(url);
  let named = false;
  const path = stripSuffix(u.pathname);
  if (path !== null) {
    u.pathname = path;
    named = true;
  }
  const format = u.searchParams.getAll("format");
  if (format.length && format.every((f) => FORMATS.has(f))) {
    u.searchParams.delete("format");
    named = true;
  }
  if (!named) return { url, named };
  return { url: u.search === "?" ? u.href.slice(0, -1) : u.href, named };
}

/**
 * The request to serve for `req`: itself, or a copy at the URL without the format override,
 * asking for JSON (so `/.json` and `/?format=json` get the API root).
 *
 * @example
 * ```ts
 * import { withoutFormat } from "./format.ts";
 *
 * const req = withoutFormat(new Request("http://h/organisations.json"));
 * req.url; // "http://h/organisations"
 * req.headers.get("Accept"); // "application/json"
 * ```
 */
export function withoutFormat(req: Request): Request {
  const url = req.url;
  // The request target only: the host's dots say nothing (and most requests stop here).
  const target = targetOf(url);
  if (!target.includes(".") && !target.includes("format=")) return req;
  const { url: served, named } = formatRequest(url);
  if (!named) return req;
  const copy = new Request(served, req);
  copy.headers.set("Accept", "application/json");
  return copy;
}
