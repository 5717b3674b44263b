/**
 * What both ODS sources share: the {@linkcode OdsSource} interface they implement, the
 * {@linkcode OdsError} they throw, and the preamble each one would otherwise repeat (the polite
 * HTTP client built from the configuration, date checks, failure descriptions, progress).
 *
 * @module
 */

import type { OdsConfig } from "../config.ts";
import { isIsoDate } from "../dates.ts";
import { describeOperationOutcome } from "./fhir.ts";
import { HttpClient, type HttpClientOptions, type HttpFailure } from "./http.ts";
import type { DeletedRecord } from "./ord.ts";
import type { OdsRecord, OdsSuccession } from "./record.ts";

/** What became of one requested code. */
export type FetchOutcome =
  | { status: "ok"; code: string; record: OdsRecord }
  /** 404: deleted between sync and fetch, or unknown. */
  | { status: "not_found"; code: string }
  /** Failed validation → the sync quarantines it. */
  | { status: "invalid"; code: string; reason: string }
  /** Still failing after retries → the run fails. */
  | { status: "error"; code: string; reason: string };

/** The result of {@linkcode OdsSource.changesSince}. */
export interface ChangeSet {
  /** Distinct changed codes ODS listed (tracked or not). */
  seen: number;
  /** One per tracked changed code, in the order ODS listed them. */
  outcomes: FetchOutcome[];
}

/** The successions of one record, or why they couldn't be read. */
export type SuccessionLookup =
  | { ok: true; successions: OdsSuccession[] }
  | { ok: false; reason: string };

/** Progress callback: `done` of `total` units. */
export type OnProgress = (done: number, total: number) => void;

/**
 * A way of reading ODS. One source serves one run: it learns as it goes (FHIR relationship
 * roles) and gives up on an unreachable host for the rest of its life.
 */
export interface OdsSource {
  readonly name: "ord" | "fhir";
  /**
   * Records changed on or after `since` (`YYYY-MM-DD`, inclusive); only codes for which
   * `isTracked(code)` is true are fetched. Throws {@linkcode OdsError} if the change list itself
   * can't be read.
   */
  changesSince(
    since: string,
    isTracked: (code: string) => boolean,
    onProgress?: OnProgress,
  ): Promise<ChangeSet>;
  /**
   * One record. Throws {@linkcode OdsError} only when the API rejects our key (`auth`) or ODS
   * can't be reached at all (`unreachable`).
   */
  fetchOne(code: string): Promise<FetchOutcome>;
  /**
   * For re-baselines; one outcome per code, in order. FHIR batches (`_id=a,b,c` with
   * `_revinclude`), ORD fetches one by one within the rate limit. Throws {@linkcode OdsError}
   * only when the API rejects our key (`auth`) or ODS can't be reached at all (`unreachable`).
   */
  fetchMany(codes: readonly string[], onProgress?: OnProgress): Promise<FetchOutcome[]>;
  /**
   * How many records have LastChangeDate exactly `day` (for spotting days ODS has not loaded).
   * ORD: two `/organisations?LastChangeDate=…&Limit=1` searches (`X-Total-Count` of ≥ day minus
   * ≥ day+1); FHIR: one `_summary=count` search. Throws {@linkcode OdsError}. Optional so test
   * doubles may leave it out.
   */
  countChangedOn?(day: string): Promise<number>;
  /**
   * The records ODS has deleted, which vanish without appearing in any change list: ORD
   * `/notifications` (the last 185 days), FHIR `List/Organization-deletion`. Throws
   * {@linkcode OdsError}. Optional so test doubles may leave it out.
   */
  deletions?(): Promise<DeletedRecord[]>;
  /**
   * The successions of `codes`, for a source whose records don't carry them (FHIR: the
   * `ods-organization-code` CodeSystem `$lookup`, one request per code within the rate limit).
   * A code that can't be looked up gets its reason. Throws {@linkcode OdsError} only for `auth`
   * and `unreachable`.
   */
  lookupSuccessions?(
    codes: readonly string[],
    onProgress?: OnProgress,
  ): Promise<Map<string, SuccessionLookup>>;
  /**
   * The GP practices (role RO76) and sub-ICB locations (primary role RO98) changed on or after
   * `since`, or every one of them (`null`, a baseline), as full records: ORD pages the
   * `Roles=RO76,RO98` search (`LastChangeDate=since`) and fetches each record; FHIR pages
   * `Organization?roleCode=RO76,RO98` (`lastChangeDate`) with their relationships. Throws
   * {@linkcode OdsError} when the list can't be read. Optional so test doubles may leave it out.
   */
  gpPractices?(since: string | null, onProgress?: OnProgress): Promise<ChangeSet>;
  /** Requests sent (every attempt) and retries among them. */
  stats(): { requests: number; retries: number };
}

