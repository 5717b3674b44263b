/**
 * The two ways of reading ODS behind one interface:
 *
 * - **ORD 2-0-0**: `GET /sync?LastChangeDate=D` lists changed codes (no paging, 185-day window),
 *   then `GET /organisations/{code}` for each tracked code only.
 * - **FHIR R4 ODT**: `GET /Organization?lastChangeDate=gt{D-1}&_count=N&_revinclude=…` pages
 *   through full records and their relationships, so changes cost ceil(changes / N) requests and
 *   no per-record fetch. Relationship target roles (not carried by `OrganizationAffiliation`) are
 *   read from the target's own `Organization` — free when it is on a page already, else one
 *   batched `_id=a,b,c` search per 100 unknown targets.
 *
 * @module
 */

import type { OdsConfig } from "../config.ts";
import { addDays, isIsoDate } from "../dates.ts";
import { HttpClient, type HttpClientOptions, type HttpFailure } from "./http.ts";
import { parseOrdOrganisation, parseOrdSync } from "./ord.ts";
import {
  affiliationSource,
  describeOperationOutcome,
  fhirOrganizationCode,
  fhirPrimaryRole,
  isTooCostly,
  parseFhirBundle,
  parseFhirOrganization,
} from "./fhir.ts";
import type { OdsRecord } from "./record.ts";

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

/** Progress callback: `done` of `total` units. */
export type OnProgress = (done: number, total: number) => void;

/** A way of reading ODS. */
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
  /** One record. Throws {@linkcode OdsError} (`auth`) only when the API rejects our key. */
  fetchOne(code: string): Promise<FetchOutcome>;
  /**
   * For re-baselines; one outcome per code, in order. FHIR batches (`_id=a,b,c` with
   * `_revinclude`), ORD fetches one by one within the rate limit. Throws {@linkcode OdsError}
   * (`auth`) only when the API rejects our key.
   */
  fetchMany(codes: readonly string[], onProgress?: OnProgress): Promise<FetchOutcome[]>;
  /**
   * How many records have LastChangeDate exactly `day` (for spotting days ODS has not loaded).
   * ORD: two `/organisations?LastChangeDate=…&Limit=1` searches (`X-Total-Count` of ≥ day minus
   * ≥ day+1); FHIR: one `_summary=count` search. Throws {@linkcode OdsError}. Optional so test
   * doubles may leave it out.
   */
  countChangedOn?(day: string): Promise<number>;
  /** Requests sent (every attempt) and retries among them. */
  stats(): { requests: number; retries: number };
}

/** Why ODS couldn't be read. */
export type OdsErrorKind = "unavailable" | "window" | "bad_response" | "auth";

/**
 * The change list (or a whole batch) could not be read.
 * - `unavailable`: timeouts, network errors, 429/5xx after retries;
 * - `window`: ORD refused the `LastChangeDate` (older than its 185-day window) → re-baseline;
 * - `bad_response`: a body we can't use (HTML, truncated JSON after retries, wrong shape, 4xx);
 * - `auth`: FHIR API key missing or refused (401/403).
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

/** Test and tuning hooks for {@linkcode createOdsSource}; production uses the defaults. */
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
>;

/**
 * The source named by `config.source`.
 *
 * @example
 * ```ts
 * const source = createOdsSource(loadConfig().ods);
 * const { seen, outcomes } = await source.changesSince("2025-01-06", (c) => tracked.has(c));
 * ```
 */
export function createOdsSource(config: OdsConfig, options: SourceOptions = {}): OdsSource {
  return config.source === "fhir"
    ? new FhirSource(config, options)
    : new OrdSource(config, options);
}

function checkSince(since: string): void {
  if (!isIsoDate(since)) {
    throw new RangeError(`since must be YYYY-MM-DD, got ${JSON.stringify(since)}`);
  }
}

function normaliseCode(code: string): string {
  return code.trim().toUpperCase();
}

function failureReason(res: HttpFailure): string {
  const detail = describeOperationOutcome(res.body) ?? errorText(res.body);
  const tries = res.attempts > 1 ? ` after ${res.attempts} attempts` : "";
  return `${res.reason}${detail ? ` (${detail})` : ""}${tries}`;
}

