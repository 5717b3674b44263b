/**
 * HTTP helpers of the read API: strong ETags derived from the data version, `If-None-Match`
 * matching, and JSON responses from pre-serialized ASCII strings.
 *
 * @module
 */
import type { Context } from "hono";

/**
 * Bumped whenever a response shape changes, so clients never keep a representation made by
 * older code under an ETag that still matches.
 */
export const SHAPES_REVISION = "r3";

/**
 * A fast 53-bit hash of a string's UTF-16 code units (two multiplicative 32-bit lanes, mixed),
 * as 14 hex digits. Not cryptographic: it names representations in ETags.
 */
export function hashText(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, "0");
}

/**
 * A strong ETag for the representation named by `key` at data version `version`.
 *
 * @example
 * ```ts
 * makeEtag("0000000000000001a000", "organisations|RGT01");
 * // '"r3.0000000000000001a000.5d3c..."'
 * ```
 */
export function makeEtag(version: string, key: string): string {
  return `"${SHAPES_REVISION}.${version}.${hashText(key)}"`;
}

/**
 * Does an `If-None-Match` header match `etag`? Weak comparison, as RFC 9110 asks for this
 * header: `W/` prefixes are ignored, `*` matches anything.
 */
export function etagMatches(ifNoneMatch: string | undefined | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === "*") return true;
  const want = etag.replace(/^W\//, "");
  return (ifNoneMatch.match(/(?:W\/)?"[^"]*"/g) ?? []).some((t) => t.replace(/^W\//, "") === want);
}

const etagged = new WeakSet<Context>();

/** Record that the handler of `c` set the ETag and handled `If-None-Match` itself. */
export function markEtagged(c: Context): void {
  etagged.add(c);
}

/** Did the handler of `c` set its own ETag ({@linkcode markEtagged})? */
export function isEtagged(c: Context): boolean {
  return etagged.has(c);
}

/**
 * Set the validators of a response (`ETag`, `Cache-Control: no-cache`, `X-Data-Version`) and
 * answer `304 Not Modified` (no body) when the request's `If-None-Match` already has this ETag;
 * `null` when the body must be sent.
 */
export function notModified(c: Context, etag: string, version: string): Response | null {
  markEtagged(c);
  c.header("ETag", etag);
  c.header("Cache-Control", "no-cache");
  c.header("X-Data-Version", version);
  return etagMatches(c.req.header("If-None-Match"), etag) ? c.body(null, 304) : null;
}

const NON_ASCII = /[\u007f-\uffff]/;
const NON_ASCII_ALL = new RegExp(NON_ASCII.source, "g");
const escapeChar = (ch: string) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * `JSON.stringify(value)` with every character outside printable ASCII written as a `\uXXXX`
 * escape: the same JSON value for any parser, and a pure-ASCII string, which Deno sends as a
 * response body with a plain copy and no per-response buffer for the garbage collector (a
 * `Uint8Array` body is copied into a new `ArrayBuffer` for every response).
 *
 * @example
 * ```ts
 * asciiJson({ name: "St John’s" }); // '{"name":"St John\\u2019s"}'
 * ```
 */
export function asciiJson(value: unknown): string {
  const json = JSON.stringify(value);
  if (!NON_ASCII.test(json)) return json;
  // The escaped text is ASCII, but V8 keeps it in the two-byte form of its source, which is
  // slower to send and makes every string joined with it two-byte; decoding its bytes again
  // gives the one-byte form.
  return decoder.decode(encoder.encode(json.replace(NON_ASCII_ALL, escapeChar)));
}

/** A 200 response with a JSON text body (pure ASCII: see {@linkcode asciiJson}). */
export function sendJson(c: Context, json: string): Response {
  c.header("Content-Type", "application/json");
  return c.body(json, 200);
}
