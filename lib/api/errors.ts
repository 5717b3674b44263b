/**
 * The API's error type and JSON error bodies: every error is `{"error": "...", "detail": ...}`.
 *
 * @module
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { log } from "../log.ts";

/** Status codes the API answers errors with. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 500 | 503;

/**
 * A client-facing error. Thrown by request parsing and handlers; the app's error handler turns
 * it into a JSON response with `status`.
 *
 * @example
 * ```ts
 * import { ApiError } from "./errors.ts";
 * const err = new ApiError(404, "not found", { ods_code: "XYZ99" });
 * if (err.status !== 404) throw new Error("status lost"); // handlers `throw err`
 * ```
 */
export class ApiError extends Error {
  constructor(
    readonly status: ErrorStatus,
    readonly error: string,
    readonly detail: unknown = null,
  ) {
    super(error);
    this.name = "ApiError";
  }
}

/** The JSON body of an error. */
export function errorBody(
  error: string,
  detail: unknown = null,
): { error: string; detail: unknown } {
  return { error, detail };
}

/**
 * The app's error handler: an {@linkcode ApiError} becomes its JSON error; anything else is
 * logged and answered with a bare JSON 500 that leaks nothing.
 */
export function onApiError(err: Error, c: Context): Response {
  if (err instanceof ApiError) return c.json(errorBody(err.error, err.detail), err.status);
  if (err instanceof HTTPException && err.status < 500) {
    return c.json(errorBody(err.message || "bad request", null), err.status);
  }
  log("error", "unhandled error", { path: c.req.path, error: err.name, message: err.message });
  return c.json(errorBody("internal server error", null), 500);
}