function errorText(body: unknown): string | null {
  if (body === null || typeof body !== "object") return null;
  const t = (body as Record<string, unknown>).errorText;
  return typeof t === "string" ? t : null;
}

/** Map a failed change-list request to an {@linkcode OdsError}. */
function changeListError(res: HttpFailure, what: string): OdsError {
  const reason = `${what}: ${failureReason(res)}`;
  const status = res.status ?? undefined;
  if (res.status === 401 || res.status === 403) return new OdsError("auth", reason, { status });
  if (res.transient) {
    return new OdsError(
      res.status !== null && res.status < 300 ? "bad_response" : "unavailable",
      reason,
      {
        status,
      },
    );
  }
  return new OdsError("bad_response", reason, { status });
}

/** Run `task` over `items` (the HTTP client bounds the real concurrency), reporting progress. */
async function mapWithProgress<T, R>(
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

// ---------------------------------------------------------------------------------------------

/** ORD 2-0-0 (`/sync` + `/organisations/{code}`). */
export class OrdSource implements OdsSource {
  readonly name = "ord" as const;
  #base: string;
  #http: HttpClient;

  constructor(config: OdsConfig, options: SourceOptions = {}) {
    this.#base = config.ordBaseUrl.replace(/\/+$/, "");
    this.#http = new HttpClient({
      ...options,
      rateLimit: config.rateLimit,
      concurrency: config.concurrency,
      timeoutMs: config.timeoutMs,
      retries: config.retries,
      userAgent: config.userAgent,
      accept: "application/json",
    });
  }

  stats(): { requests: number; retries: number } {
    return this.#http.stats();
  }

  async changesSince(
    since: string,
    isTracked: (code: string) => boolean,
    onProgress?: OnProgress,
  ): Promise<ChangeSet> {
    checkSince(since);
    const res = await this.#http.getJson(`${this.#base}/sync?LastChangeDate=${since}`);
    if (!res.ok) {
      if (res.status === 406) {
        throw new OdsError(
          "window",
          `ORD refused LastChangeDate=${since} (HTTP 406): older than the sync window?`,
          { status: 406 },
        );
      }
      throw changeListError(res, `ORD sync since ${since}`);
    }
    const parsed = parseOrdSync(res.body);
    if (!parsed.ok) {
      throw new OdsError("bad_response", `ORD sync since ${since}: ${parsed.reason}`, {
        status: res.status,
      });
    }
    const tracked = parsed.codes.filter((c) => isTracked(c));
    const outcomes = await mapWithProgress(
      tracked,
      (c) => this.fetchOne(c),
      () => 1,
      tracked.length,
      onProgress,
    );
    return { seen: parsed.codes.length, outcomes };
  }

  async fetchOne(code: string): Promise<FetchOutcome> {
    const want = normaliseCode(code);
    const res = await this.#http.getJson(
      `${this.#base}/organisations/${encodeURIComponent(want)}`,
    );
    if (!res.ok) {
      if (res.status === 404 || res.status === 410) return { status: "not_found", code: want };
      return { status: "error", code: want, reason: failureReason(res) };
    }
    const parsed = parseOrdOrganisation(res.body);
    if (!parsed.ok) return { status: "invalid", code: want, reason: parsed.reason };
    if (parsed.record.code !== want) {
      return {
        status: "invalid",
        code: want,
        reason: `asked for ${want} but ODS returned ${parsed.record.code}`,
      };
    }
    return { status: "ok", code: want, record: parsed.record };
  }

  async countChangedOn(day: string): Promise<number> {
    checkSince(day);
    const atLeast = async (d: string): Promise<number> => {
      const res = await this.#http.getJson(
        `${this.#base}/organisations?LastChangeDate=${d}&Limit=1`,
      );
      if (!res.ok) {
        if (res.status === 406) {
          throw new OdsError("window", `ORD refused LastChangeDate=${d} (HTTP 406)`, {
            status: 406,
          });
        }
        throw changeListError(res, `ORD count since ${d}`);
      }
      const total = Number(res.headers.get("X-Total-Count") ?? NaN);
      if (!Number.isInteger(total) || total < 0) {
        throw new OdsError("bad_response", `ORD count since ${d}: no usable X-Total-Count`, {
          status: res.status,
        });
      }
      return total;
    };
    const [from, after] = await Promise.all([atLeast(day), atLeast(addDays(day, 1))]);
    return Math.max(0, from - after);
  }

  async fetchMany(codes: readonly string[], onProgress?: OnProgress): Promise<FetchOutcome[]> {
    const wanted = codes.map(normaliseCode);
    const distinct = [...new Set(wanted)];
    const results = await mapWithProgress(
      distinct,
      (c) => this.fetchOne(c),
      () => 1,
      distinct.length,
      onProgress,
    );
    const byCode = new Map(distinct.map((c, i) => [c, results[i]]));
    return wanted.map((c) => byCode.get(c)!);
  }
}

