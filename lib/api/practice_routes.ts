/**
 * The GP practice routes, NEW in this service: `/general_practices/` (filters `ods_code`,
 * `postcode`, `name`, `active`, `integrated_care_board`) and `/general_practices/{ods_code}/`,
 * with the conventions of every other read route: strong ETags and `304`, `X-Data-Version` (the
 * GP version here), `?fields=`, `?as_of=` (`X-As-Of`), DRF-style errors, gzip for long lists
 * and `405` for other methods. They answer from their own cache (`./practice_cache.ts`).
 *
 * With `SYNC_GP_PRACTICES=false` both answer 404, saying the service doesn't serve practices.
 *
 * @module
 */
import { targetOf } from "./request_log.ts";
import type { Context, Hono } from "hono";
import { AS_OF_HEADER, parseAsOf } from "./as_of.ts";
import { codeFromPath } from "./codes.ts";
import { acceptsGzip, gzipEtag, MIN_GZIP_BYTES, sendGzip } from "./compress.ts";
import { ApiError, methodNotAllowed } from "./errors.ts";
import { parseFields, pickedJson } from "./fields.ts";
import { parseFilters } from "./filters.ts";
import { asciiJson, notModified, sendJson } from "./http.ts";
import type { PracticeCache } from "./practice_cache.ts";
import type { PracticeAnswer, PracticeSnapshot } from "./practice_snapshot.ts";
import { PRACTICE_FIELDS, PRACTICE_FILTERS } from "./practice_view.ts";

/** The list route's path (as the route table writes paths). */
export const PRACTICES_PATH = "/general_practices/";
/** The detail route's path. */
export const PRACTICE_PATH = "/general_practices/{ods_code}/";

/** What the practice routes need. */
export interface PracticeRouteDeps {
  cache: PracticeCache;
  /** `SYNC_GP_PRACTICES`: false answers 404 (default true). */
  enabled?: boolean;
}

const NO_PARAMS = new URLSearchParams();

function query(c: Context): URLSearchParams {
  return c.req.url.includes("?") ? new URL(c.req.url).searchParams : NO_PARAMS;
}

/** Send an answer: gzip for a long one to clients that take it, each with its own ETag. */
async function send(
  c: Context,
  snap: PracticeSnapshot,
  answer: PracticeAnswer,
): Promise<Response> {
  if (answer.json.length < MIN_GZIP_BYTES) {
    return notModified(c, answer.etag, snap.version) ?? sendJson(c, answer.json);
  }
  c.header("Vary", "Accept-Encoding");
  if (!acceptsGzip(c.req.header("Accept-Encoding"))) {
    return notModified(c, answer.etag, snap.version) ?? sendJson(c, answer.json);
  }
  const cached = notModified(c, gzipEtag(answer.etag), snap.version);
  if (cached) return cached;
  return sendGzip(c, await snap.gzip(answer));
}

function listHandler(cache: PracticeCache) {
  return async (c: Context) => {
    const params = query(c);
    const filters = parseFilters(PRACTICE_FILTERS, params);
    const fields = parseFields(params, PRACTICE_FIELDS);
    const date = parseAsOf(params);
    const current = await cache.current();
    if (date !== null) {
      c.header(AS_OF_HEADER, date);
      // A query by code or postcode needs only its practices as on the date.
      const answer = current.answerOn(date, filters, fields);
      if (answer) return await send(c, current, answer);
    }
    const snap = date === null ? current : await current.asOf(date);
    const plain = !filters.length && !fields;
    const answer = plain ? snap.list() : snap.answer(filters, fields);
    if (date === null && !plain) snap.remember(targetOf(c.req.url), answer);
    return await send(c, snap, answer);
  };
}

function detailHandler(cache: PracticeCache) {
  return async (c: Context) => {
    const code = codeFromPath("general_practice", c.req.param("ods_code"));
    const params = query(c);
    const fields = parseFields(params, PRACTICE_FIELDS);
    const date = parseAsOf(params);
    const snap = await cache.current();
    if (date !== null) c.header(AS_OF_HEADER, date);
    const row = snap.byCode.get(code);
    const item = date !== null ? snap.itemOn(code, date) : row?.item;
    if (!item) throw new ApiError(404, "not found", notFound(snap, code, date));
    const etag = snap.etag(fields ? `${code}|${fields.join(",")}` : code, date);
    const cached = notModified(c, etag, snap.version);
    if (cached) return cached;
    if (fields) return sendJson(c, pickedJson(item, fields));
    return sendJson(c, date === null ? row!.json : asciiJson(item));
  };
}

/** Why `code` has no answer (on `date`, or today). */
function notFound(
  snap: PracticeSnapshot,
  code: string,
  date: string | null,
): Record<string, string> {
  const deleted = snap.deletedOn(code);
  if (deleted !== null && (date === null || deleted <= date)) {
    return { ods_code: code, explanation: `ODS deleted this GP practice on ${deleted}` };
  }
  if (snap.byCode.has(code) || deleted !== null) {
    return { ods_code: code, explanation: `it had not opened yet on ${date} (as ODS dates it)` };
  }
  return { ods_code: code, explanation: "no GP practice has this code in ODS" };
}

function disabled(): never {
  throw new ApiError(404, "not found", {
    explanation: "this service does not sync or serve GP practices (SYNC_GP_PRACTICES=false)",
  });
}

const READ_METHODS = "GET, HEAD, OPTIONS";

/**
 * Add the practice routes to `app` (after the API-key check, like the other read routes).
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { onApiError } from "./errors.ts";
 * import { PracticeCache } from "./practice_cache.ts";
 * import { registerPracticeRoutes } from "./practice_routes.ts";
 * import { Store } from "../store.ts";
 * const store = await Store.open(":memory:");
 * const app = new Hono({ strict: false });
 * app.onError(onApiError);
 * registerPracticeRoutes(app, { cache: new PracticeCache(store) });
 * if ((await app.request("/general_practices/")).status !== 200) throw new Error("a list");
 * if ((await app.request("/general_practices/Y99999/")).status !== 404) throw new Error("none");
 * store.close();
 * ```
 */
export function registerPracticeRoutes(app: Hono, deps: PracticeRouteDeps): void {
  const on = deps.enabled ?? true;
  const list = "/general_practices";
  const detail = "/general_practices/:ods_code";
  app.get(list, on ? listHandler(deps.cache) : disabled);
  app.get(detail, on ? detailHandler(deps.cache) : disabled);
  for (const path of [list, detail]) {
    app.all(path, (c, next) => {
      if (READ_METHODS.split(", ").includes(c.req.method)) return next();
      c.header("Allow", READ_METHODS);
      throw new ApiError(
        405,
        "method not allowed",
        { allowed: READ_METHODS },
        methodNotAllowed(c.req.method),
      );
    });
  }
}
