/**
 * The API's error type and JSON error bodies, in Django REST framework's shape: `detail` is the
 * message DRF gives (`{"detail": "Not found."}`), `error` names the error in a few words, and
 * any other keys explain it.
 *
 * @module
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { log } from "../log.ts";

/** Status codes the API answers errors with. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 500 | 503;

/** DRF's message for each status (405 names the method: {@linkcode methodNotAllowed}). */
export const DRF_DETAIL: Readonly<Record<ErrorStatus, string>> = {
  400: "Invalid input.",
  401: "Authentication credentials were not provided.",
  403: "You do not have permission to perform this action.",
  404: "Not found.",
  405: "Method not allowed.",
  500: "A server error occurred.",
  503: "Service temporarily unavailable, try again later.",
};

/** Extra keys of an error body: what explains it (never `detail` or `error`). */
export type ErrorInfo = Readonly<Record<string, unknown>>;

/**
 * DRF's 405 message for `method`.
 *
 * @example
 * ```ts
 * import { methodNotAllowed } from "./errors.ts";
 *
 * methodNotAllowed("POST"); // 'Method "POST" not allowed.'
 * ```
 */
export function methodNotAllowed(method: string): string {
  return `Method "${method}" not allowed.`;
}

/**
 * A client-facing error. Thrown by request parsing and handlers; the app's error handler turns
 * it into a JSON response with `status`.
 *
 * @example
 * ```ts
 * import { ApiError } from "./errors.ts";
 * const err = new ApiError(404, "not found", { ods_code: "XYZ99" });
 * if (err.detail !== "Not found.") throw new Error("DRF's message expected"); // handlers `throw err`
 * ```
 */
export class ApiError extends Error {
  /** DRF's message: the given one, or the status's ({@linkcode DRF_DETAIL}). */
  readonly detail: string;

  constructor(
    readonly status: ErrorStatus,
    readonly error: string,
    readonly info: ErrorInfo = {},
    detail?: string,
  ) {
    super(error);
    this.name = "ApiError";
    this.detail = detail ?? DRF_DETAIL[status];
  }
}

/**
 * The JSON body of an error: `detail` and `error` first, then the explaining keys.
 *
 * @example
 * ```ts
 * import { errorBody } from "./errors.ts";
 *
 * errorBody("Not found.", "not found", { ods_code: "ZZZ99" });
 * // { detail: "Not found.", error: "not found", ods_code: "ZZZ99" }
 * ```
 */
export function errorBody(
  detail: string,
  error: string,
  info: ErrorInfo = {},
): Record<string, unknown> {
  const body: Record<string, unknown> = { detail, error };
  for (const [key, value] of Object.entries(info)) {
    if (key !== "detail" && key !== "error") body[key] = value;
  }
  return body;
}

/**
 * Did reading the request's body fail because the client stopped sending it?
 *
 * @example
 * ```ts
 * import { isAbortedBody } from "./errors.ts";
 * const err = new Deno.errors.BadResource("Cannot read body as underlying resource unavailable");
 * if (!isAbortedBody(err)) throw new Error("not recognised");
 * if (isAbortedBody(new TypeError("x is undefined"))) throw new Error("a bug is no abort");
 * ```
 */
export function isAbortedBody(err: Error): boolean {
  // Deno says "Cannot read body as underlying resource unavailable"; a closed KV handle is a
  // BadResource too, but a server fault, so the message must name the body.
  if (err instanceof Deno.errors.BadResource) return /\bbody\b/i.test(err.message);
  return err instanceof Deno.errors.ConnectionReset || err instanceof Deno.errors.UnexpectedEof ||
    (err.name === "Http" && /body|connection|closed|eof/i.test(err.message));
}

/**
 * The app's error handler: an {@linkcode ApiError} becomes its JSON error; a client that
 * aborted its request body gets a 400; anything else is logged and answered with a bare JSON
 * 500 that leaks nothing.
 */
export function onApiError(err: Error, c: Context): Response {
  if (err instanceof ApiError) {
    return c.json(errorBody(err.detail, err.error, err.info), err.status);
  }
  if (err instanceof HTTPException && err.status < 500) {
    const detail = DRF_DETAIL[err.status as ErrorStatus] ?? DRF_DETAIL[400];
    return c.json(errorBody(detail, err.message || "bad request"), err.status);
  }
  if (isAbortedBody(err)) {
    // The client went away mid-body (or lied in Content-Length): its problem, not an alert.
    log("info", "request body aborted by the client", { path: c.req.path, message: err.message });
    return c.json(errorBody("Incomplete request body.", "bad request"), 400);
  }
  log("error", "unhandled error", { path: c.req.path, error: err.name, message: err.message });
  return c.json(errorBody(DRF_DETAIL[500], "internal server error"), 500);
}
