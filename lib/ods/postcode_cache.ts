/**
 * The postcode geography cache in KV (`["postcode", "CB2 0QQ"]`, see lib/keys.ts): what the
 * FHIR `postcode` CodeSystem answered for one postcode, with the time it was fetched.
 *
 * - A known postcode is trusted for {@linkcode FOUND_TTL_MS} (30 days), an unknown one (ODS
 *   answered 404) for {@linkcode NOT_FOUND_TTL_MS} (1 day: ODS reloads daily and new postcodes
 *   appear).
 * - An expired entry is fetched again on its next request. When that refresh fails (FHIR
 *   unreachable, 5xx, key refused), the expired entry is answered as it is, marked stale, for up
 *   to {@linkcode STALE_KEEP_MS} past its expiry (KV then drops it); with nothing cached, the
 *   caller gets the failure.
 * - Concurrent requests for one postcode share one FHIR request.
 *
 * The clock is injected, so expiry is tested without waiting. Writes go straight to KV, not
 * through the store's record writes: a cached postcode is not data of the API's data version.
 * {@linkcode localAuthorityOf} reads one postcode's local authority from the cache only (no FHIR
 * request); the sync's local authority step reads the cache in bulk
 * (lib/sync/local_authorities.ts).
 *
 * @module
 */
import * as keys from "../keys.ts";
import { log } from "../log.ts";
import {
  canonicalPostcode,
  type PostcodeGeography,
  type PostcodeLookupResult,
} from "./postcode_lookup.ts";
import type { OdsErrorKind } from "./source_base.ts";

const DAY_MS = 86_400_000;

/** How long a known postcode's geography is trusted. */
export const FOUND_TTL_MS = 30 * DAY_MS;
/** How long "ODS doesn't know this postcode" is trusted. */
export const NOT_FOUND_TTL_MS = DAY_MS;
/** How long past its expiry an entry is kept, to answer (stale) when a refresh fails. */
export const STALE_KEEP_MS = 30 * DAY_MS;

/** One cached look-up. */
export interface CachedPostcode {
  /** Canonical postcode. */
  postcode: string;
  /** What ODS gave; `null` when it doesn't know the postcode (404). */
  geography: PostcodeGeography | null;
  /** When it was fetched (ISO 8601, UTC). */
  fetched_at: string;
}

/** An answer: the entry (fresh, just fetched, or stale), or why there is none. */
export type PostcodeAnswer =
  | {
    status: "found" | "not_found";
    entry: CachedPostcode;
    /** Expired, and the refresh failed: served as it was. */
    stale: boolean;
    /** Fetched from FHIR for this answer (else read from the cache). */
    fetched: boolean;
  }
  | { status: "unavailable"; kind: OdsErrorKind; reason: string };

/**
 * How long `entry` is trusted.
 *
 * @example
 * ```ts
 * import { FOUND_TTL_MS, ttlOf } from "./postcode_cache.ts";
 * const entry = { postcode: "ZZ9 9ZZ", geography: null, fetched_at: "2026-01-01T00:00:00.000Z" };
 * if (ttlOf(entry) >= FOUND_TTL_MS) throw new Error("unknown postcodes expire sooner");
 * ```
 */
export function ttlOf(entry: CachedPostcode): number {
  return entry.geography === null ? NOT_FOUND_TTL_MS : FOUND_TTL_MS;
}

/**
 * Is `entry` still trusted at `nowMs`?
 *
 * @example
 * ```ts
 * import { isFresh } from "./postcode_cache.ts";
 * import { equal } from "node:assert/strict";
 * const entry = { postcode: "ZZ9 9ZZ", geography: null, fetched_at: "2026-01-01T00:00:00.000Z" };
 * equal(isFresh(entry, Date.parse("2026-01-01T23:59:59Z")), true);
 * equal(isFresh(entry, Date.parse("2026-01-02T00:00:00Z")), false);
 * ```
 */
export function isFresh(entry: CachedPostcode, nowMs: number): boolean {
  const at = Date.parse(entry.fetched_at);
  return Number.isFinite(at) && nowMs - at < ttlOf(entry);
}

/**
 * The answer after a look-up, and the entry to cache (none when the look-up failed).
 *
 * @example
 * ```ts
 * import { afterLookup } from "./postcode_cache.ts";
 * import { equal } from "node:assert/strict";
 * const now = new Date("2026-03-01T00:00:00Z");
 * const cached = { postcode: "ZZ9 9ZZ", geography: null, fetched_at: "2026-01-01T00:00:00.000Z" };
 * const failed = { status: "error" as const, kind: "unavailable" as const, reason: "HTTP 503" };
 * const stale = afterLookup("ZZ9 9ZZ", cached, failed, now);
 * equal(stale.answer.status === "not_found" && stale.answer.stale, true);
 * equal(stale.write, null);
 * equal(afterLookup("ZZ9 9ZZ", null, failed, now).answer.status, "unavailable");
 * equal(afterLookup("ZZ9 9ZZ", cached, { status: "not_found" }, now).write?.fetched_at, now.toISOString());
 * ```
 */