/** The roles whose records the GP practice sync reads: GP practices and sub-ICB locations. */
export const GP_ROLES: readonly string[] = ["RO76", "RO98"];

/** Why ODS couldn't be read. */
export type OdsErrorKind = "unavailable" | "unreachable" | "window" | "bad_response" | "auth";

/**
 * The change list (or a whole batch) could not be read.
 * - `unavailable`: timeouts, network errors, 429/5xx after retries;
 * - `unreachable`: no connection could be made a few times in a row (DNS, refused, TLS): the
 *   message names the host and URL, and the source sends nothing more;
 * - `window`: ORD refused the `LastChangeDate` (older than its 185-day window) → re-baseline;
 * - `bad_response`: a body we can't use (HTML, truncated JSON after retries, wrong shape, 4xx);
 * - `auth`: FHIR API key missing or refused (401/403).
 *
 * @example
 * ```ts
 * import { OdsError } from "./source_base.ts";
 *
 * const e = new OdsError("window", "ORD refused LastChangeDate=2020-01-01", { status: 406 });
 * e.kind; // "window"
 * ```
 */
export class OdsError extends Error {
  readonly kind: OdsErrorKind;
  readonly status?: number;

  constructor(kind: OdsErrorKind, message: string, options?: { status?: number; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "OdsError";
    this.kind = kind;
    if (options?.status !== undefined) this.status = options.status;
  }
}

/**
 * Should this error end a whole fetch (rather than fail one code or one batch)?
 *
 * @example
 * ```ts
 * import { isFatal, OdsError } from "./source_base.ts";
 *
 * isFatal(new OdsError("unreachable", "cannot reach ods.example")); // true
 * isFatal(new OdsError("unavailable", "HTTP 503")); // false
 * ```
 */
export function isFatal(error: unknown): error is OdsError {
  return error instanceof OdsError && (error.kind === "auth" || error.kind === "unreachable");
}

/** Test and tuning hooks for the sources; production uses the defaults. */
export type SourceOptions = Pick<
  HttpClientOptions,
  | "backoffBaseMs"
  | "backoffMaxMs"
  | "retryAfterMaxMs"
  | "burst"
  | "fetch"
  | "sleep"
  | "now"
  | "random"
  | "onRetry"
  | "breakerThreshold"
>;

/**
 * The HTTP client of one source, with the configured limits.
 *
 * @example
 * ```ts
 * import { loadConfig } from "../config.ts";
 * import { sourceHttpClient } from "./source_base.ts";
 *
 * const http = sourceHttpClient(loadConfig({ KV_PATH: ":memory:" }).ods, {}, "application/json");
 * http.stats(); // { requests: 0, retries: 0 }
 * ```
 */
export function sourceHttpClient(
  config: OdsConfig,
  options: SourceOptions,
  accept: string,
  headers?: Readonly<Record<string, string>>,
): HttpClient {
  return new HttpClient({
    ...options,
    rateLimit: config.rateLimit,
    concurrency: config.concurrency,
    timeoutMs: config.timeoutMs,
    retries: config.retries,
    userAgent: config.userAgent,
    accept,
    headers,
  });
}

/**
 * Throws a `RangeError` unless `since` is a `YYYY-MM-DD` date.
 *
 * @example
 * ```ts
 * import { checkSince } from "./source_base.ts";
 *
 * checkSince("2026-11-24"); // fine
 * ```
 */
export function checkSince(since: string): void {
  if (!isIsoDate(since)) {
    throw new RangeError(`since must be YYYY-MM-DD, got ${JSON.stringify(since)}`);
  }
}

/**
 * A failed request in words: the reason, the server's own detail, the attempts.
 *
 * @example
 * ```ts
 * import { failureReason } from "./source_base.ts";
 *
 * const failure = {
 *   ok: false as const,
 *   status: 503,
 *   url: "https://ods.example/ORD/2-0-0/sync",
 *   headers: null,
 *   body: { errorText: "Service Unavailable" },
 *   text: "",
 *   reason: "HTTP 503",
 *   attempts: 5,
 *   transient: true,
 *   unreachable: false,
 * };
 * failureReason(failure); // "HTTP 503 (Service Unavailable) after 5 attempts"
 * ```
 */
export function failureReason(res: HttpFailure): string {
  const detail = describeOperationOutcome(res.body) ?? errorText(res.body);
  const tries = res.attempts > 1 ? ` after ${res.attempts} attempts` : "";
  return `${res.reason}${detail ? ` (${detail})` : ""}${tries}`;
}

function errorText(body: unknown): string | null {
  if (body === null || typeof body !== "object") return null;
  const t = (body as Record<string, unknown>).errorText;
  return typeof t === "string" ? t : null;
}

/**
 * The error for an unreachable host: the breaker's one message, as it is.
 *
 * @example
 * ```ts
 * import { unreachableError } from "./source_base.ts";
 *
 * const failure = {
 *   ok: false as const,
 *   status: 503,
 *   url: "https://ods.example/ORD/2-0-0/sync",
 *   headers: null,
 *   body: { errorText: "Service Unavailable" },
 *   text: "",
 *   reason: "HTTP 503",
 *   attempts: 5,
 *   transient: true,
 *   unreachable: false,
 * };
 * unreachableError({ ...failure, reason: "cannot reach ods.example (…)" }).kind; // "unreachable"
 * ```
 */
export function unreachableError(res: HttpFailure): OdsError {
  return new OdsError("unreachable", res.reason);
}

/**
 * Map a failed change-list request to an {@linkcode OdsError}.
 *
 * @example
 * ```ts
 * import { changeListError } from "./source_base.ts";
 *
 * const failure = {
 *   ok: false as const,
 *   status: 503,
 *   url: "https://ods.example/ORD/2-0-0/sync",
 *   headers: null,
 *   body: { errorText: "Service Unavailable" },
 *   text: "",
 *   reason: "HTTP 503",
 *   attempts: 5,
 *   transient: true,
 *   unreachable: false,
 * };
 * changeListError(failure, "ORD sync since 2026-11-24").kind; // "unavailable"
 * ```
 */
export function changeListError(res: HttpFailure, what: string): OdsError {
  if (res.unreachable) return unreachableError(res);
  const reason = `${what}: ${failureReason(res)}`;
  const status = res.status ?? undefined;
  if (res.status === 401 || res.status === 403) return new OdsError("auth", reason, { status });
  if (res.transient) {
    const kind = res.status !== null && res.status < 300 ? "bad_response" : "unavailable";
    return new OdsError(kind, reason, { status });
  }
  return new OdsError("bad_response", reason, { status });
}

/**
 * Run `task` over `items` (the HTTP client bounds the real concurrency), reporting progress.
 *
 * @example
 * ```ts
 * import { mapWithProgress } from "./source_base.ts";
 *
 * const doubled = await mapWithProgress([1, 2], (n) => Promise.resolve(n * 2), () => 1, 2);
 * doubled; // [2, 4]
 * ```
 */
export async function mapWithProgress<T, R>(
  items: readonly T[],
  task: (item: T) => Promise<R>,
  weight: (item: T) => number,
  total: number,
  onProgress?: OnProgress,
): Promise<R[]> {
  let done = 0;
  onProgress?.(0, total);
  return await Promise.all(items.map(async (item) => {
    const r = await task(item);
    done += weight(item);
    onProgress?.(done, total);
    return r;
  }));
}
