/**
 * Signing in to the web pages when `API_KEYS` is set. Browsers cannot easily send the API-key
 * header, so a small form (`POST /ui/login`) takes a key, checks it with the API's
 * {@linkcode KeyChecker} (constant time, every key compared) and sets a session cookie.
 *
 * The cookie never holds the key. It is `v1.<expiry>.<nonce>.<mac>`, where `mac` is
 * HMAC-SHA256, keyed with the API key that signed in, over the purpose, expiry and nonce. Checking
 * it computes the MAC under every configured key and compares them all in constant time. So:
 *
 * - it works on every instance sharing the configuration, with no server-side session store;
 * - it expires on its own ({@linkcode SESSION_SECONDS}), and removing a key from `API_KEYS`
 *   ends every session signed in with it;
 * - it is `HttpOnly` (no script can read it), `SameSite=Strict` (not sent on cross-site
 *   requests, so links and forms from other sites arrive signed out), `Path=/`, and `Secure`
 *   when the page was requested over HTTPS.
 *
 * The cookie is accepted only by the web pages, never by the JSON API, which still wants a key in
 * a header.
 *
 * @module
 */
import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { constantTimeEqual, KeyChecker, presentedKey } from "../api/auth.ts";

/** Name of the session cookie. */
export const SESSION_COOKIE = "nhs_orgs_session";

/** How long a session lasts: 8 hours, a working day. */
export const SESSION_SECONDS = 8 * 60 * 60;

const PURPOSE = "nhs-organisations/ui-session/v1";
const encoder = new TextEncoder();

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(
    /=+$/,
    "",
  );
}

function fromBase64url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
  } catch {
    return null;
  }
}

async function hmac(key: string, message: string): Promise<Uint8Array> {
  const k = await crypto.subtle.importKey(
    "raw",
    encoder.encode(key),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return new Uint8Array(await crypto.subtle.sign("HMAC", k, encoder.encode(message)));
}

const payload = (expiry: number, nonce: string) => `${PURPOSE}|${expiry}|${nonce}`;

/**
 * Issue a session token for `key` (which the caller has already checked), valid until
 * `now + seconds`.
 */
export async function issueSession(
  key: string,
  now: Date,
  seconds = SESSION_SECONDS,
): Promise<string> {
  const expiry = Math.floor(now.getTime() / 1000) + seconds;
  const nonce = base64url(crypto.getRandomValues(new Uint8Array(12)));
  return `v1.${expiry}.${nonce}.${base64url(await hmac(key, payload(expiry, nonce)))}`;
}

/**
 * Is `token` a live session signed with one of `keys`? Every key is tried, whatever the result,
 * and MACs are compared in constant time.
 */
export async function verifySession(
  token: string | undefined | null,
  keys: readonly string[],
  now: Date,
): Promise<boolean> {
  if (!token || token.length > 200 || !keys.length) return false;
  const m = /^v1\.(\d{1,12})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return false;
  const expiry = Number(m[1]);
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (expiry <= nowSeconds || expiry > nowSeconds + SESSION_SECONDS) return false;
  const mac = fromBase64url(m[3]);
  // The last character carries two unused bits: only the canonical spelling is the token.
  if (!mac || base64url(mac) !== m[3]) return false;
  let ok = false;
  for (const key of keys) {
    ok = constantTimeEqual(await hmac(key, payload(expiry, m[2])), mac) || ok;
  }
  return ok;
}

/**
 * Where to go after signing in: a path on this site (`/…`, not `//…` nor `/\…`) without
 * control characters, else `/`.
 */
export function safeNext(next: string | undefined | null): string {
  if (!next || next.length > 2000) return "/";
  // deno-lint-ignore no-control-regex -- control characters are what it looks for
  if (!/^\/(?![/\\])/.test(next) || /[\u0000-\u001f\u007f\\]/.test(next)) return "/";
  return next;
}

/** Was the request made over HTTPS (directly, or as a proxy in front of us says)? */
export function isHttps(c: Context): boolean {
  if (new URL(c.req.url).protocol === "https:") return true;
  return (c.req.header("X-Forwarded-Proto") ?? "").split(",")[0].trim().toLowerCase() === "https";
}

/** Who may see the web pages. */
export class UiAuth {
  readonly #keys: readonly string[];
  readonly #checker: KeyChecker;
  readonly #now: () => Date;

  /** @param keys The keys the API accepts; none means the pages are open. */
  constructor(keys: readonly string[], now: () => Date) {
    this.#keys = keys;
    this.#checker = new KeyChecker(keys);
    this.#now = now;
  }

  /** Are keys configured (so signing in is needed)? */
  get enabled(): boolean {
    return this.#checker.enabled;
  }

  /** Is `key` a configured key? (constant time over every key) */
  checkKey(key: string): Promise<boolean> {
    return this.#checker.check(key);
  }

  /** Does the request carry a valid key header or session cookie (or are the pages open)? */
  async allows(c: Context): Promise<boolean> {
    if (!this.enabled) return true;
    const header = presentedKey(c.req);
    if (header !== null && await this.#checker.check(header)) return true;
    return await verifySession(getCookie(c, SESSION_COOKIE), this.#keys, this.#now());
  }

  /** Does the request carry a valid session cookie? (to offer "Sign out") */
  async hasSession(c: Context): Promise<boolean> {
    return this.enabled &&
      await verifySession(getCookie(c, SESSION_COOKIE), this.#keys, this.#now());
  }

  /** A new session token for a key that {@linkcode checkKey} accepted. */
  issue(key: string): Promise<string> {
    return issueSession(key, this.#now());
  }
}