export function afterLookup(
  postcode: string,
  cached: CachedPostcode | null,
  result: PostcodeLookupResult,
  now: Date,
): { answer: PostcodeAnswer; write: CachedPostcode | null } {
  if (result.status === "error") {
    if (!cached) {
      return {
        answer: { status: "unavailable", kind: result.kind, reason: result.reason },
        write: null,
      };
    }
    const status = cached.geography === null ? "not_found" : "found";
    return { answer: { status, entry: cached, stale: true, fetched: false }, write: null };
  }
  const entry: CachedPostcode = {
    postcode,
    geography: result.status === "found" ? result.geography : null,
    fetched_at: now.toISOString(),
  };
  return { answer: { status: result.status, entry, stale: false, fetched: true }, write: entry };
}

/** The cached entry of `postcode` (canonical), fresh or not, or `null`. */
export async function readCachedPostcode(
  kv: Deno.Kv,
  postcode: string,
): Promise<CachedPostcode | null> {
  return (await kv.get<CachedPostcode>(keys.postcodeKey(postcode))).value;
}

/** Cache `entry`, kept in KV until {@linkcode STALE_KEEP_MS} past its expiry. */
export async function writeCachedPostcode(kv: Deno.Kv, entry: CachedPostcode): Promise<void> {
  await kv.set(keys.postcodeKey(entry.postcode), entry, {
    expireIn: ttlOf(entry) + STALE_KEEP_MS,
  });
}

/**
 * The local authority code of `postcode` (any case and spacing) from the cache, fresh or
 * expired; `null` when it is not a postcode, not cached, or unknown to ODS. Makes no FHIR
 * request: for the sync, to give organisations and practices their local authority.
 *
 * @example
 * ```ts
 * import { localAuthorityOf } from "./postcode_cache.ts";
 * const kv = await Deno.openKv(":memory:");
 * if (await localAuthorityOf({ kv }, "cb2 0qq") !== null) throw new Error("nothing cached yet");
 * kv.close();
 * ```
 */
export async function localAuthorityOf(
  store: { readonly kv: Deno.Kv },
  postcode: string,
): Promise<string | null> {
  const canonical = canonicalPostcode(postcode);
  if (canonical === null) return null;
  return (await readCachedPostcode(store.kv, canonical))?.geography?.la ?? null;
}

/** What a {@linkcode PostcodeResolver} needs. */
export interface ResolverDeps {
  kv: Deno.Kv;
  /** The FHIR look-up (a `PostcodeLookup`). */
  lookup: { lookup(postcode: string): Promise<PostcodeLookupResult> };
  /** The clock of expiry and `fetched_at`; default the system clock. */
  now?: () => Date;
}

/**
 * Answers postcodes from the cache, fetching what is missing or expired (see the module
 * documentation).
 *
 * @example
 * ```ts
 * import { PostcodeResolver } from "./postcode_cache.ts";
 * const kv = await Deno.openKv(":memory:");
 * const resolver = new PostcodeResolver({
 *   kv,
 *   lookup: { lookup: () => Promise.resolve({ status: "not_found" as const }) },
 * });
 * const answer = await resolver.resolve("ZZ9 9ZZ");
 * if (answer.status !== "not_found" || !answer.fetched) throw new Error(answer.status);
 * kv.close();
 * ```
 */
export class PostcodeResolver {
  readonly #deps: ResolverDeps;
  readonly #inFlight = new Map<string, Promise<PostcodeAnswer>>();

  constructor(deps: ResolverDeps) {
    this.#deps = deps;
  }

  /** The answer for `postcode` (canonical). Never rejects for FHIR trouble. */
  resolve(postcode: string): Promise<PostcodeAnswer> {
    let pending = this.#inFlight.get(postcode);
    if (!pending) {
      pending = this.#resolve(postcode).finally(() => this.#inFlight.delete(postcode));
      this.#inFlight.set(postcode, pending);
    }
    return pending;
  }

  async #resolve(postcode: string): Promise<PostcodeAnswer> {
    const { kv, lookup } = this.#deps;
    const now = this.#deps.now ?? (() => new Date());
    const cached = await readCachedPostcode(kv, postcode);
    if (cached && isFresh(cached, now().getTime())) {
      const status = cached.geography === null ? "not_found" : "found";
      return { status, entry: cached, stale: false, fetched: false };
    }
    const result = await lookup.lookup(postcode);
    const { answer, write } = afterLookup(postcode, cached, result, now());
    if (result.status === "error") {
      // The postcode is left out: it may be a patient's.
      log("warn", "postcode look-up failed", {
        kind: result.kind,
        reason: result.reason,
        stale: answer.status !== "unavailable",
      });
    }
    if (write) {
      await writeCachedPostcode(kv, write).catch((err) =>
        log("warn", "postcode cache write failed", { error: String(err) })
      );
    }
    return answer;
  }
}
