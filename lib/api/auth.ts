/**
 * API-key authentication, compatible with Azure API Management clients: the key comes in
 * `Ocp-Apim-Subscription-Key` or `Authorization: Bearer <key>`.
 *
 * Keys are compared as SHA-256 digests with a constant-time loop over every configured key, so
 * neither the position of a mismatch nor which key matched shows in the timing. Keys are never
 * logged nor echoed.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { ApiError } from "./errors.ts";

const encoder = new TextEncoder();

/** DRF's 401 message when credentials were sent but are wrong. */
const WRONG_CREDENTIALS = "Incorrect authentication credentials.";

/** SHA-256 of a string's UTF-8 bytes. */
export async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

/** Are two byte arrays equal? Time depends only on their lengths. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/** The key a request presents, or `null`. */
export function presentedKey(headers: {
  header(name: string): string | undefined;
}): string | null {
  const subscription = headers.header("Ocp-Apim-Subscription-Key")?.trim();
  if (subscription) return subscription;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(headers.header("Authorization") ?? "");
  return m ? m[1] : null;
}

/**
 * Checks a presented key against a fixed set of keys. Digests of the configured keys are made
 * once, on first use.
 */
export class KeyChecker {
  readonly #keys: readonly string[];
  #digests: Promise<Uint8Array[]> | null = null;

  constructor(keys: readonly string[]) {
    this.#keys = keys;
  }

  /** Are any keys configured? */
  get enabled(): boolean {
    return this.#keys.length > 0;
  }

  /** Is `key` one of the configured keys? Compares against every key, whatever the result. */
  async check(key: string | null): Promise<boolean> {
    if (key === null) return false;
    this.#digests ??= Promise.all(this.#keys.map(sha256));
    const [digests, presented] = await Promise.all([this.#digests, sha256(key)]);
    let ok = false;
    for (const d of digests) ok = constantTimeEqual(d, presented) || ok;
    return ok;
  }
}

/**
 * Middleware requiring one of `keys` on every request whose path `isExempt` does not accept.
 * With no keys configured it lets everything through. Rejections are 401 JSON errors.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { apiKeyAuth } from "./auth.ts";
 * import { onApiError } from "./errors.ts";
 * const app = new Hono();
 * app.onError(onApiError);
 * app.use("*", apiKeyAuth(["a-long-secret-key-1234"], (path) => path === "/health"));
 * app.get("*", (c) => c.text("ok"));
 * if ((await app.request("/trusts/")).status !== 401) throw new Error("no key must be refused");
 * if ((await app.request("/health")).status !== 200) throw new Error("exempt path refused");
 * const keyed = await app.request("/trusts/", { headers: { Authorization: "Bearer a-long-secret-key-1234" } });
 * if (keyed.status !== 200) throw new Error("a configured key must pass");
 * ```
 */
export function apiKeyAuth(
  keys: readonly string[],
  isExempt: (path: string) => boolean,
): MiddlewareHandler {
  const checker = new KeyChecker(keys);
  return async (c, next) => {
    if (!checker.enabled || c.req.method === "OPTIONS" || isExempt(c.req.path)) {
      return await next();
    }
    const key = presentedKey(c.req);
    if (!(await checker.check(key))) {
      c.header("WWW-Authenticate", 'Bearer realm="nhs-organisations"');
      throw new ApiError(
        401,
        "unauthorized",
        {
          explanation:
            "send an API key in the Ocp-Apim-Subscription-Key header or as Authorization: Bearer",
        },
        key === null ? undefined : WRONG_CREDENTIALS,
      );
    }
    await next();
  };
}

/**
 * Middleware requiring the admin token as `Authorization: Bearer <token>` (for routes that
 * change things, e.g. the sync review list). With no token configured, such routes are
 * refused (403), never open.
 */
export function adminAuth(token: string | null): MiddlewareHandler {
  const checker = new KeyChecker(token ? [token] : []);
  return async (c, next) => {
    if (!checker.enabled) {
      throw new ApiError(403, "forbidden", { explanation: "no admin token is configured" });
    }
    const m = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header("Authorization") ?? "");
    if (!(await checker.check(m ? m[1] : null))) {
      c.header("WWW-Authenticate", 'Bearer realm="nhs-organisations-admin"');
      throw new ApiError(
        401,
        "unauthorized",
        { explanation: "send the admin token as Authorization: Bearer" },
        m ? WRONG_CREDENTIALS : undefined,
      );
    }
    await next();
  };
}
