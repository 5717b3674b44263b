/**
 * The simulator's responses before serialization, so faults can still alter the body.
 *
 * @module
 */

/** A response before serialization: either a JSON value or a text body. */
export interface SimResponse {
  status: number;
  statusText?: string;
  headers: Record<string, string>;
  json?: unknown;
  text?: string;
}

/** The content type of the simulator's JSON (ORD and control API). */
export const JSON_TYPE = "application/json; charset=utf-8";

/**
 * A JSON {@link SimResponse}.
 *
 * @example
 * ```ts
 * import { simJson } from "./response.ts";
 * import { equal } from "node:assert/strict";
 * const res = simJson(404, { errorCode: 404 }, { "x-a": "1" });
 * equal(res.headers["x-a"], "1");
 * ```
 */
export function simJson(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): SimResponse {
  return { status, headers: { "content-type": JSON_TYPE, ...headers }, json: body };
}

/**
 * A JSON `Response` (the control API answers directly, without faults).
 *
 * @example
 * ```ts
 * import { jsonResponse } from "./response.ts";
 * import { equal } from "node:assert/strict";
 * const res = jsonResponse(200, { ok: true });
 * equal(await res.text(), '{"ok":true}');
 * ```
 */
export function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": JSON_TYPE } });
}