// ---------------------------------------------------------------------------------------------

const REVINCLUDE = "_revinclude=OrganizationAffiliation:primary-organization";
/** Codes per `_id=a,b,c` search (keeps URLs short). */
const ID_BATCH = 100;
const MAX_PAGES = 100_000;

/** What a run of search pages yielded. */
interface Collected {
  /** Matched Organization resources by code, in first-seen order. */
  matches: Map<string, unknown>;
  /** Affiliations by source code (only for kept matches). */
  affiliations: Map<string, unknown[]>;
  /** Distinct matched codes (kept or not). */
  seen: Set<string>;
}

/** FHIR R4 Organisation Data Terminology API. */
export class FhirSource implements OdsSource {
  readonly name = "fhir" as const;
  #base: URL;
  #pageSize: number;
  #http: HttpClient;
  /** Primary role by ODS code (`null`: looked up, unknown), learned from every page seen. */
  #roles = new Map<string, string | null>();
  /**
   * Relationship targets looked up during this source's life (one run), with their
   * affiliations: a new parent found that way is then "fetched" without another request.
   */
  #prefetched = new Map<string, { resource: unknown; affiliations: unknown[] }>();

  constructor(config: OdsConfig, options: SourceOptions = {}) {
    this.#base = new URL(config.odtBaseUrl.replace(/\/+$/, "") + "/");
    this.#pageSize = Math.max(1, Math.floor(config.pageSize));
    this.#http = new HttpClient({
      ...options,
      rateLimit: config.rateLimit,
      concurrency: config.concurrency,
      timeoutMs: config.timeoutMs,
      retries: config.retries,
      userAgent: config.userAgent,
      accept: "application/fhir+json",
      headers: config.odtApiKey ? { apikey: config.odtApiKey } : undefined,
    });
  }

  stats(): { requests: number; retries: number } {
    return this.#http.stats();
  }

  async changesSince(
    since: string,
    isTracked: (code: string) => boolean,
    onProgress?: OnProgress,
  ): Promise<ChangeSet> {
    checkSince(since);
    // The spec documents gt/lt/eq prefixes only; `gt{D-1}` on day-precision dates = `ge{D}`.
    const query = `Organization?lastChangeDate=gt${addDays(since, -1)}&_count=${this.#pageSize}&` +
      REVINCLUDE;
    const collected = await this.#search(
      query,
      isTracked,
      `FHIR changes since ${since}`,
      onProgress,
    );
    const failed = await this.#resolveTargets(collected).catch((error: unknown) => {
      if (error instanceof OdsError) throw error;
      throw new OdsError("unavailable", String(error), { cause: error });
    });
    if (failed) throw failed;
    const outcomes = [...collected.matches].map(([code, resource]) =>
      this.#outcome(code, resource, collected.affiliations.get(code) ?? [])
    );
    return { seen: collected.seen.size, outcomes };
  }

  async fetchOne(code: string): Promise<FetchOutcome> {
    return (await this.fetchMany([code]))[0];
  }

  async countChangedOn(day: string): Promise<number> {
    checkSince(day);
    const what = `FHIR count of changes on ${day}`;
    const { body } = await this.#page(
      new URL(`Organization?lastChangeDate=${day}&_summary=count`, this.#base),
      what,
    );
    const parsed = parseFhirBundle(body);
    if (!parsed.ok) throw new OdsError("bad_response", `${what}: ${parsed.reason}`);
    if (parsed.bundle.total === null) throw new OdsError("bad_response", `${what}: no total`);
    return parsed.bundle.total;
  }

  async fetchMany(codes: readonly string[], onProgress?: OnProgress): Promise<FetchOutcome[]> {
    const wanted = codes.map(normaliseCode);
    const merged: Collected = { matches: new Map(), affiliations: new Map(), seen: new Set() };
    const distinct: string[] = [];
    for (const c of new Set(wanted)) {
      if (!/^[A-Z0-9]{1,20}$/.test(c)) continue;
      const known = this.#prefetched.get(c);
      if (known) {
        merged.matches.set(c, known.resource);
        merged.affiliations.set(c, known.affiliations);
      } else distinct.push(c);
    }
    const batches: string[][] = [];
    const size = Math.min(this.#pageSize, ID_BATCH);
    for (let i = 0; i < distinct.length; i += size) batches.push(distinct.slice(i, i + size));

    const batchErrors = new Map<string, string>();
    await mapWithProgress(
      batches,
      async (batch) => {
        const want = new Set(batch);
        try {
          const got = await this.#search(
            `Organization?_id=${
              batch.map(encodeURIComponent).join(",")
            }&_count=${size}&${REVINCLUDE}`,
            (c) => want.has(c),
            `FHIR fetch of ${batch.length} record(s)`,
          );
          for (const [c, r] of got.matches) merged.matches.set(c, r);
          for (const [c, a] of got.affiliations) merged.affiliations.set(c, a);
        } catch (error) {
          if (error instanceof OdsError && error.kind === "auth") throw error;
          for (const c of batch) {
            batchErrors.set(
              c,
              error instanceof Error ? error.message : String(error),
            );
          }
        }
      },
      (b) => b.length,
      distinct.length,
      onProgress,
    );

    const targetError = await this.#resolveTargets(merged);
    const byCode = new Map<string, FetchOutcome>();
    for (const code of wanted) {
      if (byCode.has(code)) continue;
      const resource = merged.matches.get(code);
      let outcome: FetchOutcome;
      if (!/^[A-Z0-9]{1,20}$/.test(code)) outcome = { status: "not_found", code };
      else if (batchErrors.has(code)) {
        outcome = { status: "error", code, reason: batchErrors.get(code)! };
      } else if (resource === undefined) outcome = { status: "not_found", code };
      else {
        outcome = this.#outcome(code, resource, merged.affiliations.get(code) ?? []);
        if (targetError && outcome.status === "ok" && this.#hasUnresolved(outcome.record)) {
          outcome = { status: "error", code, reason: targetError.message };
        }
      }
      byCode.set(code, outcome);
    }
    return wanted.map((c) => byCode.get(c)!);
  }

  #outcome(code: string, resource: unknown, affiliations: readonly unknown[]): FetchOutcome {
    const parsed = parseFhirOrganization(resource, affiliations, {
      targetRole: (c) => this.#roles.get(c) ?? null,
    });
    if (!parsed.ok) return { status: "invalid", code, reason: parsed.reason };
    return { status: "ok", code, record: parsed.record };
  }

  #hasUnresolved(record: OdsRecord): boolean {
    return record.relationships.some((r) => !this.#roles.has(r.target));
  }

  /** Learn the primary role of every Organization on a page. */
  #learn(resource: unknown): void {
    const code = fhirOrganizationCode(resource);
    if (code) this.#roles.set(code, fhirPrimaryRole(resource));
  }

  /**
   * Look up the primary role of relationship targets not seen yet. Returns an error (rather
   * than throwing) for a failed lookup, unless it is `auth`.
   */
  async #resolveTargets(collected: Collected): Promise<OdsError | null> {
    const unknown = new Set<string>();
    for (const [code, list] of collected.affiliations) {
      if (!collected.matches.has(code)) continue;
      for (const raw of list) {
        const target = participating(raw);
        if (target && !this.#roles.has(target)) unknown.add(target);
      }
    }
    const codes = [...unknown];
    const batches: string[][] = [];
    for (let i = 0; i < codes.length; i += ID_BATCH) batches.push(codes.slice(i, i + ID_BATCH));
    let failure: OdsError | null = null;
    await Promise.all(batches.map(async (batch) => {
      try {
        // With their affiliations: a target that turns out to be a new parent is then
        // already fetched.
        const got = await this.#search(
          `Organization?_id=${
            batch.map(encodeURIComponent).join(",")
          }&_count=${batch.length}&${REVINCLUDE}`,
          () => true,
          `FHIR lookup of ${batch.length} relationship target(s)`,
        );
        for (const [c, resource] of got.matches) {
          this.#prefetched.set(c, { resource, affiliations: got.affiliations.get(c) ?? [] });
        }
        // Asked for but not returned: ODS doesn't know it; remember that.
        for (const c of batch) if (!this.#roles.has(c)) this.#roles.set(c, null);
      } catch (error) {
        if (error instanceof OdsError && error.kind === "auth") throw error;
        failure ??= error instanceof OdsError
          ? error
          : new OdsError("unavailable", String(error), { cause: error });
      }
    }));
    return failure;
  }

  /**
   * Follow a search through its `next` links. Every Organization teaches us a primary role;
   * matches for which `keep(code)` holds are collected with their affiliations.
   */
  async #search(
    first: string,
    keep: (code: string) => boolean,
    what: string,
    onProgress?: OnProgress,
  ): Promise<Collected> {
    const out: Collected = { matches: new Map(), affiliations: new Map(), seen: new Set() };
    const pending: unknown[] = [];
    const visited = new Set<string>();
    let url: URL | null = new URL(first, this.#base);
    let pages = 0;
    while (url) {
      if (visited.has(url.href) || ++pages > MAX_PAGES) {
        throw new OdsError("bad_response", `${what}: paging loops at ${url.href}`);
      }
      visited.add(url.href);
      const { body, at } = await this.#page(url, what);
      const parsed = parseFhirBundle(body);
      if (!parsed.ok) throw new OdsError("bad_response", `${what}: ${parsed.reason}`);
      for (const entry of parsed.bundle.entries) {
        if (entry.resourceType === "Organization") {
          this.#learn(entry.resource);
          if (entry.mode === "include") continue;
          const code = fhirOrganizationCode(entry.resource);
          if (!code) continue;
          out.seen.add(code);
          if (keep(code)) out.matches.set(code, entry.resource);
        } else if (entry.resourceType === "OrganizationAffiliation") {
          pending.push(entry.resource);
        }
      }
      onProgress?.(out.seen.size, Math.max(parsed.bundle.total ?? 0, out.seen.size));
      url = parsed.bundle.next ? this.#rebase(parsed.bundle.next, at) : null;
    }
    // Includes may come on any page; attach them once all pages are in.
    for (const raw of pending) {
      const source = affiliationSource(raw);
      if (source === null || !out.matches.has(source)) continue;
      const list = out.affiliations.get(source) ?? [];
      list.push(raw);
      out.affiliations.set(source, list);
    }
    return out;
  }

  /** GET one page; on 422 too-costly, retry it with half the `_count`. */
  async #page(url: URL, what: string): Promise<{ body: unknown; at: URL }> {
    let at = url;
    for (;;) {
      const res = await this.#http.getJson(at);
      if (res.ok) return { body: res.body, at };
      if (res.status === 422 && isTooCostly(res.body)) {
        const count = Number(at.searchParams.get("_count") ?? "20");
        if (Number.isFinite(count) && count > 1) {
          at = new URL(at);
          at.searchParams.set("_count", String(Math.max(1, Math.floor(count / 2))));
          continue;
        }
      }
      throw changeListError(res, what);
    }
  }

  /**
   * Resolve a `next` link against the page it came from. Links to another origin (a proxy that
   * didn't rewrite its backend host) are moved onto our base URL, so the API key never goes
   * elsewhere.
   */
  #rebase(link: string, from: URL): URL {
    const u = new URL(link, from);
    if (u.origin === this.#base.origin) return u;
    const resource = u.pathname.replace(/\/+$/, "").split("/").pop() ?? "";
    return new URL(`${resource}${u.search}`, this.#base);
  }
}

function participating(raw: unknown): string | null {
  if (raw === null || typeof raw !== "object") return null;
  const ref = (raw as Record<string, unknown>).participatingOrganization;
  return affiliationSource({ organization: ref });
}
